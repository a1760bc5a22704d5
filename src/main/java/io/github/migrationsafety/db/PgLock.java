package io.github.migrationsafety.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The one way the engines lock a PostgreSQL table for the rest of a transaction. */
public final class PgLock {

    private PgLock() {}

    /**
     * Locks {@code table} against writers until the transaction ends: {@code SHARE ROW EXCLUSIVE} blocks writers,
     * not readers, and a lock timeout of 60 seconds ({@code SET LOCAL}, this transaction only) makes the statement
     * fail instead of hanging behind a long transaction.
     */
    public static void againstWriters(Connection connection, TableRef table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '60s'");
            statement.execute("LOCK TABLE " + table.sql() + " IN SHARE ROW EXCLUSIVE MODE");
        }
    }
}
