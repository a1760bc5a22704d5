package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.changelog.PendingChangesets;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.lockservice.LockServiceFactory;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code url}: the production database, read only. A real "production" PostgreSQL where Liquibase ran the first
 * changesets and whose tables have rows and statistics; the smoke judges only what is pending there, with the sizes
 * its statistics give.
 */
class ProductionUrlTest {

    private static final String M = "db/changelog/db.changelog-master.yaml";

    /** Two changesets ran in production (tables and an index); three are pending. */
    private static final String CHANGELOG = """
            databaseChangeLog:
              - changeSet:
                  id: tables
                  author: alice
                  changes:
                    - createTable:
                        tableName: model_metadata
                        columns:
                          - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                          - column: {name: name, type: VARCHAR(100), constraints: {nullable: false}}
                          - column: {name: version, type: VARCHAR(20)}
                    - createTable:
                        tableName: owner
                        columns:
                          - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                          - column: {name: label, type: VARCHAR(20)}
              - changeSet:
                  id: index-version
                  author: alice
                  changes:
                    - createIndex: {tableName: model_metadata, indexName: idx_version, columns: [{column: {name: version}}]}
              - changeSet:
                  id: index-name
                  author: bob
                  changes:
                    - createIndex: {tableName: model_metadata, indexName: idx_name, columns: [{column: {name: name}}]}
              - changeSet:
                  id: owner-label-not-null
                  author: bob
                  changes:
                    - addNotNullConstraint: {tableName: owner, columnName: label, columnDataType: VARCHAR(20)}
              - changeSet:
                  id: audit
                  author: bob
                  changes:
                    - createTable: {tableName: audit, columns: [{column: {name: id, type: BIGINT}}]}
                    - createIndex: {tableName: audit, indexName: idx_audit, columns: [{column: {name: id}}]}
            """;

    @TempDir
    Path dir;

    @Test
    void judgesOnlyThePendingChangesetsWithTheSizesFromTheStatistics() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(CHANGELOG);
        ConnectionSettings production = PostgresServer.freshDatabase("production");
        liquibaseUpdate(fixture, production, 2);
        try (Connection c = Databases.open(production);
                Statement s = c.createStatement()) {
            s.execute("ALTER TABLE owner SET (autovacuum_enabled = false)");
            s.execute("ALTER TABLE model_metadata SET (autovacuum_enabled = false)");
            s.execute("INSERT INTO model_metadata SELECT g, 'm' || g, '1' FROM generate_series(1, 30000) g");
            s.execute("ANALYZE model_metadata");
            // never analyzed: reltuples is -1, the live-row count is what the statistics know
            s.execute("INSERT INTO owner SELECT g, 'o' || g FROM generate_series(1, 700) g");
            s.execute("SELECT pg_stat_force_next_flush()");
        }
        awaitLiveTuples(production, "owner", 700);
        List<String> before = catalog(production);

        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.impact = new ImpactSettings(true, Map.of(), 2_000, 8_000, null, production);
        SmokeResult result = fixture.run();

        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) result.summary().get("production");
        assertEquals(production.url(), read.get("url"));
        assertEquals(true, read.get("readOnly"));
        assertEquals("public.databasechangelog", read.get("changelogTable"));
        assertEquals(2, read.get("changesetsRan"));
        assertEquals(
                List.of(M + "::index-name::bob", M + "::owner-label-not-null::bob", M + "::audit::bob"),
                read.get("pending"));
        assertEquals(
                List.of(
                        Map.of("table", "model_metadata", "rows", 30_000L, "source", "pg_class.reltuples"),
                        Map.of("table", "owner", "rows", 700L, "source", "pg_stat_user_tables.n_live_tup")),
                read.get("sizes"));

        // the changeset that ran in production is not judged, though it indexed a table that existed before it
        assertEquals(List.of(), rules(result, "index-version::alice"));
        assertNull(impact(result, "index-version::alice", "model_metadata"));
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules(result, "index-name::bob"));
        assertEquals(
                List.of(ImpactRules.NO_LOCK_TIMEOUT, ImpactRules.NOT_NULL), rules(result, "owner-label-not-null::bob"));
        // audit does not exist in production: the index on it is exempt
        assertEquals(List.of(), rules(result, "audit::bob"));

        // estimated at the sizes the statistics gave
        assertEquals(
                30_000L, estimate(result, "index-name::bob", "model_metadata").get("productionRows"));
        assertEquals(
                700L, estimate(result, "owner-label-not-null::bob", "owner").get("productionRows"));
        assertTrue(fixture.log.text().contains("Production database " + production.url() + " (PostgreSQL "));
        assertTrue(fixture.log
                .text()
                .contains("public.databasechangelog lists 2 of the changelog's changesets as"
                        + " ran; 3 pending: " + M + "::index-name::bob, " + M + "::owner-label-not-null::bob, " + M
                        + "::audit::bob"));
        assertTrue(fixture.log.text().contains("Production size of model_metadata: 30000 rows (pg_class.reltuples)"));
        assertTrue(fixture.log.text().contains("Production size of owner: 700 rows (pg_stat_user_tables.n_live_tup)"));
        assertFalse(fixture.log.text().contains(PostgresServer.PASSWORD));
        assertTrue(result.passed(), () -> SmokeFixture.describe(result).toString());

        // read only: production's tables, columns, indexes and history are as they were
        assertEquals(before, catalog(production));
    }

    @Test
    void productionRowsOverrideTheStatistics() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(CHANGELOG);
        ConnectionSettings production = PostgresServer.freshDatabase("production");
        liquibaseUpdate(fixture, production, 2);
        try (Connection c = Databases.open(production);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO model_metadata SELECT g, 'm' || g, '1' FROM generate_series(1, 5000) g");
            s.execute("ANALYZE model_metadata");
        }
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.impact = new ImpactSettings(true, Map.of("model_metadata", 9_000L), 1_000, 4_000, null, production);
        SmokeResult result = fixture.run();

        assertEquals(
                9_000L, estimate(result, "index-name::bob", "model_metadata").get("productionRows"));
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) result.summary().get("production");
        assertEquals(
                Map.of("table", "model_metadata", "rows", 9_000L, "source", "productionRows"),
                ((List<?>) read.get("sizes")).get(0));
    }

    @Test
    void aChangesetEditedAfterItRanInProductionIsAnError() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(CHANGELOG);
        ConnectionSettings production = PostgresServer.freshDatabase("production");
        liquibaseUpdate(fixture, production, 2);
        String stored;
        try (Connection c = Databases.open(production);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT md5sum FROM databasechangelog WHERE id = 'index-version'")) {
                rs.next();
                stored = rs.getString(1);
            }
        }
        // the index now covers two columns: the checksum production recorded no longer matches
        fixture.master(CHANGELOG.replace(
                "columns: [{column: {name: version}}]",
                "columns: [{column: {name: version}}, {column: {name: name}}]"));
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.impact = new ImpactSettings(true, Map.of(), 1_000, 4_000, null, production);
        SmokeResult result = fixture.run();

        List<Finding> changed = result.findings().stream()
                .filter(f -> f.rule().equals(PendingChangesets.CHECKSUM_CHANGED))
                .toList();
        assertEquals(1, changed.size(), () -> SmokeFixture.describe(result).toString());
        assertEquals(M + "::index-version::alice", changed.get(0).subject());
        assertTrue(
                changed.get(0)
                        .message()
                        .startsWith("ran in production with checksum " + stored + " and has been edited since (now 9:"),
                changed.get(0).message());
        assertTrue(changed.get(0).message().endsWith("): Liquibase's validation will refuse the whole update"));
        assertEquals(18, changed.get(0).line());
        assertFalse(result.passed());
    }

    @Test
    void withoutDatabasechangelogEveryChangesetIsPending() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(CHANGELOG);
        ConnectionSettings production = PostgresServer.freshDatabase("production");
        try (Connection c = Databases.open(production);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE model_metadata (id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20))");
        }
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.impact = new ImpactSettings(true, Map.of(), 1_000, 4_000, null, production);
        SmokeResult result = fixture.run();

        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) result.summary().get("production");
        assertEquals("all", read.get("pending"));
        assertEquals("", read.get("changelogTable"));
        assertTrue(fixture.log
                .text()
                .contains("no DATABASECHANGELOG table, so Liquibase never ran there: every" + " changeset is pending"));
        // model_metadata exists in production, owner does not
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules(result, "index-version::alice"));
        assertEquals(List.of(), rules(result, "owner-label-not-null::bob"));
    }

    @Test
    void anH2ProductionDatabaseGivesItsRowCountEstimates() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(CHANGELOG);
        ConnectionSettings production = H2Database.fresh("production");
        liquibaseUpdate(fixture, production, 2);
        try (Connection c = Databases.open(production);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO model_metadata SELECT x, 'm' || x, '1' FROM system_range(1, 3000)");
        }
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.impact = new ImpactSettings(true, Map.of(), 500, 1_000, null, production);
        SmokeResult result = fixture.run();

        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) result.summary().get("production");
        assertEquals(2, read.get("changesetsRan"));
        assertEquals(
                Map.of(
                        "table",
                        "model_metadata",
                        "rows",
                        3_000L,
                        "source",
                        "INFORMATION_SCHEMA.TABLES.ROW_COUNT_ESTIMATE"),
                ((List<?>) read.get("sizes")).get(0));
        assertEquals(List.of(), rules(result, "index-version::alice"));
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules(result, "index-name::bob"));
    }

    @Test
    void aWrongPasswordSaysWhatToFixAndNeverShowsThePassword() {
        SmokeFixture fixture = new SmokeFixture(dir).master(CHANGELOG);
        ConnectionSettings good = PostgresServer.freshDatabase("production");
        ConnectionSettings wrong = new ConnectionSettings(good.url(), good.username(), "Wrong-Secret-4411");
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.impact = new ImpactSettings(true, Map.of(), 1_000, 4_000, null, wrong);
        SmokeException e = assertThrows(SmokeException.class, fixture::run);
        assertEquals(
                "Parameter 'url' (the production database, read only): The database refused the login as user"
                        + " 'postgres' at " + good.url() + ": wrong user name or password. Check 'username' and the"
                        + " password source ('password', 'passwordEnv' or the <server> named by 'serverId').",
                e.getMessage());
        assertFalse(fixture.log.text().contains("Wrong-Secret-4411"));
    }

    @Test
    void withoutPostgresTheUrlIsNotUsedAndSaysSo() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(CHANGELOG);
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.impact = new ImpactSettings(
                true,
                Map.of(),
                1_000,
                4_000,
                null,
                new ConnectionSettings("jdbc:postgresql://localhost:1/none", "u", "p"));
        SmokeResult result = fixture.run();
        assertTrue(fixture.log
                .text()
                .contains("Parameter 'url' is not used: the production database's sizes and"
                        + " pending changesets feed the production-impact trace, which runs on PostgreSQL; set 'postgres'"
                        + " to embedded to use them."));
        assertNull(result.summary().get("production"));
    }

    @Test
    void withImpactOffTheUrlIsTheRehearsalsAndNoWarningSaysOtherwise() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(CHANGELOG);
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        ConnectionSettings production = new ConnectionSettings("jdbc:postgresql://localhost:1/prod", "u", "p");
        fixture.impact = new ImpactSettings(false, Map.of(), 1_000, 4_000, null, production);
        fixture.rehearsal = true;
        SmokeResult result = fixture.run();
        assertTrue(fixture.log
                .lines()
                .contains("[INFO] Production database jdbc:postgresql://localhost:1/prod: read by the rehearsal"
                        + " only; the production-impact trace is off ('impact' false)."));
        assertFalse(fixture.log.text().contains("[WARNING] Parameter 'url'"));
        assertNull(result.summary().get("production"));
    }

    @Test
    void withImpactAndTheRehearsalOffTheUrlIsNotUsedAndSaysSo() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(CHANGELOG);
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        fixture.impact = new ImpactSettings(
                false,
                Map.of(),
                1_000,
                4_000,
                null,
                new ConnectionSettings("jdbc:postgresql://localhost:1/prod", "u", "p"));
        fixture.run();
        assertTrue(fixture.log
                .lines()
                .contains("[WARNING] Parameter 'url' is not used: the production database feeds the"
                        + " production-impact trace and the rehearsal, and 'impact' and 'rehearsal' are false; set"
                        + " either to true to use it."));
    }

    /** Liquibase's own update of the first {@code count} changesets, as the application would have run it. */
    private static void liquibaseUpdate(SmokeFixture fixture, ConnectionSettings settings, int count) throws Exception {
        try (Connection connection = Databases.open(settings);
                DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(fixture.resources)) {
            ChangeLogHistoryServiceFactory.getInstance().resetAll();
            LockServiceFactory.getInstance().resetAll();
            Database database =
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Scope.child(
                    Map.of("liquibase.analytics.enabled", false),
                    () -> new Liquibase(M, accessor, database).update(count, new Contexts(), new LabelExpression()));
        }
    }

    private static void awaitLiveTuples(ConnectionSettings settings, String table, long rows) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Connection c = Databases.open(settings);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
                if (rs.next() && rs.getLong(1) == rows) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the statistics never showed " + rows + " live rows in " + table);
    }

    /** Tables, columns, indexes and Liquibase's history rows of the database's public schema. */
    private static List<String> catalog(ConnectionSettings settings) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Connection c = Databases.open(settings);
                Statement s = c.createStatement()) {
            for (String query : List.of(
                    "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable"
                            + " FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1",
                    "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
                    "SELECT nspname FROM pg_namespace ORDER BY 1",
                    "SELECT id || ' ' || md5sum || ' ' || orderexecuted FROM databasechangelog ORDER BY 1")) {
                try (ResultSet rs = s.executeQuery(query)) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            }
        }
        return lines;
    }

    private static List<String> rules(SmokeResult result, String changeset) {
        return result.findings().stream()
                .filter(f -> f.subject().equals(M + "::" + changeset))
                .map(Finding::rule)
                .filter(r -> r.startsWith("smoke.impact."))
                .sorted()
                .collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> impact(SmokeResult result, String changeset, String table) {
        return ((List<Map<String, Object>>) result.summary().get("impact"))
                .stream()
                        .filter(i -> i.get("changeset").equals(M + "::" + changeset)
                                && i.get("table").equals(table))
                        .findFirst()
                        .orElse(null);
    }

    private static Map<?, ?> estimate(SmokeResult result, String changeset, String table) {
        Map<String, Object> impact = impact(result, changeset, table);
        assertTrue(impact != null, () -> "no impact of " + changeset + " on " + table);
        return (Map<?, ?>) impact.get("productionEstimate");
    }
}
