package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.backup.HashingFile;
import io.github.migrationsafety.backup.RestoreEngine;
import io.github.migrationsafety.backup.RestoreResult;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The dedupe engine against real H2 (PostgreSQL mode) and real PostgreSQL. */
class DedupeEngineTest {

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("h2", (Function<String, ConnectionSettings>) H2Database::fresh),
                Arguments.of("postgresql", (Function<String, ConnectionSettings>) PostgresServer::freshDatabase));
    }

    @TempDir
    Path dir;

    private ConnectionSettings table(Function<String, ConnectionSettings> database) {
        ConnectionSettings settings = database.apply("dedupe");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(50),"
                        + " created_at TIMESTAMP WITH TIME ZONE, payload VARCHAR(1000))",
                "INSERT INTO model_metadata VALUES"
                        + " (1, 'a', '1', TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00', 'first'),"
                        + " (2, 'a', '1', TIMESTAMP WITH TIME ZONE '2025-03-01 00:00:00+00', ''),"
                        + " (3, 'a', '1', NULL, NULL),"
                        + " (4, 'b', '1', NULL, 'x'),"
                        + " (5, 'b', '2', NULL, 'y'),"
                        + " (6, NULL, '1', NULL, 'n1'),"
                        + " (7, NULL, '1', NULL, 'n2'),"
                        + " (8, 'Model', '1', NULL, 'm1'),"
                        + " (9, ' model', '1', NULL, 'm2')");
        return settings;
    }

    private DedupeConfig config() {
        return DedupeConfig.defaults(
                "model_metadata", List.of("name", "version"), dir.resolve("report.csv"), dir.resolve("backups"));
    }

    private DedupeResult run(ConnectionSettings settings, DedupeConfig config, CapturingLog log) throws Exception {
        try (Connection connection = Databases.open(settings)) {
            // as the goal runs it: a second connection for the near-duplicate search beside the ranking
            return new DedupeEngine(connection, ConnectionSource.of(settings), log).run(config);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void dryRunReportsGroupsNullKeysNeverDuplicateAndNearDuplicatesWarn(
            String db, Function<String, ConnectionSettings> database) throws Exception {
        ConnectionSettings settings = table(database);
        DedupeResult result = run(settings, config(), new CapturingLog());
        assertEquals(1, result.groups());
        assertEquals(3, result.rowsInGroups());
        assertEquals(2, result.rowsToDelete());
        assertEquals(
                List.of(
                        db.equals("h2")
                                ? "\"group\",\"NAME\",\"VERSION\",\"ID\",\"action\",\"CREATED_AT\",\"PAYLOAD\""
                                : "\"group\",\"name\",\"version\",\"id\",\"action\",\"created_at\",\"payload\"",
                        // PostgreSQL writes the report with COPY: its own text form of timestamptz, in UTC
                        "\"1\",\"a\",\"1\",\"1\",\"KEEP\",\""
                                + (db.equals("h2") ? "2025-01-01T00:00Z" : "2025-01-01 00:00:00+00") + "\",\"first\"",
                        "\"1\",\"a\",\"1\",\"2\",\"DELETE\",\""
                                + (db.equals("h2") ? "2025-03-01T00:00Z" : "2025-03-01 00:00:00+00") + "\",\"\"",
                        "\"1\",\"a\",\"1\",\"3\",\"DELETE\",,"),
                Files.readAllLines(dir.resolve("report.csv")));
        String subject =
                db.equals("h2") ? "PUBLIC.MODEL_METADATA(NAME, VERSION)" : "public.model_metadata(name, version)";
        assertEquals(
                List.of(
                        subject + ": 1 duplicate group(s), 3 rows; 2 row(s) would be deleted (keep lowest-id) ["
                                + dir.resolve("report.csv") + "] Fix: review " + dir.resolve("report.csv")
                                + ", then run with -Dmigration-safety.apply=true to delete them after a backup is written to "
                                + dir.resolve("backups") + ".",
                        subject + ": 2 key values differ only by case or surrounding whitespace, e.g. (' model', '1')"
                                + " and ('Model', '1'); a unique constraint accepts them, but they probably name the same thing"
                                + " Fix: normalise these values before adding the constraint if they are the same."),
                result.findings().stream().map(Finding::describe).toList());
        assertEquals(9, Sql.rows(settings, "SELECT id FROM model_metadata").size(), "dry-run changes nothing");
    }

    /**
     * Near duplicates are looked up from the rows normalisation changes; the findings must be those of grouping
     * every distinct key tuple of the table (the reference query below), with exact duplicates, NULL keys, tuples
     * alone in their normalised form and a {@code where} scope in the table.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void nearDuplicatesAreThoseOfGroupingEveryDistinctTuple(String db, Function<String, ConnectionSettings> database)
            throws Exception {
        ConnectionSettings settings = database.apply("near");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(50),"
                        + " tenant VARCHAR(10))",
                "INSERT INTO model_metadata VALUES"
                        + " (1, 'churn', '1', 'a'), (2, 'churn', '1', 'a'), (3, 'Churn', '1', 'a'), (4, ' churn ', '1', 'a'),"
                        + " (5, 'CHURN', '1', 'b'), (6, 'Churn', '1', 'a'),"
                        + " (7, NULL, '1', 'a'), (8, NULL, '1', 'a'), (9, NULL, ' 1', 'a'),"
                        + " (10, 'Fraud', '2', 'a'), (11, 'fraud', '2', 'a'), (12, 'fraud', '2', 'b'),"
                        + " (13, 'fraud ', '3', 'b'), (14, 'Fraud', '3', 'a'),"
                        + " (15, 'x', ' v1', 'a'), (16, 'x', 'V1', 'a'), (17, 'x', 'V1', 'a'),"
                        + " (18, 'Alone', '1', 'a'), (19, 'solo', '1', 'a'), (20, 'solo', '1', 'a'),"
                        + " (21, '\u00c4rger', '1', 'a'), (22, '\u00e4rger', '1', 'a'), (23, '\u00e4rger', '1', 'a')");
        String subject =
                db.equals("h2") ? "PUBLIC.MODEL_METADATA(NAME, VERSION)" : "public.model_metadata(name, version)";
        int scoped = 0;
        for (String where : new String[] {null, "tenant = 'a'"}) {
            List<String> expected = new ArrayList<>();
            for (String row : Sql.rows(
                    settings,
                    "SELECT COUNT(*), MIN(d.name), MAX(d.name), MIN(d.version),"
                            + " MAX(d.version) FROM (SELECT DISTINCT t.name, t.version FROM model_metadata t WHERE t.name IS NOT"
                            + " NULL AND t.version IS NOT NULL" + (where == null ? "" : " AND (" + where + ")")
                            + ") d GROUP BY"
                            + " LOWER(TRIM(d.name)), LOWER(TRIM(d.version)) HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, 2, 3, 4, 5")) {
                String[] v = row.split("\\|", -1);
                expected.add(subject + ": " + v[0]
                        + " key values differ only by case or surrounding whitespace, e.g. ('"
                        + v[1] + "', '" + v[3] + "') and ('" + v[2] + "', '" + v[4] + "'); a unique constraint accepts"
                        + " them, but they probably name the same thing Fix: normalise these values before adding the"
                        + " constraint if they are the same.");
            }
            // 4 and 3 sets, and one more where the collation lower-cases non-ASCII letters
            assertTrue(expected.size() >= (where == null ? 4 : 3), "the reference finds the near-duplicate sets");
            scoped = expected.size();
            DedupeConfig config = where == null ? config() : config().withWhere(where);
            for (DedupeConfig variant : List.of(config, config.withNullsDistinct(false))) {
                DedupeResult result = run(settings, variant, new CapturingLog());
                assertEquals(
                        expected,
                        result.findings().stream()
                                .filter(f -> f.rule().equals("dedupe.near-duplicate"))
                                .map(Finding::describe)
                                .toList(),
                        "where " + where + ", nullsDistinct " + variant.nullsDistinct());
                assertTrue(result.groups() > 0, "exact duplicates too");
            }
        }
        DedupeResult normalised = run(settings, config().withWhere("id IN (1, 2, 19, 20)"), new CapturingLog());
        assertEquals(2, normalised.groups());
        assertEquals(
                List.of("dedupe.duplicates"),
                normalised.findings().stream().map(Finding::rule).toList(),
                "no key value changes when normalised: no near duplicates");
        List<String> before = Sql.rows(settings, "SELECT id FROM model_metadata ORDER BY id");
        DedupeResult applied = run(settings, config().withWhere("tenant = 'a'").withApply(true), new CapturingLog());
        assertTrue(applied.deleted() > 0);
        assertEquals(
                scoped,
                applied.findings().stream()
                        .filter(f -> f.rule().equals("dedupe.near-duplicate"))
                        .count(),
                "apply reports the same sets: deleting duplicates removes no distinct tuple");
        assertTrue(
                Sql.rows(settings, "SELECT id FROM model_metadata ORDER BY id").size() < before.size());
    }

    /**
     * PostgreSQL ranks a dry-run whose NULL keys are distinct by a semi-join that also marks the rows normalisation
     * may change, when the table's statistics sample no such keys; otherwise, and with NULL keys equal, it ranks every
     * row by a window and the near-duplicate search tests the rows itself. On a table without NULL keys every way
     * must write the same report, byte for byte, and find the same: every keep rule, with and without a scope,
     * groups whose rows normalisation changes and such rows alone. The statistics are taken before the mixed-case
     * rows arrive (autovacuum off for the table), as when a few such rows are missed by the sample.
     */
    @Test
    void semiJoinRankingWritesWhatTheWindowRankingWrites() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("semi");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(50),"
                        + " created_at TIMESTAMP WITH TIME ZONE, tenant VARCHAR(10), payload TEXT)"
                        + " WITH (autovacuum_enabled = false)",
                "INSERT INTO model_metadata SELECT g, 'model-' || (g % 700), 'v' || (g % 3),"
                        + " CASE WHEN g % 7 = 0 THEN NULL ELSE TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00'"
                        + " + (g * 37 % 1000) * INTERVAL '1 hour' END, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END,"
                        + " 'p\"' || g || E'\n,x' FROM generate_series(1, 3000) g",
                "ANALYZE model_metadata",
                "INSERT INTO model_metadata VALUES (5001, 'Churn', '1', NULL, 'a', 'c1'), (5002, 'Churn', '1', NULL,"
                        + " 'a', 'c2'), (5003, 'churn ', '1', NULL, 'a', 'c3'), (5004, 'Alone', 'x', NULL, 'b', 'a1'),"
                        + " (5005, '\u00c4rger', '2', NULL, 'a', 'u1'), (5006, '\u00e4rger', '2', NULL, 'a', 'u2')");
        List<String> seen = new ArrayList<>();
        for (String keep : List.of("lowest-id", "highest-id", "newest:created_at", "oldest:created_at")) {
            for (String where : new String[] {null, "tenant = 'a'", "name LIKE 'model-1%'"}) {
                DedupeConfig base = config().withKeep(KeepRule.parse(keep));
                if (where != null) {
                    base = base.withWhere(where);
                }
                String label = "keep " + keep + ", where " + where;
                seen.add(assertSameAsWindowRanking(settings, base, "by a semi-join", label));
            }
        }
        assertTrue(seen.contains("[dedupe.duplicates, dedupe.near-duplicate, dedupe.near-duplicate]"), seen.toString());
        assertTrue(seen.contains("[dedupe.duplicates]"), "a scope without near duplicates: " + seen);

        Sql.run(settings, "UPDATE model_metadata SET name = UPPER(name) WHERE id % 2 = 0", "ANALYZE model_metadata");
        assertSameAsWindowRanking(settings, config(), "every row by a window", "statistics sample mixed case");
        assertSameAsWindowRanking(
                settings, config().withNearDuplicates(false), "by a semi-join", "no search: nothing to mark");
    }

    /** Runs {@code config} and its window-ranked twin (NULL keys equal); returns the rules found. */
    private String assertSameAsWindowRanking(
            ConnectionSettings settings, DedupeConfig config, String ranking, String label) throws Exception {
        DedupeResult window = run(settings, config.withNullsDistinct(false), new CapturingLog());
        String windowReport = Files.readString(dir.resolve("report.csv"));
        CapturingLog log = new CapturingLog();
        DedupeResult result = run(settings, config, log);
        assertTrue(log.text().contains("dedupe: ranking " + ranking), label + "\n" + log.text());
        assertEquals(windowReport, Files.readString(dir.resolve("report.csv")), label);
        assertEquals(
                window.findings().stream().map(Finding::describe).toList(),
                result.findings().stream().map(Finding::describe).toList(),
                label);
        assertEquals(window.topGroups(), result.topGroups(), label);
        assertTrue(result.groups() > 0, label);
        return result.findings().stream().map(Finding::rule).toList().toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void nullsNotDistinctGroupsNullKeys(String db, Function<String, ConnectionSettings> database) throws Exception {
        DedupeResult result = run(table(database), config().withNullsDistinct(false), new CapturingLog());
        assertEquals(2, result.groups());
        assertEquals(List.of("a", "1"), result.topGroups().get(0).key());
        assertEquals(Arrays.asList(null, "1"), result.topGroups().get(1).key());
        assertEquals("6", result.topGroups().get(1).keptId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void keepRulesChooseTheSurvivor(String db, Function<String, ConnectionSettings> database) throws Exception {
        ConnectionSettings settings = table(database);
        assertEquals(
                "3",
                run(settings, config().withKeep(KeepRule.parse("highest-id")), new CapturingLog())
                        .topGroups()
                        .get(0)
                        .keptId());
        assertEquals(
                "2",
                run(settings, config().withKeep(KeepRule.parse("newest:created_at")), new CapturingLog())
                        .topGroups()
                        .get(0)
                        .keptId());
        assertEquals(
                "1",
                run(settings, config().withKeep(KeepRule.parse("oldest:CREATED_AT")), new CapturingLog())
                        .topGroups()
                        .get(0)
                        .keptId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void whereLimitsTheScope(String db, Function<String, ConnectionSettings> database) throws Exception {
        ConnectionSettings settings = table(database);
        DedupeResult result = run(settings, config().withWhere("id >= 2"), new CapturingLog());
        assertEquals(2, result.rowsInGroups());
        assertEquals("2", result.topGroups().get(0).keptId());
        assertEquals(
                0,
                run(settings, config().withWhere("payload = 'first' OR id = 4"), new CapturingLog())
                        .groups());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void whereThatIsNotAPlainPredicateIsRejected(String db, Function<String, ConnectionSettings> database) {
        ConnectionSettings settings = table(database);
        assertEquals(
                "Parameter 'where': '1=1; DROP TABLE model_metadata' is rejected because it contains ';'. Give one"
                        + " plain SQL condition on the table's columns, e.g. created_at < DATE '2025-01-01'; statement separators"
                        + " and comments are never allowed.",
                assertThrows(
                                DatabaseException.class,
                                () -> run(
                                        settings,
                                        config().withWhere("1=1; DROP TABLE model_metadata"),
                                        new CapturingLog()))
                        .getMessage());
        assertTrue(assertThrows(
                        DatabaseException.class,
                        () -> run(settings, config().withWhere("1=1) OR (1=1"), new CapturingLog()))
                .getMessage()
                .contains("is rejected because it closes a parenthesis it did not open."));
        assertTrue(assertThrows(
                        DatabaseException.class,
                        () -> run(settings, config().withWhere("id > 1 -- x"), new CapturingLog()))
                .getMessage()
                .contains("is rejected because it contains a comment"));
        String message = assertThrows(
                        DatabaseException.class,
                        () -> run(settings, config().withWhere("no_such_column = 1"), new CapturingLog()))
                .getMessage();
        assertTrue(
                message.startsWith("Parameter 'where': 'no_such_column = 1' is not a valid condition on table "),
                message);
        assertEquals(9, Sql.rows(settings, "SELECT id FROM model_metadata").size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void applyBacksUpDeletesAndRestoreIsIdempotent(String db, Function<String, ConnectionSettings> database)
            throws Exception {
        ConnectionSettings settings = table(database);
        List<String> before = Sql.rows(settings, "SELECT * FROM model_metadata ORDER BY id");
        DedupeResult result = run(settings, config().withApply(true), new CapturingLog());
        assertTrue(result.applied());
        assertEquals(2, result.deleted());
        assertEquals(
                List.of("1", "4", "5", "6", "7", "8", "9"),
                Sql.rows(settings, "SELECT id FROM model_metadata ORDER BY id"));
        BackupManifest manifest = BackupManifest.read(result.backup());
        assertEquals(BackupManifest.Status.COMPLETE, manifest.status());
        assertEquals(2, manifest.rowCount());
        assertEquals(HashingFile.sha256(result.backup().resolve("rows.csv")), manifest.sha256());
        assertEquals("lowest-id", manifest.keepRule());
        assertEquals(
                0, run(settings, config().withApply(true), new CapturingLog()).groups(), "second run finds nothing");

        try (Connection connection = Databases.open(settings)) {
            RestoreResult first = new RestoreEngine(connection, new CapturingLog()).restore(result.backup());
            assertEquals(2, first.restored());
            assertEquals(0, first.skipped());
            RestoreResult second = new RestoreEngine(connection, new CapturingLog()).restore(result.backup());
            assertEquals(0, second.restored());
            assertEquals(2, second.skipped());
        }
        assertEquals(before, Sql.rows(settings, "SELECT * FROM model_metadata ORDER BY id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void referencedRowsFailOrAreRepointed(String db, Function<String, ConnectionSettings> database) throws Exception {
        ConnectionSettings settings = table(database);
        Sql.run(
                settings,
                "CREATE TABLE deployment(id INT PRIMARY KEY, model_id BIGINT REFERENCES model_metadata(id))",
                "INSERT INTO deployment VALUES (10, 2), (11, 1), (12, 3)");
        DedupeResult failed = run(settings, config().withApply(true), new CapturingLog());
        assertEquals(0, failed.deleted());
        String text = failed.findings().get(0).message();
        assertTrue(text.startsWith("rows to delete are referenced by foreign keys; nothing was changed:\n - "), text);
        assertTrue(
                text.endsWith(
                        db.equals("h2")
                                ? "2 row(s), e.g. ID=10 -> ID=2, ID=12 -> ID=3"
                                : "2 row(s), e.g. id=10 -> id=2, id=12 -> id=3"),
                text);
        assertEquals(9, Sql.rows(settings, "SELECT id FROM model_metadata").size());
        assertEquals(0, Files.list(dir.resolve("backups")).count(), "no backup for a run that changed nothing");

        DedupeResult repointed =
                run(settings, config().withApply(true).withOnReferences(OnReferences.REPOINT), new CapturingLog());
        assertEquals(2, repointed.deleted());
        assertEquals(2, repointed.repointed());
        assertEquals(
                List.of("10|1", "11|1", "12|1"), Sql.rows(settings, "SELECT id, model_id FROM deployment ORDER BY id"));
        try (Connection connection = Databases.open(settings)) {
            RestoreResult restored = new RestoreEngine(connection, new CapturingLog()).restore(repointed.backup());
            assertEquals(2, restored.unpointed());
        }
        assertEquals(
                List.of("10|2", "11|1", "12|3"), Sql.rows(settings, "SELECT id, model_id FROM deployment ORDER BY id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void badNamesAreRejectedBeforeAnySql(String db, Function<String, ConnectionSettings> database) {
        ConnectionSettings settings = table(database);
        String injected = assertThrows(
                        DatabaseException.class,
                        () -> run(
                                settings,
                                DedupeConfig.defaults(
                                        "model_metadata; DROP TABLE model_metadata",
                                        List.of("name"),
                                        dir.resolve("r.csv"),
                                        dir),
                                new CapturingLog()))
                .getMessage();
        assertTrue(
                injected.startsWith("Parameter 'table': no table named 'model_metadata; DROP TABLE model_metadata"),
                injected);
        String column = assertThrows(
                        DatabaseException.class,
                        () -> run(
                                settings,
                                DedupeConfig.defaults(
                                        "model_metadata",
                                        List.of("name", "version) OR 1=1"),
                                        dir.resolve("r.csv"),
                                        dir),
                                new CapturingLog()))
                .getMessage();
        assertTrue(column.contains("named 'version) OR 1=1' in "), column);
        String id = assertThrows(
                        DatabaseException.class,
                        () -> run(
                                settings,
                                DedupeConfig.defaults("model_metadata", List.of("name"), dir.resolve("r.csv"), dir)
                                        .withIdColumn("version"),
                                new CapturingLog()))
                .getMessage();
        assertEquals(
                "Parameter 'idColumn': column "
                        + (db.equals("h2") ? "VERSION of PUBLIC.MODEL_METADATA" : "version of public.model_metadata")
                        + " is not unique (value '1' appears 8 times),"
                        + " so it cannot identify the rows to keep and delete. Set 'idColumn' to the primary key or another"
                        + " unique, non-null column.",
                id);
        String conflict = assertThrows(
                        DatabaseException.class,
                        () -> run(settings, config().withIdColumn("version"), new CapturingLog()))
                .getMessage();
        assertTrue(conflict.startsWith("Parameters 'idColumn' and 'keyColumns' conflict: "), conflict);
        assertEquals(9, Sql.rows(settings, "SELECT id FROM model_metadata").size());
    }
}
