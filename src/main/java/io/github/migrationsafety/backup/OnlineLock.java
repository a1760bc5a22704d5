package io.github.migrationsafety.backup;

import io.github.migrationsafety.report.EngineLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The PostgreSQL advisory lock that keeps one online dedupe (or the restore settling one) per table at a time. */
public final class OnlineLock {

    private OnlineLock() {}

    /**
     * Session-level advisory lock on {@code table} held by an online run (and by restore while it settles one), so
     * that a resume or restore never works beside a run that is still going. Waits up to {@code waitSeconds}: the
     * backend of a killed client ends once the server notices the closed connection.
     */
    public static boolean lock(Connection connection, String table, int waitSeconds, EngineLog log)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        boolean told = false;
        while (true) {
            try (PreparedStatement statement =
                    connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
                statement.setString(1, lockKey(table));
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return true;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (!told) {
                log.info("dedupe: another session holds the online-dedupe lock of " + table
                        + " (a run in progress, or the connection of a stopped one the server has not closed yet);"
                        + " waiting up to " + waitSeconds + " s");
                told = true;
            }
            Thread.sleep(200);
        }
    }

    public static void unlock(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
            statement.setString(1, lockKey(table));
            statement.executeQuery().close();
        }
    }

    private static String lockKey(String table) {
        return "migration-safety online dedupe " + table;
    }
}
