package io.github.migrationsafety.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.Expectation;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.SmokeException;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.smoke.SuppressionRule;
import io.github.migrationsafety.smoke.Suppressions;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlywaySmokeTest {

    @TempDir
    Path dir;

    /** The POM's suppressions of the next smoke. */
    private List<SuppressionRule> suppressions = List.of();

    private Path classes() {
        return dir.resolve("classes");
    }

    private void migration(String name, String sql) throws Exception {
        Path file = classes().resolve("db/migration").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, sql, StandardCharsets.UTF_8);
    }

    private SmokeResult smoke(PostgresTarget postgres, Map<String, String> settings, Path released, boolean write)
            throws Exception {
        return smoke(postgres, settings, released, write, null);
    }

    private SmokeResult smoke(
            PostgresTarget postgres,
            Map<String, String> settings,
            Path released,
            boolean write,
            ConnectionSettings production)
            throws Exception {
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classes().toUri().toURL()}, getClass().getClassLoader())) {
            FlywaySmokeConfig config = new FlywaySmokeConfig(
                    new FlywaySource(List.of("db/migration"), settings, loader),
                    "postgresql",
                    dir.resolve("out/migration.sql"),
                    dir.resolve("work"),
                    postgres,
                    List.of(Expectation.parse("unique:model_metadata(name, version)")),
                    released,
                    write,
                    Severity.ERROR,
                    production,
                    true,
                    suppressions);
            return new FlywaySmoke(config, EngineLog.silent()).run();
        }
    }

    private void runbook() throws Exception {
        migration(
                "V1__create_model_metadata.sql",
                "CREATE TABLE ${owner}model_metadata (\n  id BIGINT PRIMARY KEY,\n  name VARCHAR(200) NOT NULL,\n"
                        + "  version VARCHAR(50) NOT NULL\n);\n");
        migration(
                "V2__unique_name_version.sql",
                "ALTER TABLE model_metadata ADD CONSTRAINT uq_model_metadata_name_version UNIQUE (name, version);\n");
        migration("R__model_view.sql", "CREATE OR REPLACE VIEW model_names AS SELECT name FROM model_metadata;\n");
    }

    @Test
    void goodMigrationsPassOnH2WithPlaceholdersInTheSql() throws Exception {
        runbook();
        SmokeResult result = smoke(PostgresTarget.off(), Map.of("flyway.placeholders.owner", ""), null, false);
        assertTrue(result.passed(), result.findings().toString());
        String sql = Files.readString(dir.resolve("out/migration.sql"));
        assertTrue(sql.contains("-- Migration db/migration/V1__create_model_metadata.sql (version 1"), sql);
        assertTrue(sql.contains("CREATE TABLE model_metadata ("), sql);
        assertTrue(
                sql.indexOf("V2__unique") < sql.indexOf("R__model_view"), "repeatables come after versioned: " + sql);
        List<?> entries = (List<?>) result.summary().get("changesets");
        assertEquals(3, entries.size());
        assertEquals(FlywaySmoke.NO_UNDO, result.summary().get("rollback"));
        assertTrue(result.checks().stream()
                .anyMatch(c -> c.group().equals("expectations.h2") && c.outcome() == Check.Outcome.PASSED));
        assertEquals("classpath:db/migration", result.summary().get("changeLogFile"));
    }

    /** A project's own Java callback, named in its Flyway settings: counts the migrate runs it saw end. */
    public static final class AfterMigrateCounter implements Callback {

        static final AtomicInteger RUNS = new AtomicInteger();

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            RUNS.incrementAndGet();
        }

        @Override
        public String getCallbackName() {
            return "after-migrate-counter";
        }
    }

    /**
     * The callbacks a project names in its Flyway settings run in the smoke as in Flyway's own migrate, beside the
     * smoke's own (which it gives Flyway with {@code callbacks(...)}: Flyway keeps those named in the settings too).
     */
    @Test
    void theProjectsOwnCallbacksRunBesideTheSmokes() throws Exception {
        runbook();
        AfterMigrateCounter.RUNS.set(0);
        SmokeResult result = smoke(
                PostgresTarget.off(),
                Map.of("flyway.placeholders.owner", "", "flyway.callbacks", AfterMigrateCounter.class.getName()),
                null,
                false);
        assertTrue(result.passed(), result.findings().toString());
        assertEquals(1, AfterMigrateCounter.RUNS.get(), "the H2 run's migrate ended once");
        assertEquals(3, ((List<?>) result.summary().get("changesets")).size());
    }

    /**
     * An {@code afterMigrate.sql} callback of PostgreSQL-only SQL fails Flyway's migrate on H2 outside any migration;
     * PostgreSQL runs it through, so it is a warning, as a migration that fails on H2 only is (it was an error). With
     * no PostgreSQL run to tell, and when PostgreSQL fails it too, it stays an error.
     */
    @Test
    void aCallbackThatFailsOnH2OnlyIsAWarningAndOneThatFailsOnPostgresAnError() throws Exception {
        runbook();
        migration("afterMigrate.sql", "VACUUM ANALYZE model_metadata;\n");
        SmokeResult onBoth = smoke(
                new PostgresTarget(false, PostgresServer.freshDatabase("flyway_callback")),
                Map.of("flyway.placeholders.owner", ""),
                null,
                false);
        assertTrue(onBoth.passed(), onBoth.findings().toString());
        List<Finding> h2Only = onBoth.findings().stream()
                .filter(f -> f.rule().equals("smoke.h2-only-failure"))
                .toList();
        assertEquals(1, h2Only.size(), onBoth.findings().toString());
        assertEquals(Severity.WARNING, h2Only.get(0).severity());
        assertEquals("classpath:db/migration", h2Only.get(0).subject());
        assertTrue(
                h2Only.get(0).message().startsWith("Flyway's migrate fails on H2 but passes on PostgreSQL: ")
                        && h2Only.get(0).message().contains("afterMigrate"),
                h2Only.get(0).message());

        SmokeResult h2Alone = smoke(PostgresTarget.off(), Map.of("flyway.placeholders.owner", ""), null, false);
        assertEquals(
                List.of(FlywaySmoke.INVALID),
                h2Alone.findings().stream()
                        .filter(f -> f.severity() == Severity.ERROR)
                        .map(Finding::rule)
                        .toList());

        migration("afterMigrate.sql", "INSERT INTO no_such_table VALUES (1);\n");
        SmokeResult failsOnBoth = smoke(
                new PostgresTarget(false, PostgresServer.freshDatabase("flyway_callback_fails")),
                Map.of("flyway.placeholders.owner", ""),
                null,
                false);
        assertEquals(
                List.of("Flyway's migrate failed on H2", "Flyway's migrate failed on PostgreSQL"),
                failsOnBoth.findings().stream()
                        .filter(f -> f.rule().equals(FlywaySmoke.INVALID))
                        .map(f -> f.message().substring(0, f.message().indexOf(':')))
                        .toList());
    }

    @Test
    void aFailingMigrationIsNamedWithItsLine() throws Exception {
        runbook();
        migration("V3__broken.sql", "SELECT 1;\n\nALTER TABLE no_such_table ADD COLUMN x INT;\n");
        SmokeResult result = smoke(PostgresTarget.off(), Map.of("placeholders.owner", ""), null, false);
        assertFalse(result.passed());
        Finding failure = result.findings().stream()
                .filter(f -> f.rule().equals("smoke.changeset-failed"))
                .findFirst()
                .orElseThrow();
        assertEquals("db/migration/V3__broken.sql", failure.subject());
        assertEquals("db/migration/V3__broken.sql", failure.file());
        assertEquals(3, failure.line(), failure.toString());
        assertTrue(failure.message().startsWith("fails on H2: "), failure.message());
    }

    @Test
    void duplicateVersionsAreFlywaysOwnValidationError() throws Exception {
        runbook();
        migration("V2__again.sql", "SELECT 1;\n");
        SmokeResult result = smoke(PostgresTarget.off(), Map.of("placeholders.owner", ""), null, false);
        assertFalse(result.passed());
        Finding finding = result.findings().get(0);
        assertEquals(FlywaySmoke.INVALID, finding.rule());
        assertTrue(finding.message().contains("version 2"), finding.message());
    }

    @Test
    void aReleasedMigrationEditedSinceFails() throws Exception {
        runbook();
        Path released = dir.resolve("released.txt");
        SmokeResult first = smoke(PostgresTarget.off(), Map.of("placeholders.owner", ""), released, true);
        assertTrue(first.passed(), first.findings().toString());
        assertTrue(Files.readString(released).contains(" db/migration/V1__create_model_metadata.sql\n"));
        migration(
                "V2__unique_name_version.sql",
                "ALTER TABLE model_metadata ADD CONSTRAINT uq_name_version UNIQUE (name, version);\n");
        SmokeResult second = smoke(PostgresTarget.off(), Map.of("placeholders.owner", ""), released, false);
        assertFalse(second.passed());
        Finding edited = second.findings().get(0);
        assertEquals(FlywaySmoke.RELEASED_EDITED, edited.rule());
        assertEquals("db/migration/V2__unique_name_version.sql", edited.subject());
    }

    @Test
    void anH2OnlyFailureWarnsWhenPostgresAppliesIt() throws Exception {
        runbook();
        migration("V3__pg_only.sql", "CREATE INDEX idx_name_brin ON model_metadata USING brin (id);\n");
        SmokeResult result = smoke(
                new PostgresTarget(false, PostgresServer.freshDatabase("flyway")),
                Map.of("placeholders.owner", ""),
                null,
                false);
        assertTrue(result.passed(), result.findings().toString());
        Finding warning = result.findings().stream()
                .filter(f -> f.rule().equals("smoke.h2-only-failure"))
                .findFirst()
                .orElseThrow();
        assertEquals(Severity.WARNING, warning.severity());
        assertEquals("db/migration/V3__pg_only.sql", warning.subject());
    }

    @Test
    void concurrentlyUnderFlywaysTransactionalLockIsReportedInsteadOfHanging() throws Exception {
        runbook();
        migration(
                "V3__index_concurrently.sql",
                "CREATE INDEX CONCURRENTLY idx_model_version ON model_metadata (version);\n");
        SmokeResult result = smoke(
                new PostgresTarget(false, PostgresServer.freshDatabase("flywaylock")),
                Map.of("placeholders.owner", ""),
                null,
                false);
        assertFalse(result.passed());
        Finding finding = result.findings().stream()
                .filter(f -> f.rule().equals("smoke.flyway.concurrently-with-transactional-lock"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(result.findings().toString()));
        assertEquals("db/migration/V3__index_concurrently.sql", finding.subject());
        assertEquals(List.of("H2 2.3.232"), result.summary().get("databases"));
    }

    /**
     * A migration's scans are its own: the one before it scanned the table (SET NOT NULL), and the next one only
     * renames. PostgreSQL 15+ would show the first one's statistics as the second one's transaction's until they are
     * flushed; the trace has the server flush them when each migration's transaction ends.
     */
    @Test
    void aMigrationAfterAScanIsNotTracedAsScanning() throws Exception {
        migration(
                "V1__create.sql",
                "CREATE TABLE stage (id INT PRIMARY KEY, name VARCHAR(20), note VARCHAR(20));\n"
                        + "INSERT INTO stage SELECT g, 'n' || g, 'x' FROM generate_series(1, 50) g;\n");
        migration("V2__not_null.sql", "ALTER TABLE stage ALTER COLUMN name SET NOT NULL;\n");
        migration("V3__rename.sql", "ALTER TABLE stage RENAME COLUMN name TO label;\n");
        migration("V4__not_null_again.sql", "ALTER TABLE stage ALTER COLUMN note SET NOT NULL;\n");
        migration("V5__rename_again.sql", "ALTER TABLE stage RENAME COLUMN label TO title;\n");
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classes().toUri().toURL()}, getClass().getClassLoader())) {
            SmokeResult result = new FlywaySmoke(
                            new FlywaySmokeConfig(
                                    new FlywaySource(List.of("db/migration"), Map.of(), loader),
                                    "postgresql",
                                    dir.resolve("out/migration.sql"),
                                    dir.resolve("work"),
                                    new PostgresTarget(false, PostgresServer.freshDatabase("flywayscans")),
                                    List.of(),
                                    null,
                                    false,
                                    Severity.ERROR,
                                    null,
                                    true,
                                    List.of()),
                            EngineLog.silent())
                    .run();
            Map<String, Object> scans = new TreeMap<>();
            for (Object entry : (List<?>) result.summary().get("impact")) {
                Map<?, ?> impact = (Map<?, ?>) entry;
                if (impact.get("table").equals("stage")) {
                    scans.put(((String) impact.get("changeset")).replace("db/migration/", ""), impact.get("scan"));
                }
            }
            assertEquals(
                    Map.of(
                            "V2__not_null.sql", true,
                            "V3__rename.sql", false,
                            "V4__not_null_again.sql", true,
                            "V5__rename_again.sql", false),
                    scans);
        }
    }

    @Test
    void onPostgresEachMigrationsLocksAreTraced() throws Exception {
        runbook();
        migration(
                "V3__index_concurrently.sql",
                "CREATE INDEX CONCURRENTLY idx_model_version ON model_metadata (version);\n");
        SmokeResult result = smoke(
                new PostgresTarget(false, PostgresServer.freshDatabase("flywayimpact")),
                Map.of("placeholders.owner", "", "postgresql.transactional.lock", "false"),
                null,
                false);
        assertTrue(result.passed(), result.findings().toString());
        List<?> impact = (List<?>) result.summary().get("impact");
        Map<?, ?> unique = impact.stream()
                .map(e -> (Map<?, ?>) e)
                .filter(e -> e.get("changeset").equals("db/migration/V2__unique_name_version.sql"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(impact.toString()));
        assertEquals("model_metadata", unique.get("table"));
        assertEquals("AccessExclusiveLock", unique.get("lock"));
        // outside a transaction, watched from a second connection: a build this small may end between two looks,
        // but what is seen is the concurrent build's lock, never ShareLock
        impact.stream()
                .map(e -> (Map<?, ?>) e)
                .filter(e -> e.get("changeset").equals("db/migration/V3__index_concurrently.sql"))
                .forEach(e -> assertEquals("ShareUpdateExclusiveLock", e.get("lock"), impact.toString()));
        assertTrue(
                impact.stream().noneMatch(e -> ((Map<?, ?>) e).get("table").equals("flyway_schema_history")),
                impact.toString());
    }

    @Test
    void aConcurrentBuildThatFailedLeavesAnInvalidIndexToDrop() throws Exception {
        // Flyway runs a CONCURRENTLY migration outside a transaction: the failed build's index stays, INVALID, as it
        // would in production, and the finding names the migration and the index to drop
        migration(
                "V1__create_table.sql",
                "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT);\n"
                        + "INSERT INTO t SELECT g, g % 10 FROM generate_series(1, 100) g;\n");
        migration("V2__unique_index.sql", "CREATE UNIQUE INDEX CONCURRENTLY uq_v ON t (v);\n");
        SmokeResult result = smoke(
                new PostgresTarget(false, PostgresServer.freshDatabase("flywayinvalid")),
                Map.of("postgresql.transactional.lock", "false"),
                null,
                false);
        Finding invalid = only(result, ImpactRules.INVALID_INDEX);
        assertEquals("db/migration/V2__unique_index.sql", invalid.subject());
        assertTrue(invalid.message().startsWith("left index uq_v INVALID"), invalid.message());
        assertTrue(invalid.hint().contains("DROP INDEX CONCURRENTLY uq_v"), invalid.hint());
        assertTrue(
                result.findings().stream()
                        .anyMatch(f -> f.rule().equals("smoke.changeset-failed")
                                && f.subject().equals(invalid.subject())),
                result.findings()::toString);
    }

    @Test
    void productionsHistoryTellsWhatIsPendingAndWhatFlywaysValidateWouldRefuse() throws Exception {
        runbook();
        ConnectionSettings production = PostgresServer.freshDatabase("flywayprod");
        // production ran V1 and V2 as they were released
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classes().toUri().toURL()}, getClass().getClassLoader())) {
            new FlywaySource(List.of("db/migration"), Map.of("flyway.placeholders.owner", ""), loader)
                    .configure()
                    .dataSource(production.url(), production.username(), production.password())
                    .load()
                    .migrate();
        }
        migration(
                "V1__create_model_metadata.sql",
                "CREATE TABLE model_metadata (\n  id BIGINT PRIMARY KEY,\n  name VARCHAR(300) NOT NULL,\n"
                        + "  version VARCHAR(50) NOT NULL\n);\n");
        migration("V1_5__late.sql", "ALTER TABLE model_metadata ADD COLUMN owner VARCHAR(50);\n");
        migration("V3__stage.sql", "ALTER TABLE model_metadata ADD COLUMN stage VARCHAR(20);\n");
        int rowsBefore = historyRows(production);
        SmokeResult result =
                smoke(PostgresTarget.off(), Map.of("flyway.placeholders.owner", ""), null, false, production);
        assertFalse(result.passed());
        Map<?, ?> summary = (Map<?, ?>) result.summary().get("production");
        assertEquals(3, summary.get("changesetsRan"), summary.toString()); // V1, V2 and the repeatable
        assertEquals(List.of("db/migration/V3__stage.sql"), summary.get("pending"));
        List<String> rules = result.findings().stream().map(Finding::rule).toList();
        assertTrue(rules.contains(ProductionHistory.CHECKSUM), rules.toString());
        assertTrue(rules.contains(ProductionHistory.OUT_OF_ORDER), rules.toString());
        Finding late = result.findings().stream()
                .filter(f -> f.rule().equals(ProductionHistory.OUT_OF_ORDER))
                .findFirst()
                .orElseThrow();
        assertEquals("db/migration/V1_5__late.sql", late.subject());
        assertEquals(rowsBefore, historyRows(production), "production is read only");
    }

    /** V1 and V2 released (their checksums written), then V3 builds an index on V1's table without CONCURRENTLY. */
    private SmokeResult indexOnAReleasedTable(String v3) throws Exception {
        runbook();
        Path released = dir.resolve("released-migrations.txt");
        assertTrue(smoke(PostgresTarget.off(), Map.of("placeholders.owner", ""), released, true)
                .passed());
        migration("V3__index_version.sql", v3);
        return smoke(
                new PostgresTarget(false, PostgresServer.freshDatabase("flywayrules")),
                Map.of("placeholders.owner", ""),
                released,
                false);
    }

    private static Finding only(SmokeResult result, String rule) {
        List<Finding> found =
                result.findings().stream().filter(f -> f.rule().equals(rule)).toList();
        assertEquals(1, found.size(), result.findings().toString());
        return found.get(0);
    }

    @Test
    void anIndexBuiltWithoutConcurrentlyOnAReleasedTableIsJudgedByTheImpactRules() throws Exception {
        SmokeResult result = indexOnAReleasedTable("CREATE INDEX ix ON model_metadata (version);\n");
        assertTrue(result.passed(), result.findings().toString());
        Finding finding = only(result, ImpactRules.INDEX);
        assertEquals(Severity.WARNING, finding.severity());
        assertEquals("db/migration/V3__index_version.sql", finding.subject());
        assertEquals("db/migration/V3__index_version.sql", finding.file());
        assertEquals(1, finding.line());
        assertTrue(
                finding.message()
                        .startsWith("builds index ix on existing table model_metadata without CONCURRENTLY"
                                + " (ShareLock, blocks writes, held "),
                finding.message());
        assertEquals(
                "a migration of its own (Flyway runs it outside a transaction; needs"
                        + " flyway.postgresql.transactional.lock=false): CREATE INDEX CONCURRENTLY ix ON model_metadata"
                        + " (version);",
                finding.hint());
        assertEquals("releasedChecksums", result.summary().get("impactJudgedBy"));
        // V2's unique constraint was released: production ran it, the rules leave it alone
        assertTrue(
                result.findings().stream().noneMatch(f -> f.rule().equals(ImpactRules.UNIQUE)),
                result.findings().toString());
    }

    @Test
    void withoutABoundaryEveryTableAnEarlierMigrationCreatedCounts() throws Exception {
        runbook();
        migration("V3__index_version.sql", "CREATE INDEX ix ON model_metadata (version);\n");
        SmokeResult result = smoke(
                new PostgresTarget(false, PostgresServer.freshDatabase("flywaynoboundary")),
                Map.of("placeholders.owner", ""),
                null,
                false);
        assertEquals(
                "db/migration/V3__index_version.sql",
                only(result, ImpactRules.INDEX).subject());
        assertEquals(
                "db/migration/V2__unique_name_version.sql",
                only(result, ImpactRules.UNIQUE).subject());
        assertEquals(SmokeResult.NO_BOUNDARY, result.summary().get("impactJudgedBy"));
        assertTrue(result.impactJudgedWithoutProduction());
    }

    @Test
    void aMarkerInTheMigrationSuppressesItsFindingAndAnUnusedOneWarns() throws Exception {
        SmokeResult result = indexOnAReleasedTable("-- migration-safety:ignore smoke.impact.index-not-concurrent"
                + " reason: model_metadata has 200 rows\n"
                + "-- migration-safety:ignore smoke.impact.rewrite reason: none expected\n"
                + "CREATE INDEX ix ON model_metadata (version);\n");
        assertTrue(result.passed(), result.findings().toString());
        Finding suppressed = only(result, ImpactRules.INDEX);
        assertTrue(suppressed.isSuppressed());
        assertEquals("model_metadata has 200 rows", suppressed.suppression().reason());
        assertEquals(
                "db/migration/V3__index_version.sql:1", suppressed.suppression().where());
        Finding unused = only(result, Suppressions.UNUSED);
        assertEquals(Severity.WARNING, unused.severity());
        assertEquals("db/migration/V3__index_version.sql", unused.subject());
        assertEquals(2, unused.line());
        assertEquals(
                "remove 'migration-safety:ignore smoke.impact.rewrite reason: ...' from the migration, or correct the"
                        + " rule id",
                unused.hint());
    }

    @Test
    void aMarkerWithoutAReasonStopsTheSmoke() throws Exception {
        runbook();
        migration(
                "V3__index_version.sql",
                "SELECT 1;\n-- migration-safety:ignore smoke.impact.index-not-concurrent\n"
                        + "CREATE INDEX ix ON model_metadata (version);\n");
        SmokeException e = assertThrows(
                SmokeException.class, () -> smoke(PostgresTarget.off(), Map.of("placeholders.owner", ""), null, false));
        assertEquals(
                "Migration db/migration/V3__index_version.sql [db/migration/V3__index_version.sql:2] suppresses"
                        + " smoke.impact.index-not-concurrent without a reason ('reason:' missing or empty). Say why"
                        + " the finding is accepted: migration-safety:ignore smoke.impact.index-not-concurrent reason:"
                        + " <why>, e.g. reason: the table has 200 rows",
                e.getMessage());
    }

    @Test
    void aPomSuppressionNamesTheMigrationByItsFileName() throws Exception {
        suppressions = List.of(
                new SuppressionRule("V3__*", ImpactRules.INDEX, "model_metadata has 200 rows"),
                new SuppressionRule("db/migration/V9__gone.sql", ImpactRules.INDEX, "stale"));
        SmokeResult result = indexOnAReleasedTable("CREATE INDEX ix ON model_metadata (version);\n");
        Finding suppressed = only(result, ImpactRules.INDEX);
        assertTrue(suppressed.isSuppressed());
        assertEquals("POM <suppressions> entry 1", suppressed.suppression().where());
        assertEquals(
                "db/migration/V9__gone.sql", only(result, Suppressions.UNUSED).subject());
    }

    private static int historyRows(ConnectionSettings settings) throws Exception {
        try (var connection = Databases.open(settings);
                var statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
