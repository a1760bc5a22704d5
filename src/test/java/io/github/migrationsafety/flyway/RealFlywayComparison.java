package io.github.migrationsafety.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.rehearsal.RehearsalConfig;
import io.github.migrationsafety.rehearsal.RehearsalEngine;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.Postgres15Server;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.RehearsalResults;
import io.github.migrationsafety.testsupport.Sql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mvnw -B verify -Preal-flyway -Dreal-flyway.snapshots=DIR}: public projects' Flyway migrations, each from a
 * git snapshot in {@code DIR/<name>/} ({@code DIR/<name>/SNAPSHOT} naming the commit; {@code
 * scripts/real-flyway-snapshot.sh} prepares it), applied by Flyway's own migrate and by the smoke, each on a fresh
 * database of the same PostgreSQL server, with the project's Flyway settings. The smoke must pass where Flyway passes,
 * with the same migrations applied; the times and the impact findings per rule go to {@code
 * target/real-flyway/<name>.txt}.
 */
class RealFlywayComparison {

    static final String SNAPSHOTS = "real-flyway.snapshots";
    static final String WEBAPI_COMMIT = "b22d7bf02d98c0cf78c46801877368d6ecad2245";
    static final String MIRROR_NODE_COMMIT = "22d6b220f052854cb7deb2b372ce7481b90ec108";
    static final String OPENLMIS_REFERENCEDATA_COMMIT = "198c61bc3507b08f1f7c4d0b4210df4ff4e50c20";

    /** WebAPI's own Flyway settings for PostgreSQL (application.properties with the PostgreSQL profile's values). */
    private static final Map<String, String> WEBAPI_SETTINGS = Map.of(
            "flyway.schemas", "webapi",
            "flyway.placeholders.ohdsiSchema", "webapi",
            "flyway.outOfOrder", "true",
            "flyway.baselineOnMigrate", "true");

    @Test
    void ohdsiWebApi() throws Exception {
        Path dir = snapshot("webapi", WEBAPI_COMMIT, "OHDSI/WebAPI");
        compare(
                "webapi",
                "OHDSI/WebAPI " + WEBAPI_COMMIT,
                List.of("filesystem:" + dir.resolve("src/main/resources/db/migration/postgresql")),
                run -> WEBAPI_SETTINGS,
                Postgres15Server::freshDatabase,
                "webapi.flyway_schema_history");
    }

    /**
     * The Hiero (Hedera) mirror node's importer: 267 versioned and 4 repeatable SQL migrations in two locations, with
     * placeholders, on a server prepared as the project's own test setup prepares one ({@code
     * common/src/test/resources/init.sql}): the roles it names, and in {@code template1} the {@code temporary} schema
     * and the extensions, so that every new database, Flyway's and the smoke's, starts as the project's does. The
     * Java migrations among the importer's classes are not in these locations, so neither side runs them.
     */
    @Test
    void hieroMirrorNode() throws Exception {
        Path dir = snapshot("mirror-node", MIRROR_NODE_COMMIT, "hiero-ledger/hiero-mirror-node");
        EmbeddedPostgres server = Postgres15Server.startOwn("migration-safety-pg-mirror-node");
        execute(
                server,
                "postgres",
                "CREATE ROLE readonly",
                "CREATE ROLE readwrite IN ROLE readonly",
                "CREATE ROLE temporary_admin IN ROLE readwrite",
                "CREATE USER mirror_importer IN ROLE readwrite",
                "GRANT temporary_admin TO mirror_importer");
        execute(
                server,
                "template1",
                "CREATE SCHEMA IF NOT EXISTS temporary AUTHORIZATION temporary_admin",
                "GRANT USAGE ON SCHEMA temporary TO public",
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm");
        Path migrations = dir.resolve("importer/src/main/resources/db/migration");
        compare(
                "mirror-node",
                "hiero-ledger/hiero-mirror-node " + MIRROR_NODE_COMMIT,
                List.of("filesystem:" + migrations.resolve("common"), "filesystem:" + migrations.resolve("v1")),
                run -> mirrorNodeSettings("mirror_api_" + run),
                prefix -> PostgresServer.freshDatabase(server, prefix),
                "flyway_schema_history");
    }

    /**
     * OpenLMIS's reference-data service: 134 SQL migrations named by a timestamp without the {@code V} prefix
     * ({@code 20170206205240748__initial_schema.sql}), in a schema of their own with the history table under an older
     * name, as its {@code spring.flyway} settings (application.properties) say. The project runs on a PostGIS image;
     * two migrations add a column of PostGIS's {@code geometry} type and none calls a PostGIS function, so the
     * server's {@code template1} gets a stand-in type of that name (the embedded PostgreSQL has no PostGIS), and every
     * new database, Flyway's and the smoke's, starts with it.
     */
    @Test
    void openlmisReferenceData() throws Exception {
        Path dir = snapshot("openlmis-referencedata", OPENLMIS_REFERENCEDATA_COMMIT, "OpenLMIS/openlmis-referencedata");
        // the stand-in lives in pg_catalog, as PostGIS's type lives in its extension: every new database has it and
        // pg_dump copies neither, so the rehearsal's copy gets it from its server as production got the real one
        EmbeddedPostgres server =
                Postgres15Server.startOwn("migration-safety-pg-openlmis", Map.of("allow_system_table_mods", "on"));
        execute(
                server,
                "template1",
                "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"",
                "CREATE DOMAIN pg_catalog.geometry AS box");
        compare(
                "openlmis-referencedata",
                "OpenLMIS/openlmis-referencedata " + OPENLMIS_REFERENCEDATA_COMMIT,
                List.of("filesystem:" + dir.resolve("src/main/resources/db/migration")),
                run -> Map.of(
                        "flyway.schemas", "referencedata",
                        "flyway.sqlMigrationPrefix", "",
                        "flyway.table", "schema_version"),
                prefix -> PostgresServer.freshDatabase(server, prefix),
                "referencedata.schema_version");
    }

    /**
     * The importer's {@code spring.flyway} settings (application.yml with its defaults); V1.0 creates the REST API's
     * login role, which is one per server, so each run names its own.
     */
    private static Map<String, String> mirrorNodeSettings(String apiUser) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("flyway.baselineOnMigrate", "true");
        settings.put("flyway.baselineVersion", "0");
        settings.put("flyway.ignoreMigrationPatterns", "*:missing,*:ignored");
        settings.put("flyway.target", "latest");
        settings.put("flyway.placeholders.api-password", "mirror_api_pass");
        settings.put("flyway.placeholders.api-user", apiUser);
        // GRANT ... ON DATABASE needs a database that exists whatever the run's database is called
        settings.put("flyway.placeholders.db-name", "postgres");
        settings.put("flyway.placeholders.db-user", "mirror_importer");
        settings.put("flyway.placeholders.hashShardCount", "6");
        settings.put("flyway.placeholders.partitionStartDate", "'2019-09-01'");
        settings.put("flyway.placeholders.partitionTimeInterval", "'1 month'");
        settings.put("flyway.placeholders.schema", "public");
        settings.put("flyway.placeholders.shardCount", "16");
        settings.put("flyway.placeholders.tempSchema", "temporary");
        settings.put("flyway.placeholders.transactionHashLookbackInterval", "'60 days'");
        // set by the importer's ImporterConfiguration from the network; 0 as the project's own tests give it
        settings.put("flyway.placeholders.topicRunningHashV2AddedTimestamp", "0");
        return settings;
    }

    /** Runs {@code sql} in {@code database} of {@code server}, as its superuser: a server prepared as a project's is. */
    private static void execute(EmbeddedPostgres server, String database, String... sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://localhost:" + server.getPort() + "/" + database,
                        PostgresServer.USER,
                        PostgresServer.PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /** The snapshot's directory, or the test skipped with the command that prepares it. */
    private static Path snapshot(String name, String commit, String repository) throws Exception {
        String snapshots = System.getProperty(SNAPSHOTS, "").trim();
        Path dir = Path.of(snapshots.isEmpty() ? "/nonexistent" : snapshots).resolve(name);
        Path snapshot = dir.resolve("SNAPSHOT");
        boolean present = Files.isRegularFile(snapshot)
                && Files.readString(snapshot).strip().equals(commit);
        String skipped =
                "[real-flyway] skipped " + name + ": no snapshot of " + repository + " " + commit + " in " + dir
                        + "; prepare it with scripts/real-flyway-snapshot.sh " + name + " <git directory of "
                        + repository + "> " + commit + " " + (snapshots.isEmpty() ? "<snapshots directory>" : snapshots)
                        + ", then -Dreal-flyway.snapshots=<snapshots directory>";
        if (!present) {
            System.out.println(skipped);
        }
        Assumptions.assumeTrue(present, skipped);
        return dir.toAbsolutePath();
    }

    private void compare(
            String name,
            String title,
            List<String> locations,
            Function<String, Map<String, String>> settings,
            Function<String, ConnectionSettings> freshDatabase,
            String historyTable)
            throws Exception {
        FlywaySource flywaySource =
                new FlywaySource(locations, settings.apply("flyway"), getClass().getClassLoader());
        ConnectionSettings flywayDb = freshDatabase.apply(name.replace('-', '_') + "_flyway");
        long started = System.nanoTime();
        flywaySource
                .configure()
                .dataSource(flywayDb.url(), flywayDb.username(), flywayDb.password())
                .load()
                .migrate();
        long flywayMillis = (System.nanoTime() - started) / 1_000_000;
        List<String> applied = applied(flywayDb, historyTable);

        Path work = Path.of("target/real-flyway");
        Files.createDirectories(work);
        FlywaySmokeConfig config = new FlywaySmokeConfig(
                new FlywaySource(locations, settings.apply("smoke"), getClass().getClassLoader()),
                "postgresql",
                work.resolve(name + ".sql"),
                work.resolve("work"),
                new PostgresTarget(false, freshDatabase.apply(name.replace('-', '_') + "_smoke")),
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
        int migrations = 0;
        for (Object entry : (List<?>) result.summary().get("changesets")) {
            migrations++;
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
        String figures = "[real-flyway] " + title + ": " + migrations + " SQL migrations; " + applied.size()
                + " applied by Flyway's migrate in " + flywayMillis + " ms; the smoke applied " + smokeApplied.size()
                + " on PostgreSQL (with H2, the trace and the impact rules) in " + smokeMillis + " ms; same list: "
                + applied.stream()
                        .sorted()
                        .toList()
                        .equals(smokeApplied.stream().sorted().toList()) + "; smoke "
                + (result.passed() ? "passed" : "failed") + "; findings per rule: " + byRule + "\n";
        Files.writeString(work.resolve(name + ".txt"), figures, StandardCharsets.UTF_8);
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

        rehearse(name, locations, settings, freshDatabase, flywayDb, historyTable, result, work);
    }

    /**
     * The rehearsal on a production that Flyway's own migrate built up to the version two thirds into the versioned
     * migrations it applied, untouched since: no drift, no data finding, and every pending migration passes on
     * production's schema, as each passed in Flyway's migrate of them all. The servers are PostgreSQL 15, which the
     * machine's pg_dump 15 reads.
     */
    private void rehearse(
            String name,
            List<String> locations,
            Function<String, Map<String, String>> settings,
            Function<String, ConnectionSettings> freshDatabase,
            ConnectionSettings migrated,
            String historyTable,
            SmokeResult smoke,
            Path work)
            throws Exception {
        String database = name.replace('-', '_');
        List<MigrationVersion> versions = Sql.rows(
                        migrated,
                        "SELECT version FROM " + historyTable
                                + " WHERE success AND version IS NOT NULL AND type = 'SQL'")
                .stream()
                .map(MigrationVersion::fromVersion)
                .sorted()
                .toList();
        int applied = versions.size() * 2 / 3;
        MigrationVersion target = versions.get(applied - 1);
        ConnectionSettings production = freshDatabase.apply(database + "_production");
        // this snapshot's repeatable migrations are written against its latest schema: production is built without
        // them, and the rehearsal applies them with the pending versioned ones
        Map<String, String> withoutRepeatables = new LinkedHashMap<>(settings.apply("production"));
        withoutRepeatables.put("flyway.repeatableSqlMigrationPrefix", "NO_REPEATABLE_MIGRATIONS_IN_PRODUCTION");
        new FlywaySource(locations, withoutRepeatables, getClass().getClassLoader())
                .configure()
                .dataSource(production.url(), production.username(), production.password())
                .target(target)
                .load()
                .migrate();
        RehearsalConfig config = new RehearsalConfig(
                null,
                production,
                new PostgresTarget(false, freshDatabase.apply(database + "_scratch")),
                null,
                work.resolve("rehearsal-" + name),
                RehearsalConfig.DEFAULT_STATEMENT_TIMEOUT,
                null,
                RehearsalConfig.DEFAULT_SAMPLES);
        FlywayRehearsal tool = new FlywayRehearsal(new FlywaySource(
                locations, settings.apply("rehearsal"), getClass().getClassLoader()));
        long started = System.nanoTime();
        CapturingLog log = new CapturingLog();
        SmokeResult rehearsed = new RehearsalEngine(config, log).run(smoke, tool);
        RehearsalResults.assertHistoryMatches(log);
        long millis = (System.nanoTime() - started) / 1_000_000;
        String figures = "[real-flyway] rehearsal of " + name + " on a production migrated to version " + target
                + " (" + applied + " of " + versions.size() + " versioned migrations): "
                + RehearsalResults.assertUntouchedProduction(rehearsed, versions.size() - applied)
                + " in " + millis + " ms\n";
        // then one column added by hand: the one drift finding, and no other finding than before
        String table = RehearsalResults.addColumnByHand(
                production,
                historyTable.contains(".") ? historyTable.substring(0, historyTable.indexOf('.')) : "public");
        // a settings set of its own: the mirror node's V1.0 creates a login role per run, one per server
        SmokeResult drifted = new RehearsalEngine(config, EngineLog.silent())
                .run(
                        smoke,
                        new FlywayRehearsal(new FlywaySource(
                                locations,
                                settings.apply("rehearsal_drifted"),
                                getClass().getClassLoader())));
        figures += "[real-flyway] with a column added by hand to " + table + ": "
                + RehearsalResults.assertOneDrift(drifted, rehearsed, table) + "\n";
        Files.writeString(work.resolve(name + "-rehearsal.txt"), figures, StandardCharsets.UTF_8);
        System.out.println(figures);
    }

    /** The SQL migrations Flyway's history lists as successful, by file name. */
    private static List<String> applied(ConnectionSettings database, String historyTable) {
        return Sql.rows(
                        database,
                        "SELECT script FROM " + historyTable
                                + " WHERE success AND type = 'SQL' ORDER BY installed_rank")
                .stream()
                .map(script -> script.substring(script.lastIndexOf('/') + 1))
                .toList();
    }
}
