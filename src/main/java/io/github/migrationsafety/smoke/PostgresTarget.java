package io.github.migrationsafety.smoke;

import io.github.migrationsafety.db.ConnectionSettings;
import java.nio.file.Path;

/**
 * Whether and where the smoke also runs on a real PostgreSQL.
 *
 * @param embedded   start an embedded PostgreSQL for the run
 * @param connection a server to use instead (a fresh database is created there and dropped), or {@code null}
 * @param binaries   the jar of zonky PostgreSQL binaries the embedded server starts from (the {@code postgresVersion}
 *                   asked for), or {@code null} for the binaries on the plugin's classpath
 */
public record PostgresTarget(boolean embedded, ConnectionSettings connection, Path binaries) {

    /** The embedded server from the binaries on the plugin's classpath, or a server at {@code connection}. */
    public PostgresTarget(boolean embedded, ConnectionSettings connection) {
        this(embedded, connection, null);
    }

    public static PostgresTarget off() {
        return new PostgresTarget(false, null, null);
    }

    public boolean enabled() {
        return embedded || connection != null;
    }
}
