package io.github.migrationsafety.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mvnw -B verify -Preal-flyway -Dreal-flyway.snapshots=DIR}: a public project's Flyway migrations (OHDSI
 * WebAPI's 196 PostgreSQL migrations, from a git snapshot in {@code DIR/webapi/}, {@code DIR/webapi/SNAPSHOT} naming
 * the commit) applied by Flyway's own migrate and by the smoke, each on a fresh database of the same PostgreSQL
 * server, with the project's Flyway settings. The smoke must pass where Flyway passes, with the same migrations
 * applied; the times and the impact findings per rule go to {@code target/real-flyway/webapi.txt}.
 */
class RealFlywayComparison {

    static final String SNAPSHOTS = "real-flyway.snapshots";
    static final String WEBAPI_COMMIT = "b22d7bf02d98c0cf78c46801877368d6ecad2245";

    /** WebAPI's own Flyway settings for PostgreSQL (application.properties with the PostgreSQL profile's values). */
    private static final Map<String, String> WEBAPI_SETTINGS = Map.of(
            "flyway.schemas", "webapi",
            "flyway.placeholders.ohdsiSchema", "webapi",
            "flyway.outOfOrder", "true",
            "flyway.baselineOnMigrate", "true");

    @Test
    void theSmokeAppliesWhatFlywaysMigrateAppliesOnTheSamePostgres() throws Exception {
        String snapshots = System.getProperty(SNAPSHOTS, "").trim();
        Path dir = Path.of(snapshots.isEmpty() ? "/nonexistent" : snapshots).resolve("webapi");
        Path snapshot = dir.resolve("SNAPSHOT");
        Assumptions.assumeTrue(
                Files.isRegularFile(snapshot)
                        && Files.readString(snapshot).strip().equals(WEBAPI_COMMIT),
                "no snapshot of OHDSI/WebAPI " + WEBAPI_COMMIT + " in " + dir + ": git --git-dir=<mirror> archive "
                        + WEBAPI_COMMIT + " src/main/resources/db/migration/postgresql | tar -x -C " + dir
                        + " && echo " + WEBAPI_COMMIT + " > " + snapshot);
        Path migrations = dir.resolve("src/main/resources/db/migration/postgresql");
        FlywaySource source = new FlywaySource(
                List.of("filesystem:" + migrations.toAbsolutePath()),
                WEBAPI_SETTINGS,
                getClass().getClassLoader());

        ConnectionSettings flywayDb = PostgresServer.freshDatabase("webapi_flyway");
        long started = System.nanoTime();
        source.configure()
                .dataSource(flywayDb.url(), flywayDb.username(), flywayDb.password())
                .load()
                .migrate();
        long flywayMillis = (System.nanoTime() - started) / 1_000_000;
        List<String> applied = new ArrayList<>();
        try (Connection connection = Databases.open(flywayDb);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT script FROM webapi.flyway_schema_history"
                        + " WHERE success AND type = 'SQL' ORDER BY installed_rank")) {
            while (rs.next()) {
                applied.add(rs.getString(1));
            }
        }

        Path work = Path.of("target/real-flyway");
        Files.createDirectories(work);
        FlywaySmokeConfig config = new FlywaySmokeConfig(
                source,
                "postgresql",
                work.resolve("webapi.sql"),
                work.resolve("work"),
                new PostgresTarget(false, PostgresServer.freshDatabase("webapi_smoke")),
                List.of(),
                null,
                false,
                Severity.ERROR,
                null,
                true,
                List.of());
        started = System.nanoTime();
        SmokeResult result = new FlywaySmoke(config, EngineLog.silent()).run();
        long smokeMillis = (System.nanoTime() - started) / 1_000_000;

        List<String> smokeApplied = new ArrayList<>();
        for (Object entry : (List<?>) result.summary().get("changesets")) {
            Map<?, ?> migration = (Map<?, ?>) entry;
            Map<?, ?> postgres = (Map<?, ?>) migration.get("postgresql");
            if (postgres != null && "passed".equals(postgres.get("status"))) {
                String key = (String) migration.get("changeset");
                smokeApplied.add(key.substring(key.lastIndexOf('/') + 1));
            }
        }
        Map<String, Integer> byRule = new TreeMap<>();
        for (Finding finding : result.findings()) {
            byRule.merge(finding.rule() + " (" + finding.severity().name().toLowerCase() + ")", 1, Integer::sum);
        }
        String figures = "OHDSI/WebAPI " + WEBAPI_COMMIT + ": " + applied.size() + " SQL migrations applied by Flyway's"
                + " migrate in " + flywayMillis + " ms; the smoke applied " + smokeApplied.size() + " on PostgreSQL"
                + " (with H2, the trace and the impact rules) in " + smokeMillis + " ms; smoke "
                + (result.passed() ? "passed" : "failed") + "; findings per rule: " + byRule + "\n";
        Files.writeString(work.resolve("webapi.txt"), figures, StandardCharsets.UTF_8);
        System.out.println(figures);

        assertTrue(applied.size() >= 100, applied.toString());
        assertEquals(
                applied.stream().sorted().toList(),
                smokeApplied.stream().sorted().toList());
        assertTrue(
                result.findings().stream()
                        .noneMatch(f -> f.rule().equals("smoke.changeset-failed")
                                || f.rule().equals("smoke.flyway.invalid")),
                result.findings().toString());
    }
}
