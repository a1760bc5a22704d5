package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.smoke.PostgresTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything one rehearsal needs.
 *
 * @param source           the changelog, as the smoke reads it (contexts and labels included); {@code null} when
 *                         another {@link MigrationTool} (Flyway) gives the migrations
 * @param production       the production database (read only)
 * @param postgres         the smoke's PostgreSQL, where the copy is made
 * @param pgDump           the pg_dump to use, or {@code null} to choose one by production's version
 * @param workDirectory    scratch space (pg_dump's output, the embedded server's log)
 * @param statementTimeout the longest any one statement may run on production
 * @param rowLimit         read at most this many rows of a table for the data counts, or {@code null} for all
 * @param samples          how many key values of offending rows a data finding names
 */
public record RehearsalConfig(
        ChangelogSource source,
        ConnectionSettings production,
        PostgresTarget postgres,
        String pgDump,
        Path workDirectory,
        Duration statementTimeout,
        Long rowLimit,
        int samples) {

    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_SAMPLES = 5;

    public RehearsalConfig {
        Objects.requireNonNull(production, "production");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (rowLimit != null && rowLimit < 1) {
            throw new IllegalArgumentException("rowLimit must be positive: " + rowLimit);
        }
    }
}
