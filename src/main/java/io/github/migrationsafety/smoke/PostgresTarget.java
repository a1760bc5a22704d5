package io.github.migrationsafety.smoke;

import io.github.migrationsafety.db.ConnectionSettings;

/**
 * Whether and where the smoke also runs on a real PostgreSQL.
 *
 * @param embedded   start an embedded PostgreSQL for the run
 * @param connection a server to use instead (a fresh database is created there and dropped), or {@code null}
 */
public record PostgresTarget(boolean embedded, ConnectionSettings connection) {

    public static PostgresTarget off() {
        return new PostgresTarget(false, null);
    }

    public boolean enabled() {
        return embedded || connection != null;
    }
}
