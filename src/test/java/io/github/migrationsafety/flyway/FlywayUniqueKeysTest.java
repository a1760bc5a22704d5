package io.github.migrationsafety.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.dedupe.ChangelogKeysCheck;
import io.github.migrationsafety.dedupe.DedupeConfig;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Snapshot;
import io.github.migrationsafety.testsupport.Sql;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keysFromChangelog with Flyway migrations: Flyway's own info on a real H2 and a real PostgreSQL whose history lists
 * the applied migrations, Flyway's own parser, dedupe's dry-run of each pending key.
 */
class FlywayUniqueKeysTest {

    /** The SQL migrations sit beside the test's Java migration {@code keysfixture.V4__Backfill}. */
    private static final String LOCATION = "io/github/migrationsafety/flyway/keysfixture";

    @TempDir
    Path dir;

    private void migration(String name, String sql) throws Exception {
        Path file = dir.resolve("classes").resolve(LOCATION).resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, sql, StandardCharsets.UTF_8);
    }

    private void migrations() throws Exception {
        migration(
                "V1__create.sql",
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(50), version VARCHAR(10));\n"
                        + "CREATE TABLE sidecar(id BIGINT PRIMARY KEY, path VARCHAR(50));\n");
        migration("V2__unique_sidecar.sql", "CREATE UNIQUE INDEX ux_sidecar_path ON sidecar (path);\n");
        migration(
                "V3__unique_model.sql",
                "-- the model's key, before the loader relies on it\n"
                        + "CREATE INDEX ix_model_name ON model_metadata (name);\n"
                        + "\n"
                        + "ALTER TABLE ${schema}.model_metadata\n"
                        + "    ADD CONSTRAINT uq_model_name_version UNIQUE (name, version);\n"
                        + "CREATE UNIQUE INDEX ux_model_lower_name ON model_metadata (lower(name));\n");
    }

    /**
     * Applies V1 and V2 with Flyway's own migrate, then makes V2's key fail (its index dropped, duplicate paths) and
     * adds duplicate models under V3's pending key.
     */
    private void applyTwo(ConnectionSettings database, URLClassLoader loader) {
        Flyway.configure(loader)
                .locations("classpath:" + LOCATION)
                .placeholders(Map.of("schema", "public"))
                .dataSource(database.url(), database.username(), database.password())
                .target("2")
                .load()
                .migrate();
        Sql.run(
                database,
                "DROP INDEX ux_sidecar_path",
                "INSERT INTO sidecar VALUES (1, 'x.json'), (2, 'x.json')",
                "INSERT INTO model_metadata VALUES (1, 'churn', '1'), (2, 'churn', '1'), (3, 'fraud', '1')");
    }

    private ChangelogKeysCheck.Result check(ConnectionSettings database, URLClassLoader loader, CapturingLog log)
            throws Exception {
        FlywaySource source =
                new FlywaySource(List.of(LOCATION), Map.of("flyway.placeholders.schema", "public"), loader);
        try (Connection connection = Databases.open(database)) {
            return new ChangelogKeysCheck(connection, log)
                    .run(
                            new FlywayUniqueKeys(source, ConnectionSource.of(database)),
                            DedupeConfig.defaults(
                                    "ignored",
                                    List.of("ignored"),
                                    dir.resolve("out/dedupe-report.csv"),
                                    dir.resolve("backups")));
        }
    }

    private URLClassLoader loader() throws Exception {
        return new URLClassLoader(
                new URL[] {dir.resolve("classes").toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void thePendingMigrationsKeyIsCheckedAndTheAppliedOnesIsNotOnH2() throws Exception {
        migrations();
        ConnectionSettings database = H2Database.fresh("flyway-keys");
        try (URLClassLoader loader = loader()) {
            applyTwo(database, loader);
            CapturingLog log = new CapturingLog();
            ChangelogKeysCheck.Result result = check(database, loader, log);
            assertPendingKeyFails(result, log, "PUBLIC.MODEL_METADATA(NAME, VERSION)");
        }
    }

    @Test
    void thePendingMigrationsKeyIsCheckedAndTheAppliedOnesIsNotOnPostgres() throws Exception {
        migrations();
        ConnectionSettings database = PostgresServer.freshDatabase("flyway_keys");
        try (URLClassLoader loader = loader()) {
            applyTwo(database, loader);
            CapturingLog log = new CapturingLog();
            ChangelogKeysCheck.Result result = check(database, loader, log);
            assertPendingKeyFails(result, log, "public.model_metadata(name, version)");
            assertEquals(
                    List.of("Long:2"),
                    Snapshot.of(database, "SELECT count(*) FROM flyway_schema_history"),
                    "the history is read, not written");
        }
    }

    @Test
    void onAnEmptyDatabaseEveryMigrationIsPendingAndKeysOnTablesItCreatesHaveNoRowsToCheck() throws Exception {
        migrations();
        ConnectionSettings database = H2Database.fresh("flyway-keys-empty");
        try (URLClassLoader loader = loader()) {
            CapturingLog log = new CapturingLog();
            ChangelogKeysCheck.Result result = check(database, loader, log);
            assertTrue(result.passed(), result.findings().toString());
            assertEquals(List.of(), result.checked());
            assertTrue(
                    log.lines()
                            .contains("[INFO] Migration " + LOCATION + "/V2__unique_sidecar.sql adds a unique key on"
                                    + " sidecar(path); sidecar does not exist in this database yet (a pending"
                                    + " migration creates it), so it has no rows to check"),
                    log.text());
            assertTrue(
                    log.lines()
                            .contains("[INFO] Flyway migrations classpath:" + LOCATION
                                    + ": 2 unique key(s) added, 2 by migrations not yet applied here"),
                    log.text());
        }
    }

    @Test
    void aKeyWithNullsNotDistinctCountsRowsWithNullKeysAsDuplicates() throws Exception {
        migrations();
        migration(
                "V3__unique_model.sql",
                "ALTER TABLE model_metadata ADD CONSTRAINT uq UNIQUE NULLS NOT DISTINCT (name, version);\n");
        ConnectionSettings database = H2Database.fresh("flyway-keys-nulls");
        try (URLClassLoader loader = loader()) {
            applyTwo(database, loader);
            Sql.run(database, "INSERT INTO model_metadata VALUES (4, 'bert', NULL), (5, 'bert', NULL)");
            ChangelogKeysCheck.Result result = check(database, loader, new CapturingLog());
            assertEquals(
                    "migration " + LOCATION + "/V3__unique_model.sql (ADD UNIQUE) would fail: 2 duplicate group(s),"
                            + " 4 rows; 2 row(s) would be deleted (keep lowest-id)",
                    result.findings().get(0).message());
        }
    }

    private static void assertPendingKeyFails(ChangelogKeysCheck.Result result, CapturingLog log, String subject) {
        String v3 = LOCATION + "/V3__unique_model.sql";
        assertTrue(
                log.lines()
                        .contains("[INFO] Flyway migrations classpath:" + LOCATION
                                + ": 2 unique key(s) added, 1 by migrations not yet applied here"),
                log.text());
        assertTrue(
                log.lines()
                        .contains("[INFO] Flyway migration " + v3 + " line 6 adds a unique key on model_metadata"
                                + " that is not checked: it is an index over an expression, not over columns"),
                log.text());
        assertTrue(
                log.lines()
                        .contains("[INFO] Flyway migration io.github.migrationsafety.flyway.keysfixture.V4__Backfill"
                                + " is a Java migration: its SQL is known only when it runs, so the unique keys it"
                                + " adds are not checked; check them with 'table' and 'keyColumns'"),
                log.text());
        assertEquals(
                List.of(v3),
                result.checked().stream().map(c -> c.key().migration()).toList(),
                "V2's key is applied already: not checked, though its table has duplicates now");
        Finding finding = result.findings().get(0);
        assertEquals(
                "migration " + v3 + " (ADD UNIQUE) would fail: 1 duplicate group(s), 2 rows; 1 row(s) would be"
                        + " deleted (keep lowest-id)",
                finding.message());
        assertEquals(subject, finding.subject());
        assertEquals(v3, finding.file());
        assertEquals(4, finding.line());
        assertEquals(
                "1 pending unique key(s) in classpath:" + LOCATION + " would fail on duplicate rows",
                result.headline());
        assertEquals("classpath:" + LOCATION, result.summary().get("flywayLocations"));
    }
}
