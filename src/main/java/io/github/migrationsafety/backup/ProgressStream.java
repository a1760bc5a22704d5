package io.github.migrationsafety.backup;

import io.github.migrationsafety.report.Progress;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read through it into a {@link Progress}. */
final class ProgressStream extends FilterInputStream {

    private final Progress progress;
    private long read;

    ProgressStream(InputStream in, Progress progress) {
        super(in);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            progress.at(++read);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            read += n;
            progress.at(read);
        }
        return n;
    }
}
