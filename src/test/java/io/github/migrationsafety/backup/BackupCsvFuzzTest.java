package io.github.migrationsafety.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.RowCsv;
import io.github.migrationsafety.dedupe.DedupeConfig;
import io.github.migrationsafety.dedupe.DedupeEngine;
import io.github.migrationsafety.dedupe.DedupeResult;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Snapshot;
import io.github.migrationsafety.testsupport.Sql;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized round trips of the backup CSV: random Unicode (astral characters, lone surrogates excluded since no
 * database stores them), control characters, quotes, separators, line breaks, NULL next to empty strings and fields
 * of up to a megabyte. Seeded: a failure prints its seed, and {@code -Dfuzz.seed=N} replays it.
 */
class BackupCsvFuzzTest {

    private static final String SPECIALS = "\",;\r\n\\' \t";
    private static final long SEED = Long.getLong("fuzz.seed", 20261125L);

    @TempDir
    Path dir;

    @Test
    void everyRowReadsBackAsWritten() throws Exception {
        Random random = new Random(SEED);
        for (int round = 0; round < 200; round++) {
            int columns = 1 + random.nextInt(6);
            List<String[]> rows = new ArrayList<>();
            for (int r = 0, count = random.nextInt(20); r < count; r++) {
                String[] row = new String[columns];
                for (int c = 0; c < columns; c++) {
                    row[c] = randomValue(random, true);
                }
                rows.add(row);
            }
            StringWriter out = new StringWriter();
            try (CSVPrinter printer = RowCsv.printer(out)) {
                String[] header = new String[columns];
                Arrays.setAll(header, i -> "c" + i);
                printer.printRecord((Object[]) header);
                for (String[] row : rows) {
                    printer.printRecord((Object[]) row);
                }
            }
            List<String[]> read = new ArrayList<>();
            try (CSVParser parser = RowCsv.parser(new StringReader(out.toString()))) {
                for (CSVRecord record : parser) {
                    read.add(record.values());
                }
            }
            assertEquals(rows.size(), read.size(), "seed " + SEED + ", round " + round);
            for (int r = 0; r < rows.size(); r++) {
                assertEquals(
                        Arrays.asList(rows.get(r)),
                        Arrays.asList(read.get(r)),
                        "seed " + SEED + ", round " + round + ", row " + r);
            }
        }
    }

    @Test
    void h2BackupAndRestoreKeepRandomText() throws Exception {
        roundTrip(H2Database.fresh("fuzz"), true);
    }

    @Test
    void postgresBackupAndRestoreKeepRandomText() throws Exception {
        // PostgreSQL text cannot hold U+0000, so that one character is left out there
        roundTrip(PostgresServer.freshDatabase("fuzz"), false);
    }

    /**
     * A PostgreSQL dedupe backup is cut from the report's COPY stream, its fields re-ordered into table order: the
     * file must be byte for byte what COPY writes for the deleted rows themselves, and restore them.
     */
    @Test
    void postgresDedupeBackupIsExactlyCopyOfTheDeletedRows() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("fuzzdedupe");
        // the key sits between other columns, so the report's order (key, id, others) differs from the table's
        Sql.run(settings, "CREATE TABLE fuzz(a text, id bigint PRIMARY KEY, k text, b text, n numeric, j jsonb)");
        Random random = new Random(SEED);
        try (Connection connection = Databases.open(settings);
                PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO fuzz VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
            for (int id = 1; id <= 400; id++) {
                insert.setString(1, randomValue(random, false));
                insert.setLong(2, id);
                insert.setString(3, "key-" + random.nextInt(150));
                insert.setString(4, randomValue(random, false));
                insert.setBigDecimal(5, random.nextInt(5) == 0 ? null : new BigDecimal(random.nextGaussian() * 1e6));
                insert.setString(6, random.nextInt(3) == 0 ? null : "{\"v\": \"" + random.nextInt() + "\"}");
                insert.addBatch();
            }
            insert.executeBatch();
        }
        Sql.run(settings, "CREATE TABLE fuzz_before AS SELECT * FROM fuzz");
        List<String> before = Snapshot.of(settings, "SELECT * FROM fuzz ORDER BY id");
        DedupeResult result;
        try (Connection connection = Databases.open(settings)) {
            result = new DedupeEngine(connection, new CapturingLog())
                    .run(DedupeConfig.defaults("fuzz", List.of("k"), dir.resolve("report.csv"), dir.resolve("backups"))
                            .withApply(true)
                            .withNearDuplicates(false));
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write("\"a\",\"id\",\"k\",\"b\",\"n\",\"j\"\n".getBytes(StandardCharsets.UTF_8));
        long copied;
        try (Connection connection = Databases.open(settings)) {
            connection.setAutoCommit(false);
            PgCopy.canonicalText(connection);
            copied = PgCopy.copyOut(
                    connection,
                    "SELECT * FROM fuzz_before WHERE id NOT IN (SELECT id FROM fuzz)" + " ORDER BY k, id",
                    expected);
            connection.rollback();
        }
        assertTrue(copied > 100, "seed " + SEED + ": only " + copied + " duplicates");
        assertEquals(copied, result.deleted(), "seed " + SEED);
        assertArrayEquals(
                expected.toByteArray(),
                Files.readAllBytes(result.backup().resolve(BackupManifest.ROWS)),
                "seed " + SEED);
        try (Connection connection = Databases.open(settings)) {
            assertEquals(
                    copied,
                    new RestoreEngine(connection, new CapturingLog())
                            .restore(result.backup())
                            .restored());
        }
        assertEquals(before, Snapshot.of(settings, "SELECT * FROM fuzz ORDER BY id"), "seed " + SEED);
    }

    private void roundTrip(ConnectionSettings settings, boolean allowNul) throws Exception {
        Sql.run(settings, "CREATE TABLE fuzz(id BIGINT PRIMARY KEY, a VARCHAR(1100000), b VARCHAR(1100000))");
        Random random = new Random(SEED);
        try (Connection connection = Databases.open(settings);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO fuzz VALUES (?, ?, ?)")) {
            for (int id = 1; id <= 300; id++) {
                insert.setLong(1, id);
                insert.setString(2, randomValue(random, allowNul));
                insert.setString(3, randomValue(random, allowNul));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        List<String> before = Snapshot.of(settings, "SELECT * FROM fuzz ORDER BY id");
        BackupEngine.Result backup = new BackupEngine(settings, new CapturingLog())
                .run(new BackupEngine.Config(List.of("fuzz"), dir, BackupEngine.Method.JDBC, "pg_dump", 50));
        Sql.run(settings, "DELETE FROM fuzz");
        try (Connection connection = Databases.open(settings)) {
            RestoreResult restored = new RestoreEngine(connection, new CapturingLog())
                    .restore(backup.locations().get(0));
            assertEquals(300, restored.restored(), "seed " + SEED);
        }
        assertEquals(before, Snapshot.of(settings, "SELECT * FROM fuzz ORDER BY id"), "seed " + SEED);
    }

    /** NULL, empty, or a random string; now and then a huge one. */
    private static String randomValue(Random random, boolean allowNul) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return null;
        }
        if (kind == 1) {
            return "";
        }
        int length = random.nextInt(50) == 0 ? 200_000 + random.nextInt(800_000) : random.nextInt(40);
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            int pick = random.nextInt(8);
            int codePoint = switch (pick) {
                case 0 -> random.nextInt(0x20); // control characters
                case 1 -> SPECIALS.charAt(random.nextInt(SPECIALS.length())); // CSV and SQL specials
                case 2 -> 0x80 + random.nextInt(0x780); // Latin-1 and beyond
                case 3 -> 0x4E00 + random.nextInt(0x5000); // CJK
                case 4 -> 0x1F300 + random.nextInt(0x300); // emoji, outside the BMP
                default -> 0x20 + random.nextInt(0x5F); // printable ASCII
            };
            if (codePoint == 0 && !allowNul) {
                codePoint = '0';
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }
}
