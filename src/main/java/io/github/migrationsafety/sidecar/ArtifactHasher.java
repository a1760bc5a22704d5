package io.github.migrationsafety.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.crypto.Mac;

/**
 * Streams one artifact through HMAC-SHA256: the file is opened once and read in 1 MiB chunks, so memory
 * stays flat for multi-GiB models and the JIT's SHA-256 intrinsics see long runs of input.
 */
final class ArtifactHasher {

    static final int BUFFER_BYTES = 1024 * 1024;

    private ArtifactHasher() {
    }

    /** The HMAC of the file's bytes; every chunk read is added to {@code progress}. */
    static byte[] hmac(Path artifact, SigningKey key, Progress progress) throws IOException {
        Mac mac = key.newMac();
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(artifact)) {
            int read;
            while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                mac.update(buffer, 0, read);
                progress.addBytes(read);
            }
        }
        return mac.doFinal();
    }
}
