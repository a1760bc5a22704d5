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
        private byte[] bytes = new byte[1 << 13];
        private int length;
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
            if (index >= count) {
                throw new IOException("CSV record has " + count + " fields, field " + (index + 1) + " was expected");
            }
            out.write(bytes, starts[index], ends[index] - starts[index]);
        }

        private void add(byte c) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[length++] = c;
        }

        private void endField() {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = fieldStart;
            ends[count] = length;
            count++;
            fieldStart = length;
        }

        private void reset() {
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
        for (int i = offset; i < offset + length; i++) {
            scan(bytes[i]);
        }
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
