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
 */
final class CsvFieldScanner extends OutputStream {

    /** Receives the first fields of one record; the array is reused for the next record. */
    interface Sink {
        void record(String[] fields) throws IOException;
    }

    private final OutputStream out;
    private final String[] fields;
    private final Sink sink;
    private final ByteArrayOutputStream field = new ByteArrayOutputStream();
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
            return;
        }
        if (quoteClosed) {
            quoteClosed = false;
            if (c == '"') {
                // a doubled quote inside a quoted field is one literal quote
                keep(c);
                inQuotes = true;
                return;
            }
        }
        switch (c) {
            case '"' -> {
                inQuotes = true;
                quoted = true;
            }
            case ',' -> endField();
            case '\n' -> {
                endField();
                sink.record(fields);
                Arrays.fill(fields, null);
                index = 0;
                midRecord = false;
            }
            case '\r' -> {
                // only ever part of a CRLF line end outside quotes
            }
            default -> keep(c);
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
