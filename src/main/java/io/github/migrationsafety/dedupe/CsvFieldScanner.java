package io.github.migrationsafety.dedupe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Passes CSV bytes (RFC 4180, as {@code COPY ... CSV} writes them) through to a file and, on the way, hands the
 * first few fields of every record to a callback, so the summary of a report is counted without decoding whole
 * rows. Quotes, commas and line ends are ASCII, so the scan works on UTF-8 bytes; only kept fields are decoded.
 * An unquoted empty field is NULL ({@code null}), a quoted one the empty string.
 *
 * <p>With {@link #withRawFields()} the callback also sees every field's bytes exactly as they arrived, so a
 * second file can be written from the same stream with the fields in another order, byte for byte what
 * {@code COPY} would have written for those columns (it quotes each field on its own).
 */
final class CsvFieldScanner extends OutputStream {

    /** Receives one record: its first fields (decoded; the array is reused) and, if kept, its raw fields. */
    interface Sink {
        void record(String[] fields, RawFields raw) throws IOException;
    }

    /** The bytes of the current record's fields as written, quotes included; valid during {@link Sink#record}. */
    static final class RawFields {
        private byte[] own = new byte[1 << 13];
        private int length;
        /** The bytes the offsets point into: {@link #own}, or the caller's array of a record read whole. */
        private byte[] bytes = own;

        private int[] starts = new int[16];
        private int[] ends = new int[16];
        private int count;
        private int fieldStart;

        /** Number of fields of the record. */
        int count() {
            return count;
        }

        /** Writes field {@code index} (0-based) as it arrived. */
        void write(int index, OutputStream out) throws IOException {
            check(index);
            out.write(bytes, starts[index], ends[index] - starts[index]);
        }

        /** Copies field {@code index} as it arrived into {@code into} at {@code at}; returns where it ends there. */
        int copy(int index, byte[] into, int at) throws IOException {
            check(index);
            int length = ends[index] - starts[index];
            System.arraycopy(bytes, starts[index], into, at, length);
            return at + length;
        }

        /** The length of field {@code index} as it arrived. */
        int length(int index) throws IOException {
            check(index);
            return ends[index] - starts[index];
        }

        /** Field {@code index}'s value: NULL for an unquoted empty field, the text between the quotes. */
        String text(int index) throws IOException {
            check(index);
            return decode(bytes, starts[index], ends[index]);
        }

        /** Whether field {@code index} arrived as exactly {@code raw}, quotes included. */
        boolean is(int index, byte[] raw) throws IOException {
            check(index);
            return Arrays.equals(bytes, starts[index], ends[index], raw, 0, raw.length);
        }

        /** Field {@code index} as a number: its digits, quoted or not. */
        long number(int index) throws IOException {
            check(index);
            long value = 0;
            int digits = 0;
            for (int i = starts[index]; i < ends[index]; i++) {
                byte b = bytes[i];
                if (b >= '0' && b <= '9') {
                    value = value * 10 + (b - '0');
                    digits++;
                } else if (b != '"') {
                    throw new IOException("CSV field " + (index + 1) + " is not a number");
                }
            }
            if (digits == 0) {
                throw new IOException("CSV field " + (index + 1) + " is not a number");
            }
            return value;
        }

        private void check(int index) throws IOException {
            if (index >= count) {
                throw new IOException("CSV record has " + count + " fields, field " + (index + 1) + " was expected");
            }
        }

        private void add(byte c) {
            if (length == own.length) {
                own = Arrays.copyOf(own, own.length * 2);
                bytes = own;
            }
            own[length++] = c;
        }

        private void endField() {
            field(fieldStart, length);
            fieldStart = length;
        }

        private void field(int start, int end) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = end;
            count++;
        }

        private void reset() {
            bytes = own;
            length = 0;
            count = 0;
            fieldStart = 0;
        }
    }

    private final OutputStream out;
    private final String[] fields;
    private final Sink sink;
    private final ByteArrayOutputStream field = new ByteArrayOutputStream();
    private RawFields raw;
    /** Field offsets of the record read whole when the sink takes no raw fields. */
    private final RawFields spans = new RawFields();

    private int index;
    private boolean inQuotes;
    private boolean quoteClosed;
    private boolean quoted;
    private boolean midRecord;

    CsvFieldScanner(OutputStream out, int keep, Sink sink) {
        this.out = out;
        this.fields = new String[keep];
        this.sink = sink;
    }

    /** Keeps the raw bytes of every field of each record for the sink (otherwise it gets {@code null}). */
    CsvFieldScanner withRawFields() {
        raw = new RawFields();
        return this;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        int end = offset + length;
        int i = midRecord ? offset : records(bytes, offset, end);
        for (; i < end; i++) {
            scan(bytes[i]);
        }
    }

    /**
     * The fast way for whole records, which is how {@code COPY} hands them over (one row per message): from a record
     * boundary, finds each field of each complete record with a tight loop over the bytes, without copying them, and
     * hands it to the sink. Returns where the first record it could not read whole starts (the end, usually); the
     * byte-by-byte scan takes it from there, so any chunking of the stream gives the same records.
     */
    private int records(byte[] bytes, int offset, int end) throws IOException {
        int start = offset;
        while (start < end) {
            RawFields record = raw == null ? spans : raw;
            record.reset();
            record.bytes = bytes;
            int i = start;
            while (true) {
                int fieldStart = i;
                if (i < end && bytes[i] == '"') {
                    i++;
                    while (true) {
                        while (i < end && bytes[i] != '"') {
                            i++;
                        }
                        if (i + 1 >= end) {
                            // the closing quote is not in this chunk, or what follows it is not
                            record.reset();
                            return start;
                        }
                        if (bytes[i + 1] != '"') {
                            break;
                        }
                        i += 2;
                    }
                    i++;
                } else {
                    while (i < end && bytes[i] != ',' && bytes[i] != '\n' && bytes[i] != '"' && bytes[i] != '\r') {
                        i++;
                    }
                    if (i >= end || bytes[i] == '"' || bytes[i] == '\r') {
                        record.reset();
                        return start;
                    }
                }
                record.field(fieldStart, i);
                if (bytes[i] == '\n') {
                    break;
                }
                if (bytes[i] != ',') {
                    record.reset();
                    return start;
                }
                i++;
            }
            for (int f = 0; f < fields.length; f++) {
                fields[f] = f < record.count ? decode(bytes, record.starts[f], record.ends[f]) : null;
            }
            sink.record(fields, raw);
            Arrays.fill(fields, null);
            record.reset();
            start = i + 1;
        }
        return start;
    }

    /** A field's value: NULL for an unquoted empty field, the text between the quotes (doubled quotes undone). */
    private static String decode(byte[] bytes, int start, int end) {
        if (start == end) {
            return null;
        }
        if (bytes[start] != '"') {
            return new String(bytes, start, end - start, StandardCharsets.UTF_8);
        }
        String text = new String(bytes, start + 1, end - start - 2, StandardCharsets.UTF_8);
        return text.indexOf('"') < 0 ? text : text.replace("\"\"", "\"");
    }

    private void scan(byte c) throws IOException {
        midRecord = true;
        if (inQuotes) {
            if (c == '"') {
                inQuotes = false;
                quoteClosed = true;
            } else {
                keep(c);
            }
            addRaw(c);
            return;
        }
        if (quoteClosed) {
            quoteClosed = false;
            if (c == '"') {
                // a doubled quote inside a quoted field is one literal quote
                keep(c);
                inQuotes = true;
                addRaw(c);
                return;
            }
        }
        switch (c) {
            case '"' -> {
                inQuotes = true;
                quoted = true;
                addRaw(c);
            }
            case ',' -> endField();
            case '\n' -> {
                endField();
                sink.record(fields, raw);
                Arrays.fill(fields, null);
                index = 0;
                midRecord = false;
                if (raw != null) {
                    raw.reset();
                }
            }
            case '\r' -> {
                // only ever part of a CRLF line end outside quotes
            }
            default -> {
                keep(c);
                addRaw(c);
            }
        }
    }

    private void addRaw(byte c) {
        if (raw != null) {
            raw.add(c);
        }
    }

    private void keep(byte c) {
        if (index < fields.length) {
            field.write(c);
        }
    }

    private void endField() {
        if (index < fields.length) {
            fields[index] = !quoted && field.size() == 0 ? null : field.toString(StandardCharsets.UTF_8);
        }
        if (raw != null) {
            raw.endField();
        }
        index++;
        field.reset();
        quoted = false;
    }

    /** Whether the bytes so far end on a record boundary (a COPY that completed does). */
    boolean complete() {
        return !midRecord;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
