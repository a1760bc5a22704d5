package io.github.migrationsafety.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.Postgres15Server;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data counts' two ways of reading production, on real PostgreSQL 15 and 17 servers: several effects on one table
 * counted in one scan ({@code count(*) FILTER}) give the same figures, samples and queries as a count of each on its
 * own; and a connection that imports the production session's snapshot counts the same rows as the session, read
 * only and under the same timeouts.
 */
class DataCheckTest {

    private static final String TABLES = """
            CREATE TABLE owner (id bigint PRIMARY KEY, label varchar(20));
            CREATE TABLE model_metadata (id bigint PRIMARY KEY, name varchar(100), version varchar(20),
                owner_id bigint, price int, code text);
            INSERT INTO owner VALUES (1, 'a'), (2, 'b'), (3, 'c');
            INSERT INTO model_metadata VALUES
                (1, 'm', '1.0', 1, 10, '12'),
                (2, NULL, '1.0', 7, 10, '13'),
                (3, 'n', '1.0-beta', 2, 0, 'x1'),
                (4, NULL, '2.0', NULL, -5, ' 14 '),
                (5, 'o', '2.0', 9, NULL, NULL),
                (6, 'p', 'release-candidate', 3, 3, '1.5'),
                (7, 'q', NULL, 7, 1, '-3');
            ANALYZE;
            """;

    /**
     * 1,000 rows, every one in a duplicate group of {@code tag} (ICU order: {@code T0 < t1 < T10}) and of {@code label}
     * (under a case-insensitive collation, {@code l1 = L1}); {@code price} is numeric.
     */
    private static final String TAGGED = """
            CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
            CREATE TABLE tagged (id bigint PRIMARY KEY, tag varchar(20) COLLATE "und-x-icu",
                label text COLLATE case_insensitive, weight int, price numeric);
            INSERT INTO tagged SELECT g, CASE WHEN g % 2 = 0 THEN 'T' ELSE 't' END || (g % 300),
                CASE WHEN g % 3 = 0 THEN 'L' ELSE 'l' END || (g % 250), g % 3, g % 400 FROM generate_series(1, 1000) g;
            ANALYZE tagged;
            """;

    @TempDir
    Path dir;

    /** NOT NULL on name, the foreign key, a check, a cast of text to integer and a shorter varchar. */
    private static final List<Effect> EFFECTS = List.of(
            new Effect.NotNull("model_metadata", "name"),
            new Effect.ForeignKey("model_metadata", "fk_owner", List.of("owner_id"), "owner", List.of("id")),
            new Effect.Check("model_metadata", "positive_price", "(price > 0)"),
            new Effect.TypeChange("model_metadata", "code", "text", "integer"),
            new Effect.TypeChange("model_metadata", "version", "character varying(20)", "character varying(3)"));

    @ParameterizedTest
    @ValueSource(ints = {15, 17})
    void severalEffectsOnOneTableCountedInOneScanGiveTheSameFiguresAsACountOfEach(int major) throws Exception {
        ConnectionSettings production = production(major, TABLES);
        for (Long rowLimit : new Long[] {null, 4L}) {
            try (ProductionSession session = ProductionSession.open(production, Duration.ofSeconds(30))) {
                DataCheck check = check(session, session.reads(), rowLimit);
                List<DataCheck.Count> each = new ArrayList<>();
                List<DataCheck.Scannable> scannable = new ArrayList<>();
                for (Effect effect : EFFECTS) {
                    each.add(check.count(effect));
                    DataCheck.Scannable found = check.scannable(effect);
                    assertNotNull(found, effect.describe());
                    scannable.add(found);
                }

                assertEquals(each, check.countInOneScan(scannable), "rowLimit " + rowLimit);
                assertEquals(
                        rowLimit == null ? List.of(2L, 3L, 2L, 2L, 2L) : List.of(2L, 1L, 2L, 1L, 1L),
                        each.stream().map(DataCheck.Count::count).toList());
                if (rowLimit == null) {
                    assertEquals(
                            List.of(
                                    List.of("2", "4"),
                                    List.of("2", "5", "7"),
                                    List.of("3", "4"),
                                    List.of("3", "6"),
                                    List.of("3", "6")),
                            each.stream().map(DataCheck.Count::samples).toList());
                }
            }
        }
    }

    @Test
    void aUniqueKeyAndACastOnlyAConversionProbesAreNotCountedInTheScan() throws Exception {
        ConnectionSettings production = production(15, TABLES);
        try (ProductionSession session = ProductionSession.open(production, Duration.ofSeconds(30))) {
            DataCheck check = check(session, session.reads(), null);
            Effect unique = new Effect.Unique("model_metadata", "uq", List.of("name", "version"), null);
            assertNull(check.scannable(unique));
            assertNull(check.scannable(new Effect.TypeChange("model_metadata", "code", "text", "date")));
            // the duplicates' query sorts, in parallel workers too, and leaves the settings as they were
            assertEquals(0, check.count(unique).count());
            assertEquals(
                    List.of("on", "1000", "0.1"),
                    session.reads()
                            .inSavepoint(connection -> settings(
                                    connection, "enable_hashagg", "parallel_setup_cost", "parallel_tuple_cost")));
        }
    }

    /**
     * The duplicates are grouped in byte order when the key's collation is deterministic, where that finds the same
     * groups; under a nondeterministic one (here case-insensitive) in the column's own, as its unique index compares.
     * Either way the samples come in the column's order, which ICU's and byte order do not share ({@code a < b < B}
     * against {@code B < a < b}). Production's own unique index decides what a duplicate is.
     */
    @ParameterizedTest
    @ValueSource(ints = {15, 17})
    void duplicatesAreThoseOfTheKeysCollationAndSampledInItsOrder(int major) throws Exception {
        ConnectionSettings production = production(major, """
                CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
                CREATE TABLE tagged (id bigint PRIMARY KEY, tag varchar(20) COLLATE "und-x-icu",
                    label text COLLATE case_insensitive, weight int);
                INSERT INTO tagged VALUES (1, 'b', 'x', 1), (2, 'B', 'X', 1), (3, 'a', 'y', 1), (4, 'b', 'z', 1),
                    (5, 'B', 'Z', 1), (6, 'a', 'w', 1), (7, 'c', 'v', 1);
                """);
        try (ProductionSession session = ProductionSession.open(production, Duration.ofSeconds(30))) {
            DataCheck check = check(session, session.reads(), null);
            DataCheck.Count tags = check.count(new Effect.Unique("tagged", "uq_tag", List.of("tag"), null));
            DataCheck.Count labels = check.count(new Effect.Unique("tagged", "uq_label", List.of("label"), null));
            DataCheck.Count pairs =
                    check.count(new Effect.Unique("tagged", "uq_tag_weight", List.of("tag", "weight"), null));

            assertEquals(List.of(6L, List.of("a", "b", "B")), List.of(tags.count(), tags.samples()));
            assertEquals(4L, labels.count(), "x = X and z = Z under the case-insensitive collation");
            assertEquals(List.of("(a, 1)", "(b, 1)", "(B, 1)"), pairs.samples());
        }
        for (String column : List.of("tag", "label")) {
            SQLException refused = assertThrows(
                    SQLException.class, () -> execute(production, "CREATE UNIQUE INDEX ON tagged (" + column + ")"));
            assertEquals("23505", refused.getSQLState(), column); // unique_violation: the index agrees
        }
    }

    /**
     * Counted in two parts (split by a hash of the first key column, each part on its own connection in the
     * rehearsal), the duplicates add up to the whole count, with the same first key values in the key's own order:
     * under an ICU collation, under a nondeterministic one (whose hash follows its equality: {@code x} and {@code X}
     * in one part), and for a key whose second column is an integer.
     */
    @ParameterizedTest
    @ValueSource(ints = {15, 17})
    void duplicatesCountedInTwoPartsAddUpToTheWholeCount(int major) throws Exception {
        ConnectionSettings production = production(major, TAGGED);
        List<Effect.Unique> keys = List.of(
                new Effect.Unique("tagged", "uq_tag", List.of("tag"), null),
                new Effect.Unique("tagged", "uq_label", List.of("label"), null),
                new Effect.Unique("tagged", "uq_tag_weight", List.of("tag", "weight"), null));
        try (ProductionSession session = ProductionSession.open(production, Duration.ofSeconds(30))) {
            SnapshotReads reads = session.reads();
            DataCheck check = new DataCheck(reads, session.major(), catalog(session), 3, null, 1);
            for (Effect.Unique key : keys) {
                DuplicateCount duplicates = check.duplicates(key);
                assertEquals(2, duplicates.parts(), key.describe());
                DataCheck.Count whole = duplicates.merge(reads, List.of(duplicates.count(reads, 0, 1)));
                DuplicateCount.Part first = duplicates.count(reads, 0, 2);
                DuplicateCount.Part second = duplicates.count(reads, 1, 2);

                assertEquals(whole, duplicates.merge(reads, List.of(second, first)), key.describe());
                assertEquals(whole, check.count(key), key.describe());
                assertTrue(first.rows() > 0 && second.rows() > 0, key.describe() + ": " + first + " " + second);
            }
            assertEquals(
                    List.of(1000L, List.of("T0", "t1", "T10")), // ICU order: byte order would give T0, T10, T100
                    List.of(
                            check.count(keys.get(0)).count(),
                            check.count(keys.get(0)).samples()));
            assertEquals(1000L, check.count(keys.get(1)).count(), "l1 = L1 under the case-insensitive collation");

            // whole: a numeric first key (1.0 = 1.00, apart as text), a small table, a row limit
            assertEquals(
                    1,
                    check.duplicates(new Effect.Unique("tagged", "uq_price", List.of("price"), null))
                            .parts());
            assertEquals(
                    1,
                    new DataCheck(reads, session.major(), catalog(session), 3, null, 1001)
                            .duplicates(keys.get(0))
                            .parts());
            assertEquals(
                    1,
                    new DataCheck(reads, session.major(), catalog(session), 3, 500L, 1)
                            .duplicates(keys.get(0))
                            .parts());
        }
    }

    @Test
    void aCitextKeyIsCountedWholeWithItsOwnEquality() throws Exception {
        // citext compares lower-cased values: École and école are one key, and hashtext of the text would part them
        ConnectionSettings production = production(15, """
                CREATE EXTENSION citext;
                CREATE TABLE labelled (id bigint PRIMARY KEY, label citext COLLATE "und-x-icu");
                INSERT INTO labelled VALUES (1, 'École'), (2, 'école'), (3, 'other');
                ANALYZE labelled;
                """);
        try (ProductionSession session = ProductionSession.open(production, Duration.ofSeconds(30))) {
            DataCheck check = new DataCheck(session.reads(), session.major(), catalog(session), 3, null, 1);
            Effect.Unique label = new Effect.Unique("labelled", "uq_label", List.of("label"), null);
            assertEquals(2L, check.count(label).count());
            assertEquals(1, check.duplicates(label).parts(), "citext does not hash alike as text");
        }
        SQLException refused =
                assertThrows(SQLException.class, () -> execute(production, "CREATE UNIQUE INDEX ON labelled (label)"));
        assertEquals("23505", refused.getSQLState()); // unique_violation: the index agrees
    }

    @Test
    void theRehearsalsCountsCountALargeTablesDuplicatesInPartsOnTwoConnections() throws Exception {
        // the rehearsal's planning and merging, with the split from 1 row on: each part on a connection of its own
        ConnectionSettings production = production(15, TAGGED);
        Effect.Unique tags = new Effect.Unique("tagged", "uq_tag", List.of("tag"), null);
        Effect.Unique labels = new Effect.Unique("tagged", "uq_label", List.of("label"), null);
        ChangelogOnCopy.Update update = new ChangelogOnCopy.Update(
                null,
                List.of(),
                List.of(new ChangelogOnCopy.Outcome(
                        "unique-keys", "changelog.xml", null, "EXECUTED", null, List.of(tags, labels), List.of())),
                null,
                null);
        RehearsalConfig config = new RehearsalConfig(
                null, production, new PostgresTarget(false, production), null, dir, Duration.ofSeconds(30), null, 3);
        CapturingLog log = new CapturingLog();
        RehearsalFindings results = new RehearsalFindings();
        try (ProductionSession session = ProductionSession.open(production, Duration.ofSeconds(30))) {
            try (DataCounts.Running running =
                    new DataCounts(config, log, results, Terms.LIQUIBASE, 1).start(session, catalog(session), update)) {
                running.report();
            }
        }

        assertEquals(
                List.of(
                        "unique key uq_tag on tagged(tag): 1000 rows (tag: T0, t1, T10, ...) in production would make"
                                + " it fail",
                        "unique key uq_label on tagged(label): 1000 rows (label: l0, l1, l10, ...) in production would"
                                + " make it fail"),
                results.joinTo(new SmokeResult(Map.of(), List.of(), List.of())).findings().stream()
                        .map(Finding::message)
                        .toList());
        for (String key : List.of("uq_tag on tagged(tag)", "uq_label on tagged(label)")) {
            assertTrue(
                    log.lines().stream()
                            .anyMatch(l -> l.contains("Rehearsal: data: the duplicates under unique key " + key
                                    + " counted in 2 parts side by side")),
                    log::text);
        }
    }

    @Test
    void aForeignKeyToATableThatPostgresWouldNotHashIsCountedByItsOwnAntiJoin() throws Exception {
        ConnectionSettings production = production(
                15, TABLES + "INSERT INTO owner SELECT g, 'o' FROM generate_series(10, 40000) g; ANALYZE owner;");
        Effect key = EFFECTS.get(1);
        try (ProductionSession session = ProductionSession.open(production, Duration.ofSeconds(30))) {
            assertNotNull(check(session, session.reads(), null).scannable(key), "40,000 keys fit in 4MB work_mem");
        }
        // hashing 40,000 keys takes more than 64kB: a NOT IN would look the subquery up for every row
        execute(production, "ALTER DATABASE \"" + name(production) + "\" SET work_mem = '64kB'");
        try (ProductionSession session = ProductionSession.open(production, Duration.ofSeconds(30))) {
            DataCheck check = check(session, session.reads(), null);
            assertNull(check.scannable(key));
            DataCheck.Count count = check.count(key);
            assertEquals(List.of(3L, List.of("2", "5", "7")), List.of(count.count(), count.samples()));
        }
    }

    @Test
    void aConnectionOnTheSessionsSnapshotCountsTheSameRowsReadOnlyUnderTheSameTimeouts() throws Exception {
        ConnectionSettings production = production(15, TABLES);
        try (ProductionSession session = ProductionSession.open(production, Duration.ofSeconds(30))) {
            // committed after the session's snapshot: neither the session nor a connection on its snapshot sees it
            execute(production, "INSERT INTO model_metadata (id, name) VALUES (100, NULL), (101, NULL)");
            Effect notNull = EFFECTS.get(0);
            try (SnapshotReads other = session.openReads()) {
                assertEquals(2, check(session, other, null).count(notNull).count());
                assertEquals(
                        2, check(session, session.reads(), null).count(notNull).count());
                assertEquals(
                        List.of("on", "repeatable read", "30s", "5s"),
                        other.inSavepoint(connection -> settings(
                                connection,
                                "transaction_read_only",
                                "transaction_isolation",
                                "statement_timeout",
                                "lock_timeout")));
                SQLException refused = assertThrows(
                        SQLException.class,
                        () -> other.inSavepoint(connection -> {
                            try (Statement statement = connection.createStatement()) {
                                return statement.executeUpdate("DELETE FROM model_metadata");
                            }
                        }));
                assertEquals("25006", refused.getSQLState()); // read_only_sql_transaction
                other.withoutJit();
                assertEquals(List.of("off"), other.inSavepoint(connection -> settings(connection, "jit")));
            }
        }
        try (ProductionSession session = ProductionSession.open(production, Duration.ofSeconds(30))) {
            assertEquals(
                    4,
                    check(session, session.reads(), null).count(EFFECTS.get(0)).count());
        }
    }

    private static DataCheck check(ProductionSession session, SnapshotReads reads, Long rowLimit) throws Exception {
        return new DataCheck(reads, session.major(), catalog(session), 3, rowLimit);
    }

    private static Catalog catalog(ProductionSession session) throws Exception {
        try (Connection connection = Databases.open(session.settings())) {
            return Catalog.read(connection, "public", List.of("public"), "databasechangelog");
        }
    }

    private static ConnectionSettings production(int major, String sql) throws Exception {
        ConnectionSettings production =
                major == 15 ? Postgres15Server.freshDatabase("datacheck") : PostgresServer.freshDatabase("datacheck");
        execute(production, sql);
        return production;
    }

    private static void execute(ConnectionSettings settings, String sql) throws Exception {
        try (Connection connection = Databases.open(settings);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String name(ConnectionSettings settings) {
        return settings.url().substring(settings.url().lastIndexOf('/') + 1);
    }

    private static List<String> settings(Connection connection, String... names) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (String name : names) {
                try (ResultSet rs = statement.executeQuery("SHOW " + name)) {
                    rs.next();
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
