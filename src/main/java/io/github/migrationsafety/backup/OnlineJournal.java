package io.github.migrationsafety.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The files of an online dedupe's backup directory and the order they are written in, so that the directory is a
 * restorable backup of exactly the committed batches after a crash at any instant:
 *
 * <ol>
 *   <li>a batch's deleted rows go to {@value #PENDING_ROWS} (and moved references to {@value #PENDING_REPOINTS}),
 *       fsynced, while its transaction is still open;
 *   <li>the manifest names that batch as {@code pending} with its transaction id, durably;
 *   <li>the transaction commits;
 *   <li>the pending files are appended to {@code rows.csv} / {@code repoints.csv} and fsynced, the manifest counts
 *       the batch as committed (new lengths, counts and SHA-256), the pending files are removed.
 * </ol>
 *
 * {@link #settle} repairs what a crash left: bytes past the committed lengths are cut off, a pending batch is
 * appended when PostgreSQL says its transaction committed ({@code txid_status}) and dropped otherwise, and batches a
 * server lost in a crash with {@code synchronous_commit=off} are rolled out of the journal again.
 */
public final class OnlineJournal {

    public static final String PENDING_ROWS = "batch-rows.csv";
    public static final String PENDING_REPOINTS = "batch-repoints.csv";

    private final Path directory;
    private BackupManifest manifest;
    private MessageDigest rowsDigest;
    private MessageDigest repointDigest;

    private OnlineJournal(Path directory, BackupManifest manifest) {
        this.directory = directory;
        this.manifest = manifest;
    }

    /**
     * Starts the journal in {@code directory}, where {@code rows.csv} (and {@code repoints.csv}, when references are
     * moved) hold only their header: the manifest says {@code in-progress}, round 1, planning.
     */
    public static OnlineJournal start(Path directory, BackupManifest.Builder base, int batchSize, boolean repoints)
            throws IOException {
        BackupManifest manifest = base.status(BackupManifest.Status.IN_PROGRESS)
                .format(BackupManifest.FORMAT_COPY)
                .dataFormat(BackupManifest.PG_COPY_CSV)
                .dataFile(BackupManifest.ROWS)
                .rowCount(0)
                .repointFile(repoints ? BackupManifest.REPOINTS : null)
                .repointCount(0)
                .createdAt(Instant.now().toString())
                .completedAt(Instant.now().toString())
                .online(OnlineState.start(batchSize))
                .build();
        OnlineJournal journal = new OnlineJournal(directory, manifest);
        journal.rehash();
        journal.write(journal.manifest.toBuilder()
                .sha256(hex(journal.rowsDigest))
                .repointSha256(repoints ? hex(journal.repointDigest) : null)
                .online(manifest.online()
                        .withLengths(Files.size(journal.rows()), repoints ? Files.size(journal.repoints()) : 0)));
        return journal;
    }

    /** Opens the journal of an unfinished run for {@link #settle}; the files are not touched yet. */
    public static OnlineJournal open(Path directory) throws IOException {
        BackupManifest manifest = BackupManifest.read(directory);
        if (manifest.online() == null) {
            throw new IOException(directory + " is not the backup of an online dedupe");
        }
        return new OnlineJournal(directory, manifest);
    }

    /** Whether {@code directory} holds an online dedupe that has not finished (nor been restored). */
    public static boolean unfinished(Path directory) {
        if (!BackupManifest.exists(directory)) {
            return false;
        }
        try {
            BackupManifest manifest = BackupManifest.read(directory);
            return manifest.online() != null && manifest.status() == BackupManifest.Status.IN_PROGRESS;
        } catch (IOException e) {
            return false;
        }
    }

    public Path directory() {
        return directory;
    }

    public BackupManifest manifest() {
        return manifest;
    }

    public OnlineState state() {
        return manifest.online();
    }

    public Path rows() {
        return directory.resolve(BackupManifest.ROWS);
    }

    private Path repoints() {
        return directory.resolve(BackupManifest.REPOINTS);
    }

    public boolean hasRepoints() {
        return manifest.repointFile() != null;
    }

    /**
     * Brings the directory to the state of the batches PostgreSQL really committed (see the class comment); returns
     * what it did, for the log, or null when there was nothing to repair.
     */
    public String settle(Connection connection) throws IOException, SQLException {
        OnlineState state = state();
        StringBuilder done = new StringBuilder();
        for (OnlineState.Mark mark : state.recent()) {
            String status = BatchStatus.txid(connection, mark.xid());
            if (status != null && !status.equals("committed")) {
                long lost = state.batches() - mark.batches();
                done.append(lost)
                        .append(" batch(es) the server lost in its crash (it ran with synchronous_commit=off) taken"
                                + " out of the backup again; ");
                manifest = manifest.toBuilder()
                        .rowCount(mark.rowCount())
                        .repointCount(mark.repointCount())
                        .online(state.rolledBackTo(mark))
                        .build();
                state = state();
                break;
            }
        }
        truncate(rows(), state.dataBytes());
        if (hasRepoints()) {
            truncate(repoints(), state.repointBytes());
        }
        rehash();
        OnlineState.Batch pending = state.pending();
        if (pending != null) {
            String status = BatchStatus.txid(connection, pending.xid());
            if (status == null || "committed".equals(status) && pending.rows() > 0) {
                // after a crash the server may hand a lost transaction's id to a new one: a batch whose rows are all
                // still in the table did not commit. Any other answer keeps the rows in the backup: a row backed up
                // but not deleted is skipped by restore, a row deleted but not backed up would be lost
                status = BatchStatus.presentIds(connection, manifest, pendingRows()) == pending.rows()
                        ? "aborted"
                        : "committed";
            }
            if ("committed".equals(status)) {
                commit(pending);
                done.append("the last batch committed before the stop: its rows were added to the backup; ");
            } else if ("aborted".equals(status)) {
                discardPending();
                done.append("the last batch was rolled back by the stop: its rows are still in the table; ");
            } else {
                throw new IOException("the transaction " + pending.xid() + " of the last batch is " + status
                        + "; wait until the run that started it has ended, then run again");
            }
        } else {
            deletePendingFiles();
            write(manifest.toBuilder()
                    .sha256(hex(rowsDigest))
                    .repointSha256(hasRepoints() ? hex(repointDigest) : null));
        }
        return done.isEmpty() ? null : done.toString().replaceAll("; $", "");
    }

    /** The plan file of the current round is written: the manifest says so and deleting starts. */
    public void planned(String file, long rows, String sha256) throws IOException {
        write(manifest.toBuilder().online(state().planned(file, rows, sha256)));
    }

    /** The final pass starts planning. */
    public void finalPass() throws IOException {
        write(manifest.toBuilder().online(state().finalPass(manifest.rowCount())));
    }

    public Path pendingRows() {
        return directory.resolve(PENDING_ROWS);
    }

    public Path pendingRepoints() {
        return directory.resolve(PENDING_REPOINTS);
    }

    /** Step 2: the batch's files are on disk, its transaction {@code batch.xid()} is about to commit. */
    public void pending(OnlineState.Batch batch) throws IOException {
        HashingFile.forceDirectory(directory);
        write(manifest.toBuilder().online(state().withPending(batch)));
    }

    /** A batch that failed before its commit: its files go, the manifest forgets it. */
    public void discardPending() throws IOException {
        deletePendingFiles();
        write(manifest.toBuilder()
                .sha256(hex(rowsDigest))
                .repointSha256(hasRepoints() ? hex(repointDigest) : null)
                .online(state().withPending(null)));
    }

    /** Step 4: the pending batch committed. */
    public void committed() throws IOException {
        commit(state().pending());
    }

    private void commit(OnlineState.Batch batch) throws IOException {
        OnlineState state = state();
        OnlineState.Mark before = new OnlineState.Mark(
                batch.xid(),
                state.planDone(),
                state.batches(),
                state.skipped(),
                manifest.rowCount(),
                state.dataBytes(),
                manifest.repointCount(),
                state.repointBytes());
        long data = append(rows(), state.dataBytes(), pendingRows(), batch.rowsSha256(), rowsDigest);
        long repoint = state.repointBytes();
        if (hasRepoints() && batch.repointsFile() != null) {
            repoint = append(repoints(), repoint, pendingRepoints(), batch.repointsSha256(), repointDigest);
        }
        write(manifest.toBuilder()
                .rowCount(manifest.rowCount() + batch.rows())
                .sha256(hex(rowsDigest))
                .repointCount(manifest.repointCount() + batch.repoints())
                .repointSha256(hasRepoints() ? hex(repointDigest) : null)
                .online(state.committed(before, data, repoint)));
        deletePendingFiles();
    }

    /** Both rounds are done: the manifest says {@code complete}. */
    public BackupManifest complete() throws IOException {
        write(manifest.toBuilder().status(BackupManifest.Status.COMPLETE).online(state().done()));
        return manifest;
    }

    /** Restore put every row back: the run is over and must not be resumed ({@code rolled-back}). */
    public void restored() throws IOException {
        write(manifest.toBuilder().status(BackupManifest.Status.ROLLED_BACK));
    }

    private void write(BackupManifest.Builder next) throws IOException {
        manifest = next.completedAt(Instant.now().toString()).build();
        manifest.write(directory);
    }

    /** Re-reads the committed files into the running digests (they are cut to their committed lengths first). */
    private void rehash() throws IOException {
        rowsDigest = digestOf(rows());
        repointDigest = hasRepoints() ? digestOf(repoints()) : null;
    }

    private static MessageDigest digestOf(Path file) throws IOException {
        MessageDigest digest = HashingFile.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return digest;
    }

    private static void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (channel.size() > length) {
                channel.truncate(length);
                channel.force(true);
            } else if (channel.size() < length) {
                throw new IOException(file + " is shorter (" + channel.size() + " bytes) than its manifest says ("
                        + length + " bytes): the backup was damaged; restore from an intact copy");
            }
        }
    }

    /** Appends {@code from} to {@code file} at {@code at} (cutting anything after it), fsynced; returns the length. */
    private static long append(Path file, long at, Path from, String expectedSha, MessageDigest digest)
            throws IOException {
        if (!HashingFile.sha256(from).equals(expectedSha)) {
            throw new IOException(from + " does not match the SHA-256 its manifest records: the backup was damaged");
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE);
                InputStream in = Files.newInputStream(from)) {
            out.truncate(at);
            out.position(at);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
            out.force(true);
            return out.size();
        }
    }

    private void deletePendingFiles() throws IOException {
        Files.deleteIfExists(pendingRows());
        Files.deleteIfExists(pendingRepoints());
    }

    private static String hex(MessageDigest digest) {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of the JDK can be cloned", e);
        }
    }
}
