package io.github.migrationsafety.backup;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A new file written as UTF-8 text while its SHA-256 is computed on the way, and forced to disk
 * ({@link FileChannel#force}) on {@link #finish()} so that a crash after it returns cannot lose the bytes.
 */
public final class HashingFile implements AutoCloseable {

    private final FileChannel channel;
    private final MessageDigest digest;
    private final OutputStream bytes;
    private final Writer writer;
    private boolean finished;

    public HashingFile(Path path) throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        digest = sha256();
        OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), digest);
        // buffered: PostgreSQL's COPY hands over one small chunk per row
        bytes = new BufferedOutputStream(out, 1 << 16);
        writer = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Text view of the file; use either this or {@link #stream()}, not both. */
    public Writer writer() {
        return writer;
    }

    /** Byte view of the file (e.g. for {@code COPY} output, which is UTF-8 already). */
    public OutputStream stream() {
        return bytes;
    }

    /** Flushes, forces the file to disk and returns the lowercase hex SHA-256 of everything written. */
    public String finish() throws IOException {
        writer.flush();
        channel.force(true);
        finished = true;
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            writer.flush();
        }
        channel.close();
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** SHA-256 of a file's bytes, lowercase hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Writes a small file durably: temporary sibling, fsync, atomic rename, fsync of the directory. */
    public static void writeDurably(Path target, String text) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            var buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes a directory entry (a new or renamed file) durable; a no-op where the platform cannot do it. */
    public static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory for force(); the rename itself is still atomic there
        }
    }
}
