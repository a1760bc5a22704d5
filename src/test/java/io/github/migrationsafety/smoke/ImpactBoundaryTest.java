package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.Postgres15Server;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What counts as production for the impact rules when the smoke is not told by {@code url} or {@code productionRows}:
 * the release the project declares ({@code releasedChecksums}, or its last {@code tagDatabase}), or nothing, and
 * then the console gets one summary line. With {@code url}: production's lock_timeout and major version, read from
 * a real "production" PostgreSQL.
 */
class ImpactBoundaryTest {

    private static final String M = "db/changelog/db.changelog-master.yaml";

    /** Released: the table and an index on it. */
    private static final String RELEASED = """
            databaseChangeLog:
              - changeSet:
                  id: tables
                  author: alice
                  changes:
                    - createTable:
                        tableName: model_metadata
                        columns:
                          - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                          - column: {name: name, type: VARCHAR(100)}
                          - column: {name: version, type: VARCHAR(20)}
              - changeSet:
                  id: index-version
                  author: alice
                  changes:
                    - createIndex: {tableName: model_metadata, indexName: idx_version, columns: [{column: {name: version}}]}
            """;

    /** After the release: an index on a released table, and a new table with its index. */
    private static final String PENDING = """
              - changeSet:
                  id: index-name
                  author: bob
                  changes:
                    - createIndex: {tableName: model_metadata, indexName: idx_name, columns: [{column: {name: name}}]}
              - changeSet:
                  id: audit
                  author: bob
                  changes:
                    - createTable: {tableName: audit, columns: [{column: {name: id, type: BIGINT}}]}
              - changeSet:
                  id: audit-index
                  author: bob
                  changes:
                    - createIndex: {tableName: audit, indexName: idx_audit, columns: [{column: {name: id}}]}
            """;

    private static final String TAG = """
              - changeSet:
                  id: release-1
                  author: alice
                  changes:
                    - tagDatabase: {tag: "1.0"}
            """;

    @TempDir
    Path dir;

    private SmokeFixture onPostgres(String changelog) {
        SmokeFixture fixture = new SmokeFixture(dir).master(changelog);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("boundary"));
        fixture.rollbackMode = RollbackMode.OFF;
        return fixture;
    }

    @Test
    void withoutProductionFactsOrABoundaryEveryEarlierTableCountsAndTheConsoleGetsOneLine() throws Exception {
        SmokeResult result = onPostgres(RELEASED + PENDING).run();
        assertEquals("none", result.summary().get("impactJudgedBy"));
        assertTrue(result.impactJudgedWithoutProduction());
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules(result, "index-version::alice"));
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules(result, "index-name::bob"));
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules(result, "audit-index::bob"));
        List<Finding> impact = result.findings().stream()
                .filter(f -> f.rule().startsWith("smoke.impact."))
                .toList();
        assertTrue(impact.stream().allMatch(result::summarized));
        assertEquals(
                "6 production-impact warnings on 3 changesets (smoke.impact.index-not-concurrent 3,"
                        + " smoke.impact.no-lock-timeout 3), judged with every table an earlier changeset created"
                        + " counted as in production - see target/migration-safety/smoke-report.json. Give 'url' (or"
                        + " 'productionRows') or a release boundary ('releasedChecksums', or a tagDatabase changeset)"
                        + " to judge only what production will run.",
                SmokeResult.impactSummaryLine(impact, Path.of("target/migration-safety/smoke-report.json")));
        // a lint warning is not summarized
        assertFalse(result.summarized(Finding.warning("smoke.lint.rerun-ddl", M + "::tables::alice", "x")));
    }

    @Test
    void withReleasedChecksumsOnlyTheChangesetsAfterThemAreJudgedOnTheTablesTheyLeft() throws Exception {
        SmokeFixture fixture = onPostgres(RELEASED);
        fixture.postgres = PostgresTarget.off();
        fixture.releasedChecksums = dir.resolve("released-checksums.txt");
        fixture.writeReleasedChecksums = true;
        assertTrue(fixture.run().passed());
        fixture.writeReleasedChecksums = false;
        fixture.master(RELEASED + PENDING);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("boundary"));

        SmokeResult result = fixture.run();
        assertEquals("releasedChecksums", result.summary().get("impactJudgedBy"));
        assertFalse(result.impactJudgedWithoutProduction());
        assertEquals(List.of(), rules(result, "index-version::alice"));
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules(result, "index-name::bob"));
        // audit is created after the release: new and empty in production
        assertEquals(List.of(), rules(result, "audit-index::bob"));
        assertTrue(result.findings().stream().noneMatch(result::summarized));
    }

    @Test
    void theLastTagDatabaseIsTheBoundaryWithoutReleasedChecksums() throws Exception {
        SmokeResult result = onPostgres(RELEASED + TAG + PENDING).run();
        assertEquals("tagDatabase " + M + "::release-1::alice", result.summary().get("impactJudgedBy"));
        assertEquals(List.of(), rules(result, "index-version::alice"));
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules(result, "index-name::bob"));
        assertEquals(List.of(), rules(result, "audit-index::bob"));
    }

    @Test
    void noLockTimeoutIsQuietWhenProductionsDatabaseOrRoleSetsOne() throws Exception {
        ConnectionSettings byDatabase = production("ALTER DATABASE %s SET lock_timeout = '3s'");
        SmokeFixture fixture = onPostgres(RELEASED + PENDING);
        fixture.impact = new ImpactSettings(true, Map.of(), 2_000, 8_000, null, byDatabase);
        SmokeResult result = fixture.run();
        assertEquals(List.of(ImpactRules.INDEX), rules(result, "index-name::bob"));
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) result.summary().get("production");
        assertEquals("3s", read.get("lockTimeout"));
        String database = byDatabase.url().substring(byDatabase.url().lastIndexOf('/') + 1);
        assertEquals("ALTER DATABASE " + database + " SET lock_timeout = '3s'", read.get("lockTimeoutFrom"));
        assertTrue(fixture.log.text().contains(", lock_timeout 3s from ALTER DATABASE " + database + " SET"));

        // the role's setting in that database wins over the database's
        ConnectionSettings byRole = production("ALTER ROLE " + PostgresServer.USER + " IN DATABASE %1$s SET"
                + " lock_timeout = '4s'; ALTER DATABASE %1$s SET lock_timeout = 0");
        fixture.impact = new ImpactSettings(true, Map.of(), 2_000, 8_000, null, byRole);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("boundary"));
        SmokeResult role = fixture.run();
        assertEquals(List.of(ImpactRules.INDEX), rules(role, "index-name::bob"));
        @SuppressWarnings("unchecked")
        Map<String, Object> roleRead = (Map<String, Object>) role.summary().get("production");
        assertEquals("4s", roleRead.get("lockTimeout"));

        // without a setting, production's sessions wait forever: the rule fires
        ConnectionSettings none = production(null);
        fixture.impact = new ImpactSettings(true, Map.of(), 2_000, 8_000, null, none);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("boundary"));
        SmokeResult unset = fixture.run();
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules(unset, "index-name::bob"));
        @SuppressWarnings("unchecked")
        Map<String, Object> unsetRead = (Map<String, Object>) unset.summary().get("production");
        assertEquals("0", unsetRead.get("lockTimeout"));
    }

    @Test
    void aProductionOfAnotherMajorVersionIsAWarning() throws Exception {
        ConnectionSettings production = Postgres15Server.freshDatabase("production15");
        SmokeFixture fixture = onPostgres(RELEASED);
        fixture.impact = new ImpactSettings(true, Map.of(), 2_000, 8_000, null, production);
        SmokeResult result = fixture.run();
        List<Finding> mismatch = result.findings().stream()
                .filter(f -> f.rule().equals(SmokeEngine.VERSION_MISMATCH))
                .toList();
        assertEquals(1, mismatch.size(), () -> SmokeFixture.describe(result).toString());
        assertTrue(
                mismatch.get(0)
                        .describe()
                        .matches("\\Q" + production.url()
                                + ": production runs PostgreSQL 15.\\E\\d+\\Q, the smoke ran on"
                                + " PostgreSQL 17.\\E\\d+\\Q: locks, rewrites and scans can differ between"
                                + " major versions, so the trace may not show what production will do"
                                + " (expected PostgreSQL 15, actual PostgreSQL 17) Fix: give 'postgres' the"
                                + " URL of a throw-away PostgreSQL 15 server\\E"),
                mismatch.get(0).describe());

        // the same major: no warning
        SmokeFixture same = onPostgres(RELEASED);
        same.impact = new ImpactSettings(true, Map.of(), 2_000, 8_000, null, PostgresServer.freshDatabase("prod17"));
        assertTrue(same.run().findings().stream().noneMatch(f -> f.rule().equals(SmokeEngine.VERSION_MISMATCH)));
    }

    /** A "production" database with a table model_metadata and no Liquibase history, after {@code setup}. */
    private static ConnectionSettings production(String setup) throws Exception {
        ConnectionSettings production = PostgresServer.freshDatabase("production");
        try (Connection c = Databases.open(production);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE model_metadata (id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20))");
            if (setup != null) {
                String database;
                try (ResultSet rs = s.executeQuery("SELECT current_database()")) {
                    rs.next();
                    database = rs.getString(1);
                }
                for (String statement : String.format(setup, database).split(";")) {
                    s.execute(statement);
                }
            }
        }
        return production;
    }

    private static List<String> rules(SmokeResult result, String changeset) {
        return result.findings().stream()
                .filter(f -> f.subject().equals(M + "::" + changeset))
                .map(Finding::rule)
                .filter(r -> r.startsWith("smoke.impact."))
                .sorted()
                .toList();
    }
}
