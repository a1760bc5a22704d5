package io.github.migrationsafety.rehearsal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * One connection to production inside a read-only transaction on the rehearsal's snapshot: the production session's
 * own, or another one that imported its snapshot ({@code SET TRANSACTION SNAPSHOT}), so that counts running side by
 * side on several connections read exactly the rows the session and {@code pg_dump} see. Each piece of work runs in
 * a savepoint, so a count that fails (a timeout) leaves the transaction usable for the next.
 */
final class SnapshotReads implements AutoCloseable {

    /** Work on production inside a savepoint; a failure rolls back to it and is thrown. */
    interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Connection connection;
    private final boolean owned;

    /** @param owned whether {@link #close()} ends this connection's transaction and closes it */
    SnapshotReads(Connection connection, boolean owned) {
        this.connection = connection;
        this.owned = owned;
    }

    /** Runs {@code query} in a savepoint: its failure leaves the transaction usable. */
    <T> T inSavepoint(Query<T> query) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            T value = query.run(connection);
            connection.releaseSavepoint(savepoint);
            return value;
        } catch (SQLException e) {
            connection.rollback(savepoint);
            throw e;
        }
    }

    /**
     * Turns PostgreSQL's JIT compilation off until the transaction ends: the counts' costs (a full scan, a sort of
     * every key) pass its thresholds, and compiling their expressions takes longer (about 0.3 s for the duplicates of
     * 5,000,000 rows) than it saves in queries bound by the scan and the sort. A server without JIT is left as it is.
     */
    void withoutJit() {
        try {
            inSavepoint(c -> {
                try (Statement statement = c.createStatement()) {
                    statement.execute("SET LOCAL jit = off"); // outlives the savepoint it is released with
                }
                return null;
            });
        } catch (SQLException ignored) {
            // no jit setting (before PostgreSQL 11): nothing to turn off
        }
    }

    /** Rolls this connection's read-only transaction back and closes it, when it is its own. */
    @Override
    public void close() {
        if (!owned) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // closing ends the transaction anyway
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing was written
        }
    }
}
