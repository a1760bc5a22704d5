package io.github.migrationsafety.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.ImpactSettings;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.SeedData;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke's seedData with Flyway migrations, by the Liquibase smoke's rule, on real H2 and PostgreSQL. */
class FlywaySeedsTest {

    @TempDir
    Path dir;

    private void migration(String name, String sql) throws Exception {
        Path file = dir.resolve("classes/db/migration").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, sql, StandardCharsets.UTF_8);
    }

    private SeedData seed(String csv, String afterChangeset) throws Exception {
        Path file = dir.resolve("seed-" + Math.abs(csv.hashCode()) + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return new SeedData("model_metadata", file, afterChangeset);
    }

    private void runbook() throws Exception {
        migration(
                "V1__create_model_metadata.sql",
                "CREATE TABLE model_metadata (id BIGINT PRIMARY KEY, name VARCHAR(200), version VARCHAR(50));\n");
        migration("V2__add_stage.sql", "ALTER TABLE model_metadata ADD COLUMN stage VARCHAR(20);\n");
        migration(
                "V3__unique_name_version.sql",
                "ALTER TABLE model_metadata ADD CONSTRAINT uq_model_metadata_name_version UNIQUE (name, version);\n");
    }

    private static final String DUPLICATES = "id,name,version\n1,bert,2\n2,bert,2\n3,resnet,1.0\n";

    private SmokeResult smoke(PostgresTarget postgres, List<SeedData> seeds) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {dir.resolve("classes").toUri().toURL()}, getClass().getClassLoader())) {
            return new FlywaySmoke(
                            new FlywaySmokeConfig(
                                    new FlywaySource(List.of("db/migration"), Map.of(), loader),
                                    "postgresql",
                                    dir.resolve("out/migration.sql"),
                                    dir.resolve("work"),
                                    postgres,
                                    List.of(),
                                    null,
                                    false,
                                    Severity.ERROR,
                                    null,
                                    false,
                                    List.of(),
                                    seeds,
                                    ImpactSettings.defaults()),
                            EngineLog.silent())
                    .run();
        }
    }

    private static Finding failure(SmokeResult result) {
        return result.findings().stream()
                .filter(f ->
                        f.rule().equals("smoke.changeset-failed") || f.rule().equals("smoke.h2-only-failure"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(result.findings().toString()));
    }

    @Test
    void rowsLoadedAfterTheMigrationThatCreatesTheTableMakeTheUniqueKeyFailOnH2() throws Exception {
        runbook();
        SmokeResult result = smoke(PostgresTarget.off(), List.of(seed(DUPLICATES, null)));
        assertFalse(result.passed());
        Finding failure = failure(result);
        assertEquals("db/migration/V3__unique_name_version.sql", failure.subject());
        assertTrue(failure.message().startsWith("fails on H2: "), failure.message());
    }

    @Test
    void rowsLoadedAfterTheNamedMigrationOnPostgres() throws Exception {
        runbook();
        // after V2 the stage column exists: the CSV may fill it
        SmokeResult result = smoke(
                new PostgresTarget(false, PostgresServer.freshDatabase("flyway_seeds")),
                List.of(seed("id,name,version,stage\n1,bert,2,prod\n2,bert,2,dev\n", "V2__add_stage.sql")));
        assertFalse(result.passed());
        List<String> failed = result.findings().stream()
                .filter(f -> f.rule().equals("smoke.changeset-failed"))
                .map(f -> f.subject() + ": "
                        + f.message().substring(0, f.message().indexOf(':')))
                .toList();
        assertEquals(
                List.of(
                        "db/migration/V3__unique_name_version.sql: fails on H2",
                        "db/migration/V3__unique_name_version.sql: fails on PostgreSQL"),
                failed);
    }

    @Test
    void withoutDuplicatesTheSmokePasses() throws Exception {
        runbook();
        SmokeResult result = smoke(PostgresTarget.off(), List.of(seed("id,name,version\n1,bert,2\n", "2")));
        assertTrue(result.passed(), result.findings().toString());
    }

    @Test
    void aSeedWhoseMigrationNeverRanIsAnError() throws Exception {
        runbook();
        SmokeResult result = smoke(PostgresTarget.off(), List.of(seed("id,name,version\n1,bert,2\n", "V9")));
        assertFalse(result.passed());
        Finding finding = result.findings().get(0);
        assertEquals("smoke.seed-not-loaded", finding.rule());
        assertTrue(finding.message().endsWith("was not loaded on H2: migration V9 did not run"), finding.message());
    }

    @Test
    void aSeedThatDoesNotFitFailsTheMigrationItFollows() throws Exception {
        runbook();
        SmokeResult result = smoke(PostgresTarget.off(), List.of(seed("id,name,colour\n1,bert,red\n", null)));
        assertFalse(result.passed());
        Finding failure = failure(result);
        assertEquals("db/migration/V1__create_model_metadata.sql", failure.subject());
        assertTrue(
                failure.message()
                        .contains("Seed data after migration db/migration/V1__create_model_metadata.sql could not be"
                                + " loaded: "),
                failure.message());
        assertTrue(failure.message().contains("colour"), failure.message());
    }
}
