package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.HashingFile;
import io.github.migrationsafety.backup.OnlineJournal;
import io.github.migrationsafety.backup.OnlineState;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.RowCsv;
import io.github.migrationsafety.report.EngineLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVPrinter;

/**
 * One batch of an online apply: its own short transaction that loads the batch's pairs, locks the rows, drops the
 * pairs whose kept twin is gone or changed, moves or checks references, deletes with {@code RETURNING} straight into
 * the fsynced pending file, records the batch as pending in the manifest, commits, and appends the file to the
 * backup. A lock it cannot get within the lock timeout, a deadlock or a serialization failure rolls the batch back
 * and retries it after a growing pause.
 */
final class OnlineBatch {

    /** How long a batch waits for a row lock before it gives way and retries. */
    static final String LOCK_TIMEOUT = "1s";

    private static final int ATTEMPTS = 10;
    private static final Set<String> RETRYABLE = Set.of("55P03", "40P01", "40001");

    private final Connection connection;
    private final EngineLog log;
    private final DedupeTarget target;
    private final DedupeConfig config;
    private final List<Reference> references;
    private final OnlineJournal journal;

    OnlineBatch(
            Connection connection,
            EngineLog log,
            DedupeTarget target,
            DedupeConfig config,
            List<Reference> references,
            OnlineJournal journal) {
        this.connection = connection;
        this.log = log;
        this.target = target;
        this.config = config;
        this.references = references;
        this.journal = journal;
    }

    /** Rows deleted by one committed batch, and how long its transaction held its locks. */
    record Done(long deleted, long lockedMillis) {}

    /** Deletes the pairs {@code [from, from + pairs.size())} of the plan; retries as the class comment says. */
    Done run(List<String[]> pairs, long from) throws SQLException, IOException, DatabaseException {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(pairs, from);
            } catch (SQLException e) {
                if (!RETRYABLE.contains(e.getSQLState()) || attempt == ATTEMPTS) {
                    throw e;
                }
                long pause = Math.min(5_000, 100L << (attempt - 1));
                log.info("dedupe: batch at plan row " + from + " gave way (" + DedupeEngine.firstLine(e.getMessage())
                        + "); retry " + attempt + " of " + (ATTEMPTS - 1) + " in " + pause + " ms");
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private Done attempt(List<String[]> pairs, long from) throws SQLException, IOException, DatabaseException {
        boolean commitAttempted = false;
        connection.setAutoCommit(false);
        long begun = System.nanoTime();
        long started = begun;
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            PgCopy.canonicalText(connection);
            DedupeReport.preferIndexLookups(connection, target, true);
            long xid;
            try (ResultSet rs = statement.executeQuery("SELECT txid_current()")) {
                rs.next();
                xid = rs.getLong(1);
            }
            statement.execute(OnlineSql.clearBatch());
            PgCopy.copyIn(connection, OnlineSql.BATCH_COLUMNS, new ByteArrayInputStream(csv(pairs)));
            statement.execute(OnlineSql.analyzeBatch());
            long loaded = System.nanoTime();
            started = loaded;
            long pruned = statement.executeUpdate(OnlineSql.lockAndPrune(target));
            long prunedAt = System.nanoTime();
            long toDelete = pairs.size() - pruned;
            long moved = 0;
            String repointsSha = null;
            if (journal.hasRepoints()) {
                try (HashingFile file = new HashingFile(journal.pendingRepoints());
                        CSVPrinter csv = RowCsv.printer(file.writer())) {
                    for (Reference reference : references) {
                        moved += recordAndRepoint(reference, csv);
                    }
                    csv.flush();
                    repointsSha = file.finish();
                }
            } else {
                checkNotReferenced();
            }
            long deleted;
            String rowsSha;
            try (HashingFile file = new HashingFile(journal.pendingRows())) {
                deleted = PgCopy.copyOut(connection, OnlineSql.deleteReturning(target), file.stream());
                rowsSha = file.finish();
            }
            if (deleted != toDelete) {
                throw new SQLException("batch deleted " + deleted + " rows but " + toDelete + " were locked for it");
            }
            long deletedAt = System.nanoTime();
            journal.pending(new OnlineState.Batch(
                    xid,
                    from,
                    from + pairs.size(),
                    OnlineJournal.PENDING_ROWS,
                    deleted,
                    rowsSha,
                    repointsSha == null ? null : OnlineJournal.PENDING_REPOINTS,
                    moved,
                    repointsSha));
            commitAttempted = true;
            connection.commit();
            long committedAt = System.nanoTime();
            long locked = (committedAt - started) / 1_000_000;
            journal.committed();
            log.debug("dedupe: batch at plan row " + from + ": loading " + (loaded - begun) / 1_000_000
                    + " ms, locks and checks " + (prunedAt - loaded) / 1_000_000 + " ms, references, delete and backup "
                    + (deletedAt - prunedAt) / 1_000_000
                    + " ms, journal and commit " + (committedAt - deletedAt) / 1_000_000 + " ms, appending "
                    + DedupeEngine.millis(committedAt) + " ms");
            return new Done(deleted, locked);
        } catch (SQLException | IOException | DatabaseException | RuntimeException e) {
            if (!commitAttempted) {
                rollbackQuietly();
                journal.discardPending();
            }
            throw e;
        } finally {
            if (!commitAttempted || !connection.isClosed()) {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is gone; the next run settles the batch from the manifest
                }
            }
        }
    }

    /** The pairs as CSV with a header line, for {@code COPY ... FROM}. */
    private static byte[] csv(List<String[]> pairs) throws IOException {
        StringBuilder text = new StringBuilder(RowCsv.line(List.of("ms_del", "ms_kept")));
        for (String[] pair : pairs) {
            text.append(RowCsv.line(List.of(pair[0], pair[1])));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Records the references of {@code reference} that point at rows of the batch, then moves them. */
    private long recordAndRepoint(Reference reference, CSVPrinter csv)
            throws SQLException, IOException, DatabaseException {
        if (reference.rowId() == null) {
            throw new DatabaseException("Table " + reference.table().display() + " references "
                    + target.table().display() + " but has no single-column primary key, so its repointed rows could"
                    + " not be restored; use onReferences=fail and fix the references by hand.");
        }
        long recorded = 0;
        try (PreparedStatement statement = connection.prepareStatement(OnlineSql.repoints(reference));
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ReferenceRepointer.printRepoint(csv, reference, target, rs);
                recorded++;
            }
        }
        long moved;
        try (Statement statement = connection.createStatement()) {
            moved = statement.executeUpdate(OnlineSql.repoint(reference));
        }
        if (moved != recorded) {
            throw new SQLException("repointed " + moved + " references but recorded " + recorded);
        }
        return moved;
    }

    /** {@code onReferences=fail}: a reference added while the run went on stops it before this batch deletes. */
    private void checkNotReferenced() throws SQLException, DatabaseException {
        if (config.onReferences() != OnReferences.FAIL) {
            return;
        }
        for (Reference reference : references) {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(OnlineSql.referencedCount(reference))) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new DatabaseException(rs.getLong(1) + " row(s) of " + reference.display() + " ("
                            + reference.name() + ") now reference rows this batch would delete; they were added"
                            + " while the online apply ran. The batches committed so far stay deleted and backed up in "
                            + journal.directory() + ". Set <onReferences>repoint</onReferences> or fix those rows,"
                            + " then run again: the run resumes.");
                }
            }
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the server rolls the transaction back itself
        }
    }
}
