package io.github.migrationsafety.backup;

import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.report.EngineLog;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Restore of an online dedupe that did not finish: under the table's online-dedupe lock (so no run works beside it),
 * the backup is settled to exactly the batches PostgreSQL committed ({@link OnlineJournal#settle}) and marked
 * {@code rolled-back} before any row goes back, so no later apply resumes a run whose rows were restored. If the
 * restore itself then fails, running it again is safe: restore skips the rows already present.
 */
final class OnlineRestore {

    private static final int LOCK_WAIT_SECONDS = 60;

    private final Connection connection;
    private final EngineLog log;

    OnlineRestore(Connection connection, EngineLog log) {
        this.connection = connection;
        this.log = log;
    }

    void settle(Path directory) throws DatabaseException, BackupException {
        try {
            OnlineJournal journal = OnlineJournal.open(directory);
            String table = journal.manifest().table();
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                if (!OnlineLock.lock(connection, table, LOCK_WAIT_SECONDS, log)) {
                    throw new DatabaseException("An online dedupe of " + table + " is still running (it holds the"
                            + " table's online-dedupe lock). Stop it (or let it finish), then run restore again."
                            + " Nothing was restored.");
                }
                try {
                    String settled = journal.settle(connection);
                    journal.restored();
                    log.info("Backup " + directory + " is an online dedupe that stopped after "
                            + journal.state().batches() + " committed batch(es) ("
                            + journal.manifest().rowCount()
                            + " rows)" + (settled == null ? "" : "; " + settled) + ". It is now marked rolled-back, so"
                            + " no later run resumes it.");
                } finally {
                    OnlineLock.unlock(connection, table);
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (IOException e) {
            throw new BackupException(
                    "Backup " + directory.toAbsolutePath() + " of an unfinished online dedupe cannot" + " be settled: "
                            + e.getMessage() + ". Nothing was restored.",
                    e);
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Backup " + directory.toAbsolutePath() + " of an unfinished online dedupe" + " cannot be settled: "
                            + e.getMessage() + ". Nothing was restored.",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException(
                    "Interrupted while waiting for the online-dedupe lock. Nothing was restored.", e);
        }
    }
}
