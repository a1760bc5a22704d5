package io.github.migrationsafety.changelog;

import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.report.EngineLog;
import java.sql.Connection;

/**
 * A project's migrations as {@code dedupe}'s {@code keysFromChangelog} reads them: the unique keys they add, and
 * those of the migrations not yet applied to one database, decided as the migration tool itself decides it. A
 * Liquibase changelog ({@link ChangelogUniqueKeys}) or Flyway migrations.
 */
public interface MigrationKeys {

    /** {@code liquibase} or {@code flyway}. */
    String tool();

    /** The migrations' name in the log and the report: the master changelog, or the Flyway locations. */
    String label();

    /**
     * The keys every migration adds, and those of the migrations an update of the database at {@code connection}
     * would run, in the order it runs them. Reads the database's history only.
     */
    ChangelogUniqueKeys.Keys read(Connection connection, EngineLog log) throws ChangelogException, DatabaseException;
}
