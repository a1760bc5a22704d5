package io.github.migrationsafety.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.impact.ImpactEstimate;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.ImpactEstimator;
import io.github.migrationsafety.smoke.ImpactSettings;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock-held time of Flyway migrations at production size, measured on a real PostgreSQL as for changesets. */
class FlywayEstimateTest {

    private static final String UNIQUE = "db/migration/V2__unique_name_version.sql";

    @TempDir
    Path dir;

    private final CapturingLog log = new CapturingLog();

    private void migration(String name, String sql) throws Exception {
        Path file = dir.resolve("classes/db/migration").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, sql, StandardCharsets.UTF_8);
    }

    private void migrations() throws Exception {
        migration(
                "V1__create_model_metadata.sql",
                "CREATE TABLE model_metadata (\n  id BIGINT PRIMARY KEY,\n  name VARCHAR(200) NOT NULL,\n"
                        + "  version VARCHAR(50) NOT NULL\n);\n");
        migration(
                "V2__unique_name_version.sql",
                "ALTER TABLE model_metadata ADD CONSTRAINT uq_model_metadata_name_version UNIQUE (name, version);\n");
        migration("R__model_view.sql", "CREATE OR REPLACE VIEW model_names AS SELECT name FROM model_metadata;\n");
    }

    private URLClassLoader loader() throws Exception {
        return new URLClassLoader(
                new URL[] {dir.resolve("classes").toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void aUniqueConstraintOnATableWithProductionRowsIsEstimatedAndBlocksAboveMaxBlockingSeconds() throws Exception {
        migrations();
        // versioned migrations only: the migrations before V2 are applied as one Flyway group, nothing stops its
        // migrate, and the run of V2 holds its lock until the estimate rolls it back
        Files.delete(dir.resolve("classes/db/migration/R__model_view.sql"));
        SmokeResult result;
        try (URLClassLoader loader = loader()) {
            result = new FlywaySmoke(
                            new FlywaySmokeConfig(
                                    new FlywaySource(List.of("db/migration"), Map.of(), loader),
                                    "postgresql",
                                    dir.resolve("out/migration.sql"),
                                    dir.resolve("work"),
                                    new PostgresTarget(false, PostgresServer.freshDatabase("flywayestimate")),
                                    List.of(),
                                    null,
                                    false,
                                    Severity.ERROR,
                                    null,
                                    true,
                                    List.of(),
                                    List.of(),
                                    new ImpactSettings(
                                            true, Map.of("MODEL_METADATA", 2_000_000L), 1_000, 4_000, 0.001)),
                            log)
                    .run();
        }
        assertFalse(result.passed());
        Map<?, ?> unique = ((List<?>) result.summary().get("impact"))
                .stream()
                        .map(e -> (Map<?, ?>) e)
                        .filter(e -> e.get("changeset").equals(UNIQUE))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(result.summary().toString()));
        Map<?, ?> estimate = (Map<?, ?>) unique.get("productionEstimate");
        assertEquals(2_000_000L, estimate.get("productionRows"), unique.toString());
        List<?> measured = (List<?>) estimate.get("measured");
        long largeRows = ((Number) ((Map<?, ?>) measured.get(1)).get("rows")).longValue();
        long largeMillis = ((Number) ((Map<?, ?>) measured.get(1)).get("heldMillis")).longValue();
        assertTrue(((Number) estimate.get("estimatedMillis")).longValue() >= largeMillis, estimate::toString);
        String line = log.lines().stream()
                .filter(l -> l.startsWith("[INFO] Impact of "))
                .findFirst()
                .orElse(log.text());
        assertTrue(
                line.matches("\\[INFO] Impact of " + UNIQUE + " on model_metadata: AccessExclusiveLock held \\d+ ms"
                        + " at \\d+ rows, \\d+ ms at \\d+ rows; estimated \\d+ ms at 2000000 rows; longest probe read"
                        + " \\d+ ms, write \\d+ ms(; from samples .*)?"),
                line);

        Finding blocking = result.findings().stream()
                .filter(f -> f.rule().equals(ImpactEstimator.BLOCKING))
                .findFirst()
                .orElseThrow(() -> new AssertionError(result.findings().toString()));
        assertEquals(Severity.ERROR, blocking.severity());
        assertEquals(UNIQUE, blocking.subject());
        assertEquals(UNIQUE, blocking.file());
        assertTrue(
                blocking.message()
                        .startsWith("holds AccessExclusiveLock on model_metadata, which blocks reads and writes, for an"
                                + " estimated "),
                blocking.message());
        assertTrue(
                blocking.message()
                        .endsWith(
                                String.format(Locale.ROOT, "at %,d rows), above maxBlockingSeconds=0.001", largeRows)),
                blocking.message());
        assertEquals(
                1,
                result.findings().stream()
                        .filter(f -> f.rule().equals(ImpactEstimator.BLOCKING))
                        .count(),
                result.findings().toString());
    }

    /**
     * The estimate of V2's lock by an estimator whose growth threshold is {@code longEnoughMillis}, after Flyway's own
     * migrate traced the migrations on a fresh database.
     */
    private ImpactEstimate estimateUnique(long longEnoughMillis, Map<String, String> settings) throws Exception {
        migrations();
        return estimateSecond(longEnoughMillis, settings);
    }

    private ImpactEstimate estimateSecond(long longEnoughMillis, Map<String, String> settings) throws Exception {
        ConnectionSettings database = PostgresServer.freshDatabase("flywaygrowth");
        StallProbe.Connector connector = () -> {
            try {
                return Databases.open(database);
            } catch (DatabaseException e) {
                throw new SQLException(e.getMessage(), e);
            }
        };
        try (URLClassLoader loader = loader();
                Connection connection = connector.open()) {
            FlywaySource source = new FlywaySource(List.of("db/migration"), settings, loader);
            FlywayMigrations.Resolved resolved = FlywayMigrations.read(source);
            MigrationRunner.Result result = MigrationRunner.migrate(
                    source, database.url(), database.username(), database.password(), log, connector, false);
            assertEquals(null, result.failure());
            FlywaySmokeReport report = new FlywaySmokeReport(Severity.ERROR);
            List<ImpactEstimate> estimates = new FlywayImpact(
                            source,
                            ProductionBoundary.NONE,
                            resolved.migrations(),
                            report,
                            log,
                            new ImpactSettings(true, Map.of("model_metadata", 1_000_000L), 1_000, 4_000, null))
                    .estimate(result, connection, connector, longEnoughMillis);
            // the repeatable migration's view reads model_metadata too: Flyway runs it after every versioned one,
            // whatever the target, and the estimate stops Flyway's migrate before it while it measures V2
            assertEquals(
                    List.of(UNIQUE, "db/migration/R__model_view.sql"),
                    estimates.stream().map(ImpactEstimate::changeset).toList(),
                    log::text);
            ImpactEstimate e = estimates.get(0);
            assertEquals(
                    "[INFO] Impact of " + UNIQUE + " on model_metadata: "
                            + e.lock().pgName() + " held "
                            + e.smallMillis()
                            + " ms at " + e.smallRows() + " rows, " + e.largeMillis() + " ms at " + e.largeRows()
                            + " rows; estimated " + e.estimatedMillis() + " ms at 1000000 rows; longest probe read "
                            + e.readStallMillis() + " ms, write " + e.writeStallMillis() + " ms",
                    log.lines().stream()
                            .filter(l -> l.startsWith("[INFO] Impact of "))
                            .findFirst()
                            .orElse(log.text()));
            assertEquals(
                    ImpactEstimate.extrapolate(
                            e.smallRows(), e.smallMillis(), e.largeRows(), e.largeMillis(), 1_000_000),
                    e.estimatedMillis(),
                    e::toString);
            assertTrue(
                    report.result().findings().isEmpty(),
                    () -> report.result().findings().toString());
            return e;
        }
    }

    private List<String> debugLines(String part) {
        return log.lines().stream()
                .filter(l -> l.startsWith("[DEBUG] Estimate of " + UNIQUE) && l.contains(part))
                .toList();
    }

    @Test
    void samplesThatHoldTheLockLongEnoughAreKept() throws Exception {
        // a threshold of 0 ms: every lock is held long enough, however fast this machine
        ImpactEstimate e = estimateUnique(0, Map.of());
        assertEquals(List.of(1_000L, 4_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
    }

    @Test
    void aMigrationFlywayRunsInATransactionGrowsOneSampleAndEachRunIsRolledBack() throws Exception {
        // no lock is held long enough, however slow this machine: 1,000 and 4,000 rows grow to 4,000 and 16,000,
        // then to 16,000 and 64,000, and stop there (MAX_GROWTH)
        ImpactEstimate e = estimateUnique(Long.MAX_VALUE, Map.of());
        assertEquals(2, ImpactEstimator.MAX_GROWTH);
        assertEquals(List.of(16_000L, 64_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
        // one schema, V1 applied by Flyway once; each run's history row rolled back with it, so Flyway runs V2 again
        assertEquals(
                1, debugLines(": a fresh schema with the changesets before it ").size(), log::text);
        List<String> runs = debugLines(" rows: fill and vacuum analyze ");
        assertTrue(runs.size() >= 4, log::text);
        assertTrue(runs.stream().allMatch(l -> l.endsWith(" ms (rolled back)")), log::text);
        assertTrue(
                runs.stream().anyMatch(l -> l.contains(" at 64,000 rows: ") && l.contains("(from 16,000 rows)")),
                log::text);
    }

    @Test
    void aMigrationFlywayRunsOutsideATransactionIsMeasuredOnAFreshSampleEachRun() throws Exception {
        migrations();
        // statements that commit one by one; the last holds its lock 0.3 s, so the lock watcher sees it however fast
        // this machine builds the constraint
        migration(
                "V2__unique_name_version.sql",
                "ALTER TABLE model_metadata ADD CONSTRAINT uq_model_metadata_name_version UNIQUE (name, version);\n"
                        + "SELECT pg_sleep(0.3), count(*) FROM model_metadata;\n");
        migration("V2__unique_name_version.sql.conf", "executeInTransaction=false\n");
        ImpactEstimate e = estimateSecond(0, Map.of());
        assertEquals(List.of(1_000L, 4_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
        List<String> runs = debugLines(" rows: fill and vacuum analyze ");
        assertTrue(runs.size() >= 2, log::text);
        assertTrue(
                runs.stream().allMatch(l -> l.contains("(from 0 rows)") && l.endsWith(" ms (committed)")), log::text);
        assertEquals(
                runs.size(),
                debugLines(": a fresh schema with the changesets before it ").size(),
                log::text);
    }
}
