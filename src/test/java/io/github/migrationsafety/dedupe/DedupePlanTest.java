package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plans PostgreSQL chooses for the dry-run's statements, read with {@code EXPLAIN} on a real server. */
class DedupePlanTest {

    @Test
    void rankingSortsWithParallelWorkersOnlyWithItsSetting() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("plan");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), created_at TIMESTAMP,"
                        + " version INT)",
                "INSERT INTO model_metadata SELECT g, 'model-' || g, TIMESTAMP '2025-01-01 00:00:00', g % 5"
                        + " FROM generate_series(1, 400000) g",
                "ANALYZE model_metadata");
        DedupeTarget target = DedupeSqlTest.target(Dialect.POSTGRESQL, true, false, null);
        DedupeConfig config = DedupeConfig.defaults(
                "model_metadata", List.of("name", "version"), Path.of("report.csv"), Path.of("backups"));

        String serial = plan(settings, List.of(), new WindowRanking(target, config).reportSql());
        String parallel =
                plan(settings, DedupeSql.rankingSettings(target), new WindowRanking(target, config).reportSql());

        assertFalse(serial.contains("Gather Merge"), "the planner's default: one process sorts\n" + serial);
        assertTrue(parallel.contains("Gather Merge"), "with the setting: workers share the sort\n" + parallel);
        assertTrue(
                parallel.contains("Index Scan using model_metadata_pkey"), "rows still looked up by key\n" + parallel);
    }

    @Test
    void semiJoinRankingJoinsInParallelWorkersAndLooksRowsUpByKey() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("plan_semi");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), created_at TIMESTAMP,"
                        + " version INT)",
                "INSERT INTO model_metadata SELECT g, 'model-' || (g % 390000), TIMESTAMP '2025-01-01 00:00:00', g % 5"
                        + " FROM generate_series(1, 400000) g",
                "ANALYZE model_metadata");
        DedupeTarget target = DedupeSqlTest.target(Dialect.POSTGRESQL, true, false, null);
        DedupeConfig config = DedupeConfig.defaults(
                "model_metadata", List.of("name", "version"), Path.of("report.csv"), Path.of("backups"));

        // the settings the dry-run's transaction has when the statement runs
        // apply streams the same statement under its table lock
        String plan =
                planWith(settings, DedupeSql.rankingSettings(target), new SemiJoinRanking(target, config).reportSql());

        assertTrue(plan.contains("Parallel Hash Semi Join"), "the semi-join runs in the workers\n" + plan);
        assertTrue(plan.contains("Index Scan using model_metadata_pkey"), "rows found are looked up by key\n" + plan);
        assertFalse(plan.contains("Hash Join"), "not by hashing the whole table\n" + plan);
        assertEquals(1, plan.split("WindowAgg", -1).length - 1, "one window ranks the rows found\n" + plan);
        assertTrue(
                plan.startsWith("Nested Loop"),
                "nothing sorted after the lookups: the window's order is kept\n" + plan);
    }

    @Test
    void searchBesideTheRankingRunsInOneProcessAfterTheRankingWithWorkers() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("plan_search");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20))",
                "INSERT INTO model_metadata SELECT g, 'model-' || g, 'v' || (g % 5) FROM generate_series(1, 400000) g",
                "ANALYZE model_metadata");
        DedupeTarget target = DedupeSqlTest.target(Dialect.POSTGRESQL, true, false, null);

        String after = plan(settings, NearDuplicateSql.searchSettings(target), NearDuplicateSql.count(target));
        String beside = plan(settings, NearDuplicateSql.besideSettings(target), NearDuplicateSql.count(target));

        assertTrue(after.contains("Gather"), "after the ranking the cores are free: parallel workers\n" + after);
        assertFalse(beside.contains("Gather"), "beside the ranking's parallel sort: one process\n" + beside);
        assertTrue(beside.contains("Seq Scan on"), beside);
    }

    /**
     * An online batch locks and prunes its pairs with index lookups, and drops the pairs it did not lock by a hashed
     * lookup: with hash and merge joins off for the batch, an anti-join would compare every pair with every locked one.
     */
    @Test
    void onlineBatchLocksByKeyAndPrunesByAHashedLookup() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("plan_batch");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), created_at TIMESTAMP,"
                        + " version INT)",
                "INSERT INTO model_metadata SELECT g, 'model-' || g, TIMESTAMP '2025-01-01 00:00:00', g % 5"
                        + " FROM generate_series(1, 100000) g",
                "ANALYZE model_metadata");
        DedupeTarget target = DedupeSqlTest.target(Dialect.POSTGRESQL, true, false, null);
        List<String> lines = new ArrayList<>();
        try (Connection connection = Databases.open(settings)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute(OnlineSql.createBatchTable(target));
                statement.execute(
                        "INSERT INTO " + OnlineSql.BATCH + " SELECT g, g + 1 FROM generate_series(1, 10000) g");
                statement.execute(OnlineSql.analyzeBatch());
                for (String setting : DedupeSql.preferIndexLookups(target, true)) {
                    statement.execute(setting);
                }
                try (ResultSet rs = statement.executeQuery("EXPLAIN (COSTS OFF) " + OnlineSql.lockAndPrune(target))) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            } finally {
                connection.rollback();
            }
        }
        String plan = String.join("\n", lines);
        assertTrue(
                plan.contains("hashed SubPlan"), "the pairs not locked are found by hashing the locked ones\n" + plan);
        assertTrue(plan.contains("Index Scan using model_metadata_pkey"), "rows locked by key\n" + plan);
    }

    private static String plan(ConnectionSettings settings, List<String> extra, String select) throws Exception {
        List<String> all = new ArrayList<>(
                DedupeSql.preferIndexLookups(DedupeSqlTest.target(Dialect.POSTGRESQL, true, false, null), true));
        all.addAll(extra);
        return planWith(settings, all, select);
    }

    /** The plan of {@code select} in a read-only transaction with exactly {@code settings}. */
    private static String planWith(ConnectionSettings settings, List<String> settingsToSet, String select)
            throws Exception {
        try (Connection connection = Databases.open(settings)) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            List<String> lines = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                for (String setting : settingsToSet) {
                    statement.execute(setting);
                }
                try (ResultSet rs = statement.executeQuery("EXPLAIN (COSTS OFF) " + select)) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            } finally {
                connection.rollback();
            }
            return String.join("\n", lines);
        }
    }
}
