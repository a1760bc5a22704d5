package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.backup.RestoreEngine;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Snapshot;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.h2.api.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one-transaction apply by each way of ranking ({@link RankingWay}), against real PostgreSQL and H2: the
 * semi-join ranking deletes, backs up and reports exactly what the window ranking does, byte for byte; every way
 * deletes the rows a reference query ranks; a failure in the ranking or in the delete rolls everything back.
 */
class ApplyRankingWayTest {

    private static final List<String> KEEP_RULES =
            List.of("lowest-id", "highest-id", "newest:created_at", "oldest:created_at");

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("h2", (Function<String, ConnectionSettings>) H2Database::fresh),
                Arguments.of("postgresql", (Function<String, ConnectionSettings>) PostgresServer::freshDatabase));
    }

    @TempDir
    Path dir;

    /**
     * {@code model_metadata} with duplicate groups of 1 to 5 rows, NULL and equal times (the keep rules' ties), text
     * that needs quoting, and no NULL key (so NULL keys distinct or equal rank alike); the same rows in {@code
     * model_metadata_template}. On PostgreSQL the statistics are taken before a few keys that normalisation changes
     * arrive (autovacuum off for the table), as when the sample misses them: the semi-join ranking is chosen and has
     * rows to mark.
     */
    private ConnectionSettings table(Function<String, ConnectionSettings> database, String name) throws Exception {
        ConnectionSettings settings = database.apply(name);
        boolean postgres = settings.url().startsWith("jdbc:postgresql:");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(50),"
                        + " created_at TIMESTAMP WITH TIME ZONE, tenant VARCHAR(10), payload VARCHAR(200))"
                        + (postgres ? " WITH (autovacuum_enabled = false)" : ""));
        insert(settings, 1, 1500);
        if (postgres) {
            Sql.run(settings, "ANALYZE model_metadata");
        }
        Sql.run(
                settings,
                "INSERT INTO model_metadata VALUES (5001, 'Churn', '1', NULL, 'a', 'c1'), (5002, 'Churn', '1', NULL,"
                        + " 'a', 'c2'), (5003, 'churn ', '1', NULL, 'a', 'c3'), (5004, 'Alone', 'x', NULL, 'b', 'a1')",
                "CREATE TABLE model_metadata_template AS SELECT * FROM model_metadata");
        return settings;
    }

    private static void insert(ConnectionSettings settings, int from, int to) throws Exception {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        try (Connection connection = Databases.open(settings);
                PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO model_metadata VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int g = from; g <= to; g++) {
                insert.setLong(1, g);
                insert.setString(2, "model-" + (g % 400));
                insert.setString(3, "v" + (g % 3));
                insert.setTimestamp(4, g % 7 == 0 ? null : Timestamp.from(start.plusSeconds(3600L * (g * 37 % 50))));
                insert.setString(5, g % 2 == 0 ? "a" : "b");
                insert.setString(6, "p\"" + g + "\n,x");
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void reset(ConnectionSettings settings) {
        boolean deployments = !Sql.rows(
                        settings, "SELECT 1 FROM information_schema.tables WHERE LOWER(table_name) = 'deployment'")
                .isEmpty();
        if (deployments) {
            Sql.run(settings, "UPDATE deployment SET model_id = NULL");
        }
        Sql.run(
                settings,
                "DELETE FROM model_metadata",
                "INSERT INTO model_metadata SELECT * FROM model_metadata_template");
        if (deployments) {
            Sql.run(settings, "UPDATE deployment SET model_id = id");
        }
    }

    private DedupeConfig config(String keep, String where) {
        DedupeConfig config = DedupeConfig.defaults(
                        "model_metadata", List.of("name", "version"), dir.resolve("report.csv"), dir.resolve("backups"))
                .withKeep(KeepRule.parse(keep))
                .withApply(true);
        return where == null ? config : config.withWhere(where);
    }

    private DedupeResult run(ConnectionSettings settings, DedupeConfig config, CapturingLog log) throws Exception {
        try (Connection connection = Databases.open(settings)) {
            return new DedupeEngine(connection, ConnectionSource.of(settings), log).run(config);
        }
    }

    /** What an apply left: its report, backup rows, repoint log, the table's ids, its findings and counts. */
    private record Outcome(
            byte[] report, byte[] rows, byte[] repoints, List<String> ids, List<String> findings, String counts) {}

    private Outcome apply(ConnectionSettings settings, DedupeConfig config, String ranking) throws Exception {
        reset(settings);
        CapturingLog log = new CapturingLog();
        DedupeResult result = run(settings, config, log);
        assertTrue(log.text().contains("dedupe: ranking " + ranking), log.text());
        assertTrue(result.applied(), log.text());
        BackupManifest manifest = BackupManifest.read(result.backup());
        assertEquals(BackupManifest.Status.COMPLETE, manifest.status());
        assertEquals(result.deleted(), manifest.rowCount());
        Path repoints = result.backup().resolve(BackupManifest.REPOINTS);
        return new Outcome(
                Files.readAllBytes(config.reportFile()),
                Files.readAllBytes(result.backup().resolve(BackupManifest.ROWS)),
                Files.exists(repoints) ? Files.readAllBytes(repoints) : new byte[0],
                Sql.rows(settings, "SELECT id FROM model_metadata ORDER BY id"),
                result.findings().stream().map(Finding::describe).toList(),
                result.groups() + " groups, " + result.rowsInGroups() + " rows, " + result.deleted() + " deleted, "
                        + result.repointed() + " repointed, top " + result.topGroups());
    }

    /**
     * PostgreSQL: the apply ranks by the semi-join, the dry-run's way, and leaves byte for byte what the window
     * ranking (NULL keys equal, the same on a table without NULL keys) leaves: the report, the backup, the repoint
     * log, the rows, the near-duplicate findings. Every keep rule, with and without a scope, and with references
     * repointed.
     */
    @Test
    void semiJoinApplyDeletesAndBacksUpWhatTheWindowApplyDoes() throws Exception {
        ConnectionSettings settings = table(PostgresServer::freshDatabase, "apply_semi");
        List<Integer> found = new ArrayList<>();
        for (String keep : KEEP_RULES) {
            for (String where : new String[] {null, "tenant = 'a'"}) {
                DedupeConfig config = config(keep, where);
                Outcome window = apply(settings, config.withNullsDistinct(false), "every row by a window");
                Outcome semiJoin = apply(settings, config, "by a semi-join");
                String label = "keep " + keep + ", where " + where;
                assertSame(window, semiJoin, label);
                assertTrue(semiJoin.rows().length > 1000, label);
                found.add(semiJoin.findings().size());
            }
        }
        assertTrue(found.contains(1), "near duplicates found after the apply: " + found);

        reset(settings);
        Sql.run(
                settings,
                "CREATE TABLE deployment(id INT PRIMARY KEY, model_id BIGINT REFERENCES model_metadata(id))",
                "INSERT INTO deployment SELECT g, g FROM generate_series(1, 1500) g");
        DedupeConfig repoint = config("newest:created_at", null).withOnReferences(OnReferences.REPOINT);
        Outcome window = apply(settings, repoint.withNullsDistinct(false), "every row by a window");
        List<String> windowDeployments = Sql.rows(settings, "SELECT id, model_id FROM deployment ORDER BY id");
        Outcome semiJoin = apply(settings, repoint, "by a semi-join");
        assertSame(window, semiJoin, "repoint");
        assertTrue(semiJoin.repoints().length > 100, "references were moved");
        assertEquals(windowDeployments, Sql.rows(settings, "SELECT id, model_id FROM deployment ORDER BY id"));
    }

    /**
     * PostgreSQL: the apply's lock blocks writers, so its ranking does not test the rows for near duplicates. Asked
     * for, the search runs after the commit and finds what the dry-run before it found (deleting exact duplicates
     * leaves every distinct key tuple); not asked for, it does not run.
     */
    @Test
    void theApplySearchesNearDuplicatesAfterItsCommitNotUnderItsLock() throws Exception {
        ConnectionSettings settings = table(PostgresServer::freshDatabase, "apply_near_after");
        DedupeConfig apply = config("lowest-id", null);
        List<String> dryRun = nearDuplicates(run(settings, apply.withApply(false), new CapturingLog()));
        assertEquals(1, dryRun.size(), "the table's near duplicates: " + dryRun);

        CapturingLog log = new CapturingLog();
        DedupeResult searched = run(settings, apply.withNearDuplicates(true), log);
        String text = log.text();
        assertTrue(searched.applied(), text);
        assertTrue(text.contains("dedupe: ranking by a semi-join that does not test the rows"), text);
        int commit = text.indexOf("dedupe: commit took");
        int search = text.indexOf("dedupe: near-duplicate search after the commit took");
        assertTrue(commit >= 0 && search > commit, "the search after the commit: " + text);
        assertEquals(dryRun, nearDuplicates(searched));

        reset(settings);
        CapturingLog quiet = new CapturingLog();
        DedupeResult notSearched = run(settings, apply.withNearDuplicates(false), quiet);
        assertTrue(notSearched.applied(), quiet.text());
        assertEquals(List.of(), nearDuplicates(notSearched));
        assertTrue(!quiet.text().contains("near-duplicate search"), quiet.text());
        assertEquals(searched.deleted(), notSearched.deleted());
    }

    private static List<String> nearDuplicates(DedupeResult result) {
        return result.findings().stream()
                .filter(f -> f.rule().equals("dedupe.near-duplicate"))
                .map(Finding::describe)
                .toList();
    }

    private static void assertSame(Outcome expected, Outcome actual, String label) {
        assertEquals(new String(expected.report()), new String(actual.report()), label + ": report");
        assertArrayEquals(expected.rows(), actual.rows(), label + ": backup rows");
        assertArrayEquals(expected.repoints(), actual.repoints(), label + ": repoints");
        assertEquals(expected.ids(), actual.ids(), label + ": rows left");
        assertEquals(expected.findings(), actual.findings(), label + ": findings");
        assertEquals(expected.counts(), actual.counts(), label + ": counts");
    }

    /**
     * Every way deletes exactly the rows a reference query ranks after the first of their group, and restore puts
     * them back as they were.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void applyDeletesTheRowsAReferenceRanksAndRestoreGivesThemBack(
            String db, Function<String, ConnectionSettings> database) throws Exception {
        ConnectionSettings settings = table(database, "apply_ref");
        List<String> original = Snapshot.of(settings, "SELECT * FROM model_metadata ORDER BY id");
        for (String keep : KEEP_RULES) {
            reset(settings);
            String order = switch (keep) {
                case "lowest-id" -> "id ASC";
                case "highest-id" -> "id DESC";
                case "newest:created_at" -> "created_at DESC NULLS LAST, id ASC";
                default -> "created_at ASC NULLS LAST, id ASC";
            };
            List<String> expected = Sql.rows(
                    settings,
                    "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY name, version ORDER BY " + order
                            + ") AS rn FROM model_metadata WHERE tenant = 'a') s WHERE rn > 1 ORDER BY id");
            CapturingLog log = new CapturingLog();
            DedupeResult result = run(settings, config(keep, "tenant = 'a'"), log);
            assertTrue(
                    log.text()
                            .contains(
                                    db.equals("h2")
                                            ? "dedupe: ranking every row by a window, read over JDBC"
                                            : "dedupe: ranking by a semi-join"),
                    log.text());
            assertEquals(expected.size(), result.deleted(), keep);
            List<String> left = Sql.rows(settings, "SELECT id FROM model_metadata ORDER BY id");
            List<String> deleted = new ArrayList<>(Sql.rows(settings, "SELECT id FROM model_metadata_template"));
            deleted.removeAll(left);
            deleted.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
            assertEquals(expected, deleted, keep);
            try (Connection connection = Databases.open(settings)) {
                assertEquals(
                        expected.size(),
                        new RestoreEngine(connection, new CapturingLog())
                                .restore(result.backup())
                                .restored());
            }
            assertEquals(original, Snapshot.of(settings, "SELECT * FROM model_metadata ORDER BY id"), keep);
        }
    }

    /** A statement of the ranking fails (the scope divides by zero on one row): nothing is written or deleted. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aFailingRankingRollsBack(String db, Function<String, ConnectionSettings> database) throws Exception {
        ConnectionSettings settings = table(database, "apply_fail_rank");
        List<String> original = Snapshot.of(settings, "SELECT * FROM model_metadata ORDER BY id");
        CapturingLog log = new CapturingLog();
        DatabaseException e = assertThrows(
                DatabaseException.class, () -> run(settings, config("lowest-id", "100 / (id - 700) <> 0"), log));
        assertTrue(
                e.getMessage().startsWith("Dedupe apply on " + table(db) + " failed and was rolled back: "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(". Nothing was deleted."), e.getMessage());
        assertEquals(original, Snapshot.of(settings, "SELECT * FROM model_metadata ORDER BY id"));
        assertTrue(Files.notExists(dir.resolve("backups")) || isEmpty(dir.resolve("backups")), "no backup");
    }

    /**
     * The delete fails after the backup is written (a trigger refuses it): the transaction rolls back, the table is
     * as before, and the backup's manifest says {@code rolled-back}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aFailingDeleteRollsBackAndMarksTheBackup(String db, Function<String, ConnectionSettings> database)
            throws Exception {
        ConnectionSettings settings = table(database, "apply_fail_delete");
        if (db.equals("h2")) {
            Sql.run(
                    settings,
                    "CREATE TRIGGER refuse_delete BEFORE DELETE ON model_metadata FOR EACH ROW CALL '"
                            + RefuseDelete.class.getName() + "'");
        } else {
            Sql.run(
                    settings,
                    "CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS"
                            + " $$ BEGIN RAISE EXCEPTION 'deletes are refused'; END $$",
                    "CREATE TRIGGER refuse_delete BEFORE DELETE ON model_metadata FOR EACH ROW EXECUTE FUNCTION"
                            + " refuse_delete()");
        }
        List<String> original = Snapshot.of(settings, "SELECT * FROM model_metadata ORDER BY id");
        CapturingLog log = new CapturingLog();
        DatabaseException e =
                assertThrows(DatabaseException.class, () -> run(settings, config("oldest:created_at", null), log));
        assertTrue(
                e.getMessage().startsWith("Dedupe apply on " + table(db) + " failed and was rolled back: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("deletes are refused"), e.getMessage());
        assertEquals(original, Snapshot.of(settings, "SELECT * FROM model_metadata ORDER BY id"));
        Path backup;
        try (Stream<Path> backups = Files.list(dir.resolve("backups"))) {
            backup = backups.findFirst().orElseThrow();
        }
        BackupManifest manifest = BackupManifest.read(backup);
        assertEquals(BackupManifest.Status.ROLLED_BACK, manifest.status());
        assertTrue(manifest.rowCount() > 250, "the backup was complete before the delete: " + manifest.rowCount());
    }

    private static String table(String db) {
        return db.equals("h2") ? "PUBLIC.MODEL_METADATA" : "public.model_metadata";
    }

    private static boolean isEmpty(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.findAny().isEmpty();
        }
    }

    /** H2's trigger that refuses every delete. */
    public static final class RefuseDelete implements Trigger {
        @Override
        public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
            throw new SQLException("deletes are refused");
        }
    }
}
