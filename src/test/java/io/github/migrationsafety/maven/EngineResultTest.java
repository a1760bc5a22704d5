package io.github.migrationsafety.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.migrationsafety.backup.BackupEngine;
import io.github.migrationsafety.backup.RestoreEngine;
import io.github.migrationsafety.changelog.ChangelogFingerprint;
import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.dedupe.ChangelogKeysCheck;
import io.github.migrationsafety.dedupe.DedupeConfig;
import io.github.migrationsafety.dedupe.DedupeEngine;
import io.github.migrationsafety.flyway.FlywaySmoke;
import io.github.migrationsafety.gate.Gate;
import io.github.migrationsafety.gate.GateConfig;
import io.github.migrationsafety.rehearsal.RehearsalEngine;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Redactor;
import io.github.migrationsafety.report.ReportWriter;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.sidecar.SidecarConfig;
import io.github.migrationsafety.sidecar.SidecarSigner;
import io.github.migrationsafety.sidecar.SidecarVerifier;
import io.github.migrationsafety.sidecar.SignConfig;
import io.github.migrationsafety.sidecar.SigningKey;
import io.github.migrationsafety.sidecar.SigningMode;
import io.github.migrationsafety.smoke.Expectation;
import io.github.migrationsafety.smoke.ImpactSettings;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.RollbackMode;
import io.github.migrationsafety.smoke.SmokeConfig;
import io.github.migrationsafety.smoke.SmokeEngine;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.H2Database;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every engine returns an {@link EngineResult}, and every goal turns one into a Maven outcome the same way
 * ({@link GoalOutcome}): the reports written, the summary lines first, each warning and error on its own line with
 * its rule id, then one {@link MojoFailureException} with the result's headline when it did not pass, or that
 * headline as a warning when the goal's fail switch is off. Run on real engines over H2 and temporary directories.
 */
class EngineResultTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CHANGELOG = """
            databaseChangeLog:
              - changeSet:
                  id: create-model-metadata
                  author: alice
                  changes:
                    - createTable:
                        tableName: model_metadata
                        columns:
                          - column: {name: id, type: bigint, constraints: {primaryKey: true}}
                          - column: {name: name, type: varchar(100)}
                          - column: {name: version, type: varchar(20)}
              - changeSet:
                  id: unique-name-version
                  author: alice
                  changes:
                    - addUniqueConstraint:
                        tableName: model_metadata
                        columnNames: name, version
            """;

    @TempDir
    Path dir;

    /** Each engine's entry point, by class and method name. */
    private static final Map<Class<?>, String> ENTRY_POINTS = Map.of(
            SmokeEngine.class, "run",
            FlywaySmoke.class, "run",
            RehearsalEngine.class, "run",
            DedupeEngine.class, "run",
            ChangelogKeysCheck.class, "run",
            BackupEngine.class, "run",
            RestoreEngine.class, "restore",
            SidecarVerifier.class, "run",
            SidecarSigner.class, "run",
            Gate.class, "run");

    @Test
    void everyEngineReturnsAnEngineResult() {
        ENTRY_POINTS.forEach((engine, name) -> {
            List<Method> entries = Arrays.stream(engine.getMethods())
                    .filter(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()))
                    .toList();
            assertFalse(entries.isEmpty(), engine.getSimpleName() + "." + name);
            for (Method entry : entries) {
                assertTrue(
                        EngineResult.class.isAssignableFrom(entry.getReturnType()),
                        engine.getSimpleName() + "." + name + " returns "
                                + entry.getReturnType().getName());
            }
        });
    }

    @Test
    void smokeThatPassesAndOneThatFails() throws Exception {
        Path root = dir.resolve("smoke");
        Path resources = root.resolve("src/main/resources");
        Files.createDirectories(resources.resolve("db/changelog"));
        Files.writeString(resources.resolve("db/changelog/db.changelog-master.yaml"), CHANGELOG);
        assertTranslated("smoke", smoke(root, List.of()), true);
        EngineResult failed = smoke(root, List.of(Expectation.parse("table:missing_table")));
        assertFalse(failed.passed());
        assertTranslated("smoke", failed, true);
        assertTranslated("smoke", failed, false);
    }

    @Test
    void dedupeAndTheChangelogKeysOfADatabaseWithDuplicates() throws Exception {
        ConnectionSettings settings = duplicates();
        try (Connection connection = Databases.open(settings)) {
            EngineResult dryRun = new DedupeEngine(connection, new CapturingLog())
                    .run(DedupeConfig.defaults(
                            "model_metadata", List.of("name", "version"), dir.resolve("dedupe.csv"), null));
            assertFalse(dryRun.passed());
            assertFalse(dryRun.summaryLines().isEmpty());
            assertTranslated("dedupe", dryRun, true);
            assertTranslated("dedupe", dryRun, false);

            Path changelog = dir.resolve("changelog");
            Files.createDirectories(changelog);
            Files.writeString(changelog.resolve("master.yaml"), CHANGELOG);
            EngineResult keys = new ChangelogKeysCheck(connection, new CapturingLog())
                    .run(
                            new ChangelogSource(
                                    changelog,
                                    "master.yaml",
                                    Map.of(),
                                    "postgresql",
                                    getClass().getClassLoader()),
                            DedupeConfig.defaults(
                                    "model_metadata", List.of("name", "version"), dir.resolve("keys.csv"), null));
            assertFalse(keys.passed());
            assertTranslated("dedupe", keys, true);
        }
    }

    @Test
    void backupAndRestorePass() throws Exception {
        ConnectionSettings settings = duplicates();
        BackupEngine.Result backup = new BackupEngine(settings, new CapturingLog())
                .run(new BackupEngine.Config(
                        List.of("model_metadata"), dir.resolve("backups"), BackupEngine.Method.JDBC, "pg_dump", 100));
        assertTrue(backup.passed());
        assertTranslated("backup", backup, true);
        try (Connection connection = Databases.open(settings)) {
            EngineResult restore = new RestoreEngine(connection, new CapturingLog())
                    .restore(backup.locations().get(0));
            assertTrue(restore.passed());
            assertTranslated("restore", restore, true);
        }
    }

    @Test
    void sidecarsAndSignOfAnArtifactWithABadSidecar() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.write(models.resolve("a.pkl"), new byte[] {1, 2, 3});
        Files.write(models.resolve("b.pkl"), new byte[] {4});
        Files.writeString(models.resolve("b_metadata.json"), "{\"name\": \"b\", \"version\": \"1\"}");
        SigningKey noKey = SigningKey.fromEnvironment("NO_SUCH_KEY_VARIABLE", variable -> null);
        EngineResult sidecars = new SidecarVerifier(
                        new SidecarConfig(
                                models,
                                List.of(),
                                List.of(),
                                SidecarConfig.DEFAULT_SUFFIX,
                                SigningMode.OFF,
                                noKey,
                                null,
                                1L,
                                1,
                                null,
                                null),
                        new CapturingLog())
                .run();
        assertFalse(sidecars.passed());
        assertTranslated("sidecars", sidecars, true);
        assertTranslated("sidecars", sidecars, false);
        EngineResult sign = new SidecarSigner(
                        new SignConfig(
                                models,
                                List.of(),
                                List.of(),
                                SidecarConfig.DEFAULT_SUFFIX,
                                SigningMode.OFF,
                                noKey,
                                1,
                                true,
                                null),
                        new CapturingLog())
                .run();
        assertFalse(sign.passed());
        assertTranslated("sign", sign, true);
    }

    @Test
    void gateWithoutASmokeReport() throws Exception {
        EngineResult gate = Gate.run(new GateConfig(
                dir.resolve("no-reports"),
                new ChangelogFingerprint("0".repeat(64), List.of()),
                "db/changelog/db.changelog-master.yaml",
                "com.example:app",
                "postgresql",
                null,
                List.of(),
                Instant.now()));
        assertFalse(gate.passed());
        assertTranslated("gate", gate, true);
    }

    private EngineResult smoke(Path root, List<Expectation> expectations) throws Exception {
        return new SmokeEngine(
                        new SmokeConfig(
                                new ChangelogSource(
                                        root.resolve("src/main/resources"),
                                        "db/changelog/db.changelog-master.yaml",
                                        Map.of(),
                                        null,
                                        null,
                                        "postgresql",
                                        getClass().getClassLoader()),
                                root.resolve("target/migration-safety/migration.sql"),
                                root.resolve("target/migration-safety/work"),
                                RollbackMode.OFF,
                                PostgresTarget.off(),
                                expectations,
                                List.of(),
                                null,
                                false,
                                Severity.ERROR,
                                ImpactSettings.defaults()),
                        new CapturingLog())
                .run();
    }

    /** An H2 database whose model_metadata holds one duplicate group of (name, version). */
    private static ConnectionSettings duplicates() throws Exception {
        ConnectionSettings settings = H2Database.fresh("engine-result");
        try (Connection connection = Databases.open(settings);
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE TABLE model_metadata (id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20))");
            statement.execute(
                    "INSERT INTO model_metadata VALUES (1, 'resnet', '1'), (2, 'resnet', '1'), (3, 'bert'," + " '2')");
        }
        return settings;
    }

    /**
     * Concludes {@code result} as the goal {@code goal} does and checks what the user sees: the summary lines first,
     * each unsuppressed warning and error on a line of its own with its rule id (errors as warnings when the goal's
     * fail switch is off), the report's line, and then one failure, or one warning, with the headline and the
     * report; and the JSON report with the result's status, figures and findings.
     */
    private void assertTranslated(String goal, EngineResult result, boolean failOnErrors) throws Exception {
        Path reports = Files.createTempDirectory(dir, goal);
        CapturingLog log = new CapturingLog();
        GoalOutcome outcome = new GoalOutcome(goal, new ReportWriter(reports, null, Redactor.none()), log);
        MojoFailureException failure = null;
        try {
            outcome.conclude(result, Instant.now(), failOnErrors);
        } catch (MojoFailureException e) {
            failure = e;
        }
        Path json = reports.resolve(goal + "-report.json");
        Path html = reports.resolve("index.html");
        List<String> expected = new ArrayList<>();
        result.summaryLines().forEach(line -> expected.add("[INFO] " + line));
        List<Finding> summarized = new ArrayList<>();
        for (Finding finding : result.findings()) {
            if (finding.isSuppressed() || finding.severity() == Severity.INFO) {
                continue;
            }
            assertTrue(finding.logLine().contains(" [" + finding.rule() + "]"), finding.logLine());
            if (finding.severity() == Severity.WARNING && result.summarized(finding)) {
                summarized.add(finding);
            }
        }
        result.findings().stream()
                .filter(f -> f.severity() == Severity.WARNING && !f.isSuppressed() && !result.summarized(f))
                .forEach(f -> expected.add("[WARNING] " + f.logLine()));
        if (!summarized.isEmpty()) {
            expected.add("[WARNING] " + result.summaryLine(summarized, json));
        }
        result.errors().forEach(f -> expected.add((failOnErrors ? "[ERROR] " : "[WARNING] ") + f.logLine()));
        expected.add("[INFO] Report: " + json + " (page: " + html + ")");
        String headline = result.headline() + " - see " + json;
        if (!result.passed() && !failOnErrors) {
            expected.add("[WARNING] " + headline);
        }
        assertEquals(expected, log.lines(), goal);
        if (!result.passed() && failOnErrors) {
            assertNotNull(failure, goal + " did not fail");
            assertEquals(headline, failure.getMessage());
        } else {
            assertNull(failure, goal);
        }
        Map<?, ?> report = JSON.readValue(json.toFile(), Map.class);
        assertEquals(result.passed() ? "passed" : "failed", report.get("status"), goal);
        assertEquals(result.findings().size(), ((List<?>) report.get("findings")).size(), goal);
        Map<?, ?> summary = (Map<?, ?>) report.get("summary");
        assertTrue(summary.keySet().containsAll(result.summary().keySet()), goal + ": " + summary.keySet());
    }
}
