package io.github.migrationsafety.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.dedupe.DedupeConfig;
import io.github.migrationsafety.dedupe.DedupeEngine;
import io.github.migrationsafety.dedupe.DedupeResult;
import io.github.migrationsafety.testsupport.Await;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Snapshot;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup → restore round trips of every type, and refusal of damaged backups, on real H2 and PostgreSQL. */
class RestoreEngineTest {

    @TempDir
    Path dir;

    private static final String UNICODE = "Zürich — 東京 🚀 \"quoted\", comma\nnew line\ttab";

    private DedupeResult dedupe(ConnectionSettings settings) throws Exception {
        try (Connection connection = Databases.open(settings)) {
            return new DedupeEngine(connection, new CapturingLog())
                    .run(DedupeConfig.defaults("typed", List.of("k"), dir.resolve("report.csv"), dir.resolve("backups"))
                            .withApply(true));
        }
    }

    private RestoreResult restore(ConnectionSettings settings, Path backup) throws Exception {
        try (Connection connection = Databases.open(settings)) {
            return new RestoreEngine(connection, new CapturingLog()).restore(backup);
        }
    }

    private void roundTrip(ConnectionSettings settings) throws Exception {
        List<String> before = Snapshot.of(settings, "SELECT * FROM typed ORDER BY id");
        DedupeResult result = dedupe(settings);
        assertEquals(3, result.deleted());
        assertEquals(1, Snapshot.of(settings, "SELECT * FROM typed").size());
        assertEquals(3, restore(settings, result.backup()).restored());
        assertEquals(before, Snapshot.of(settings, "SELECT * FROM typed ORDER BY id"));
        assertEquals(3, restore(settings, result.backup()).skipped());
        assertEquals(before, Snapshot.of(settings, "SELECT * FROM typed ORDER BY id"));
    }

    @Test
    void everyPostgresTypeSurvivesTheRoundTrip() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("types");
        Sql.run(
                settings,
                "CREATE TABLE typed(id bigint PRIMARY KEY, k text, t text, b bytea, n numeric(40,12), d double precision,"
                        + " r real, bo boolean, dt date, ts timestamp, tstz timestamptz, tm time, j json, jb jsonb, u uuid, i int)",
                "INSERT INTO typed VALUES (1, 'k', 'keep', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                "INSERT INTO typed VALUES (2, 'k', '', '\\x00ff10'::bytea, 12345678901234567890.123456789012, 1.0E-300, 3.25,"
                        + " true, DATE '0999-12-31', TIMESTAMP '2024-02-29 23:59:59.123456', TIMESTAMPTZ '2024-06-01 12:00:00.5+02',"
                        + " TIME '23:59:59.999999', '{\"b\": 1,  \"a\": [1, 2]}', '{\"b\": 1, \"a\": \"ü\"}',"
                        + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', -2147483648)",
                "INSERT INTO typed VALUES (3, 'k', NULL, ''::bytea, -0.000000000001, 'NaN', '-Infinity', false, DATE '2024-01-01',"
                        + " NULL, NULL, NULL, 'null', '[]', NULL, 0)");
        try (Connection c = Databases.open(settings);
                var p = c.prepareStatement("INSERT INTO typed(id, k, t) VALUES (4, 'k', ?)")) {
            p.setString(1, UNICODE);
            p.executeUpdate();
        }
        roundTrip(settings);
    }

    @Test
    void everyH2TypeSurvivesTheRoundTrip() throws Exception {
        ConnectionSettings settings = H2Database.fresh("types");
        Sql.run(
                settings,
                "CREATE TABLE typed(id BIGINT PRIMARY KEY, k VARCHAR(10), t VARCHAR(200), b VARBINARY(10),"
                        + " n NUMERIC(40,12), d DOUBLE PRECISION, r REAL, bo BOOLEAN, dt DATE, ts TIMESTAMP(6),"
                        + " tstz TIMESTAMP(6) WITH TIME ZONE, tm TIME(6), j JSON, u UUID, i INT)",
                "INSERT INTO typed VALUES (1, 'k', 'keep', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                "INSERT INTO typed VALUES (2, 'k', '', X'00ff10', 12345678901234567890.123456789012, 1.0E-300, 3.25, TRUE,"
                        + " DATE '0999-12-31', TIMESTAMP '2024-02-29 23:59:59.123456',"
                        + " TIMESTAMP WITH TIME ZONE '2024-06-01 12:00:00.5+02:00', TIME '23:59:59.999999',"
                        + " JSON '{\"b\":1,\"a\":[1,2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', -2147483648)",
                "INSERT INTO typed VALUES (3, 'k', NULL, X'', -0.000000000001, CAST('NaN' AS DOUBLE PRECISION), -1.5, FALSE,"
                        + " DATE '2024-01-01', NULL, NULL, NULL, JSON 'null', NULL, 0)");
        try (Connection c = Databases.open(settings);
                var p = c.prepareStatement("INSERT INTO typed(id, k, t) VALUES (4, 'k', ?)")) {
            p.setString(1, UNICODE);
            p.executeUpdate();
        }
        roundTrip(settings);
    }

    @Test
    void postgresBackupsAreWrittenAndRestoredByCopyWhateverTheSessionDefaults() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("copy");
        Sql.run(
                settings,
                "DO $$ BEGIN EXECUTE 'ALTER DATABASE ' || quote_ident(current_database())"
                        + " || ' SET bytea_output = ''escape'''; EXECUTE 'ALTER DATABASE ' || quote_ident(current_database())"
                        + " || ' SET IntervalStyle = ''sql_standard'''; END $$",
                "CREATE TABLE typed(id bigint PRIMARY KEY, k text, b bytea, bo boolean, tstz timestamptz,"
                        + " d double precision, iv interval, t text)",
                "INSERT INTO typed VALUES (1, 'k', NULL, NULL, NULL, NULL, NULL, 'keep')",
                "INSERT INTO typed VALUES (2, 'k', '\\x00ff'::bytea, true, TIMESTAMPTZ '2024-06-01 12:00:00.5+02', 0.1,"
                        + " INTERVAL '1 day 2 hours', '')",
                "INSERT INTO typed VALUES (3, 'k', ''::bytea, false, NULL, NULL, NULL, NULL)");
        try (Connection c = Databases.open(settings);
                var p = c.prepareStatement("INSERT INTO typed(id, k, t) VALUES (4, 'k', ?)")) {
            p.setString(1, UNICODE);
            p.executeUpdate();
        }
        List<String> before = Snapshot.of(settings, "SELECT * FROM typed ORDER BY id");
        DedupeResult result = dedupe(settings);
        assertEquals(3, result.deleted());
        BackupManifest manifest = BackupManifest.read(result.backup());
        assertEquals(BackupManifest.FORMAT_COPY, manifest.format());
        assertEquals("postgresql-copy-csv", manifest.dataFormat());
        // database defaults bytea_output=escape and IntervalStyle=sql_standard do not reach the file
        assertEquals(
                "\"id\",\"k\",\"b\",\"bo\",\"tstz\",\"d\",\"iv\",\"t\"\n"
                        + "\"2\",\"k\",\"\\x00ff\",\"t\",\"2024-06-01 10:00:00.5+00\",\"0.1\",\"1 day 02:00:00\",\"\"\n"
                        + "\"3\",\"k\",\"\\x\",\"f\",,,,\n"
                        + "\"4\",\"k\",,,,,,\"" + UNICODE.replace("\"", "\"\"") + "\"\n",
                Files.readString(result.backup().resolve("rows.csv"), StandardCharsets.UTF_8));
        assertEquals(1, Snapshot.of(settings, "SELECT * FROM typed").size());
        assertEquals(3, restore(settings, result.backup()).restored());
        assertEquals(before, Snapshot.of(settings, "SELECT * FROM typed ORDER BY id"));
        assertEquals(3, restore(settings, result.backup()).skipped());
        assertEquals(before, Snapshot.of(settings, "SELECT * FROM typed ORDER BY id"));
    }

    @Test
    void h2BackupsKeepTheCodecFormat() throws Exception {
        ConnectionSettings settings = H2Database.fresh("codec");
        Sql.run(
                settings,
                "CREATE TABLE typed(id BIGINT PRIMARY KEY, k VARCHAR(10))",
                "INSERT INTO typed VALUES (1, 'k'), (2, 'k')");
        DedupeResult result = dedupe(settings);
        BackupManifest manifest = BackupManifest.read(result.backup());
        assertEquals(BackupManifest.FORMAT, manifest.format());
        assertEquals(null, manifest.dataFormat());
        assertTrue(
                !Files.readString(result.backup().resolve(BackupManifest.FILE)).contains("dataFormat"));
    }

    private ConnectionSettings dedupedPostgres() {
        ConnectionSettings settings = PostgresServer.freshDatabase("damaged");
        Sql.run(
                settings,
                "CREATE TABLE typed(id bigint PRIMARY KEY, k text, v text)",
                "INSERT INTO typed SELECT g, 'k' || (g % 10), 'value ' || g FROM generate_series(1, 200) g");
        return settings;
    }

    @Test
    void truncatedEditedAndUnfinishedBackupsAreRefusedAndChangeNothing() throws Exception {
        ConnectionSettings settings = dedupedPostgres();
        DedupeResult result = dedupe(settings);
        assertEquals(190, result.deleted());
        Path rows = result.backup().resolve("rows.csv");
        String manifestHash = BackupManifest.read(result.backup()).sha256();
        byte[] original = Files.readAllBytes(rows);

        Files.write(rows, Arrays.copyOf(original, original.length / 2));
        String truncated = assertThrows(BackupException.class, () -> restore(settings, result.backup()))
                .getMessage();
        assertTrue(truncated.startsWith("Backup file " + rows.toAbsolutePath() + " has SHA-256 "), truncated);
        assertTrue(
                truncated.endsWith(" but its manifest says " + manifestHash + ": the file was truncated or edited after"
                        + " the backup was written. Nothing was restored; restore from an intact copy of the backup."),
                truncated);

        Files.writeString(rows, new String(original, StandardCharsets.UTF_8).replace("value 11", "value 12"));
        assertThrows(BackupException.class, () -> restore(settings, result.backup()));
        assertEquals(10, Sql.rows(settings, "SELECT id FROM typed").size(), "nothing restored from a damaged backup");

        Files.write(rows, original);
        Files.delete(result.backup().resolve("manifest.json"));
        assertEquals(
                "Backup " + result.backup().toAbsolutePath() + " is incomplete: it has no manifest.json (the run"
                        + " that wrote it stopped before the backup was finished, so it changed nothing). Choose another"
                        + " backup directory.",
                assertThrows(BackupException.class, () -> restore(settings, result.backup()))
                        .getMessage());
    }

    @Test
    void restoreIntoAChangedSchemaNamesTheColumns() throws Exception {
        ConnectionSettings settings = dedupedPostgres();
        DedupeResult result = dedupe(settings);
        Sql.run(
                settings,
                "ALTER TABLE typed DROP COLUMN v",
                "ALTER TABLE typed ADD COLUMN w int NOT NULL DEFAULT 0",
                "ALTER TABLE typed ALTER COLUMN k TYPE varchar(20)");
        assertEquals(
                "Cannot restore into public.typed: its columns changed since the backup was written:\n"
                        + " - k was text and is now varchar\n"
                        + " - v (text) is in the backup but no longer in the table\n"
                        + " - w (int4) is in the table but not in the backup\n"
                        + "Restore into a table with the backup's columns (e.g. before the migration that changed them), then"
                        + " migrate. Nothing was restored.",
                assertThrows(DatabaseException.class, () -> restore(settings, result.backup()))
                        .getMessage());
        assertEquals(10, Sql.rows(settings, "SELECT id FROM typed").size());
    }

    @Test
    void applyWithAConcurrentWriterLosesNothing() throws Exception {
        ConnectionSettings settings = dedupedPostgres();
        Sql.run(
                settings,
                "INSERT INTO typed SELECT g, 'k' || (g % 10), repeat('x', 2000) FROM generate_series(201, 20000) g");
        AtomicLong inserted = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (Connection c = Databases.open(settings);
                    var p = c.prepareStatement("INSERT INTO typed VALUES (?, ?, 'late')")) {
                for (long id = 1_000_000; !stop.get(); id++) {
                    p.setLong(1, id);
                    p.setString(2, "late" + id);
                    p.executeUpdate();
                    inserted.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        // the writer is inserting before apply starts, however long its login takes
        Await.until("the concurrent writer's first insert", () -> inserted.get() > 0);
        DedupeResult result = dedupe(settings);
        stop.set(true);
        writer.join(30_000);
        assertEquals(19_990, result.deleted());
        assertNotEquals(0, inserted.get());
        assertEquals(
                List.of(Long.toString(inserted.get())),
                Sql.rows(settings, "SELECT COUNT(*) FROM typed WHERE v = 'late'"),
                "every concurrent insert is kept");
        assertEquals(
                List.of("0"),
                Sql.rows(
                        settings,
                        "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                                + " WHERE c.relname = 'typed'"),
                "no lock left behind");
    }
}
