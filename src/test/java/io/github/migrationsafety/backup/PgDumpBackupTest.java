package io.github.migrationsafety.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Executables;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.Postgres15Server;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Snapshot;
import io.github.migrationsafety.testsupport.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pg_dump path of the backup goal, end to end: the machine's pg_dump (Debian's postgresql-client, 15) against
 * an embedded PostgreSQL 15 that demands a password, and the dump restored with pg_restore and compared row by row.
 * {@link BackupEngineTest} covers the JDBC export and the fallback.
 */
class PgDumpBackupTest {

    private static final String TABLE = "model_metadata";
    private static final String ROWS = "SELECT * FROM " + TABLE + " ORDER BY id";

    /** The pg_dump under test, and whether it is the one the plugin finds on the PATH by its default name. */
    private static Path pgDump;

    private static boolean onPath;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPgDump() throws Exception {
        List<Path> candidates = new ArrayList<>();
        Path found = Executables.find("pg_dump");
        if (found != null) {
            candidates.add(found);
        }
        // Debian keeps every installed client version here; the PATH wrapper may not pick a new enough one
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(v -> v.resolve("bin/pg_dump"))
                        .filter(Files::isExecutable)
                        .sorted(Comparator.comparingInt((Path p) -> number(
                                        p.getParent().getParent().getFileName().toString()))
                                .reversed())
                        .forEach(candidates::add);
            }
        }
        List<String> seen = new ArrayList<>();
        for (Path candidate : candidates) {
            int major = majorVersion(candidate);
            seen.add(candidate + " (major " + major + ")");
            if (major >= 15) {
                pgDump = candidate;
                onPath = candidate.equals(found);
                return;
            }
        }
        fail("No pg_dump of major version 15 or newer found on the PATH or under /usr/lib/postgresql/*/bin"
                + (seen.isEmpty() ? "" : " (found: " + String.join(", ", seen) + ")")
                + ". The backup tests run the real pg_dump and pg_restore: apt-get install postgresql-client"
                + " (.ci/run installs it when missing).");
    }

    @Test
    void pgDumpBacksUpAPasswordProtectedDatabaseThatPgRestoreRestoresExactly() throws Exception {
        ConnectionSettings source = filledDatabase();
        assertEquals(
                "15",
                Sql.rows(source, "SELECT current_setting('server_version_num')::int / 10000")
                        .get(0),
                "the server must not be newer than Debian's pg_dump 15");

        // without the password the server refuses pg_dump, so the run below can only succeed through PGPASSWORD
        Path refused = dir.resolve("refused.dump");
        Ran withoutPassword = run(
                List.of(
                        pgDump.toString(),
                        "--format=custom",
                        "--no-password",
                        "--host=localhost",
                        "--port=" + Postgres15Server.port(),
                        "--username=" + PostgresServer.USER,
                        "--dbname=" + databaseOf(source),
                        "--file=" + refused),
                null);
        assertNotEquals(0, withoutPassword.exit(), withoutPassword.output());
        assertTrue(withoutPassword.output().contains("password"), withoutPassword.output());

        // a wrapper that records how the engine starts pg_dump, then runs the real one
        Path argv = dir.resolve("argv.txt");
        Path passwordHash = dir.resolve("pgpassword.sha256");
        Path recording = dir.resolve("recording-pg_dump");
        Files.writeString(
                recording,
                "#!/bin/sh\n"
                        + "printf '%s\\n' \"$@\" > '" + argv + "'\n"
                        + "if [ -n \"${PGPASSWORD+x}\" ]; then printf '%s' \"$PGPASSWORD\" | sha256sum | cut -c1-64 > '"
                        + passwordHash + "'; fi\n"
                        + "exec '" + pgDump + "' \"$@\"\n");
        Files.setPosixFilePermissions(recording, PosixFilePermissions.fromString("rwx------"));

        CapturingLog log = new CapturingLog();
        BackupEngine.Result result = new BackupEngine(source, log)
                .run(new BackupEngine.Config(
                        List.of(TABLE),
                        dir.resolve("backups"),
                        BackupEngine.Method.PG_DUMP,
                        recording.toString(),
                        100));

        Path dump = assertPgDump(result, log);
        List<String> arguments = Files.readAllLines(argv);
        assertTrue(
                arguments.contains("--format=custom")
                        && arguments.contains("--no-password")
                        && arguments.contains("--table=\"public\".\"" + TABLE + "\""),
                arguments.toString());
        assertTrue(
                arguments.stream().noneMatch(a -> a.contains(PostgresServer.PASSWORD)), "password on the command line");
        assertEquals(
                sha256(PostgresServer.PASSWORD), Files.readString(passwordHash).strip(), "PGPASSWORD of pg_dump");
        assertRestoresExactly(dump, source);
    }

    @Test
    void autoUsesPgDumpWhenItCanDumpTheServer() throws Exception {
        ConnectionSettings source = filledDatabase();
        CapturingLog log = new CapturingLog();
        BackupEngine.Result result = new BackupEngine(source, log)
                .run(new BackupEngine.Config(
                        List.of(TABLE),
                        dir.resolve("backups"),
                        BackupEngine.Method.AUTO,
                        onPath ? "pg_dump" : pgDump.toString(),
                        100));

        Path dump = assertPgDump(result, log);
        assertFalse(log.text().contains("Falling back"), log.text());
        assertRestoresExactly(dump, source);
    }

    /** A database on the version-15 server with the table to back up (several types, NULLs) and one to leave out. */
    private static ConnectionSettings filledDatabase() {
        ConnectionSettings settings = Postgres15Server.freshDatabase("pgdump_source");
        Sql.run(
                settings,
                "CREATE TABLE " + TABLE + "(id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, payload TEXT,"
                        + " score NUMERIC(12, 4), active BOOLEAN, created TIMESTAMPTZ, born DATE, weights BYTEA, labels JSONB,"
                        + " ref UUID, tags TEXT[])",
                "INSERT INTO " + TABLE + " VALUES"
                        + " (1, 'a', '', 0.5, TRUE, '2026-01-02 03:04:05.123456+00', '2026-01-02', '\\x00ff10',"
                        + " '{\"k\": [1, 2]}', '8f2c1a9e-6b1d-4c5e-9a7b-0d3e2f1c4b5a', ARRAY['x', 'y']),"
                        + " (2, 'a', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
                        + " (3, 'Ünï', E'x,\"y\"\\nline 2', -12345678.9999, FALSE, 'infinity', '1999-12-31', '\\x',"
                        + " '{}', '00000000-0000-0000-0000-000000000000', '{}')",
                "CREATE TABLE not_backed_up(id INT PRIMARY KEY)",
                "INSERT INTO not_backed_up VALUES (1)");
        return settings;
    }

    /** The result names one custom-format dump file, and the log shows it without the password. */
    private static Path assertPgDump(BackupEngine.Result result, CapturingLog log) throws IOException {
        assertEquals(BackupEngine.Method.PG_DUMP, result.method(), log.text());
        assertEquals(1, result.locations().size());
        assertEquals(-1, result.rows());
        Path dump = result.locations().get(0);
        assertTrue(Files.isRegularFile(dump) && Files.size(dump) > 0, dump.toString());
        byte[] magic = new byte[5];
        try (InputStream in = Files.newInputStream(dump)) {
            assertEquals(5, in.readNBytes(magic, 0, 5));
        }
        assertArrayEquals("PGDMP".getBytes(StandardCharsets.US_ASCII), magic, "custom-format magic");
        assertTrue(log.text().contains("pg_dump wrote " + dump), log.text());
        assertFalse(log.text().contains(PostgresServer.PASSWORD), "password in the log");
        return dump;
    }

    /** pg_restore (next to pg_dump) into a fresh database gives back the backed-up table, row for row, and only it. */
    private static void assertRestoresExactly(Path dump, ConnectionSettings source) throws Exception {
        ConnectionSettings target = Postgres15Server.freshDatabase("pgdump_restored");
        Ran restore = run(
                List.of(
                        pgDump.resolveSibling("pg_restore").toString(),
                        "--no-password",
                        "--exit-on-error",
                        "--host=localhost",
                        "--port=" + Postgres15Server.port(),
                        "--username=" + PostgresServer.USER,
                        "--dbname=" + databaseOf(target),
                        dump.toString()),
                PostgresServer.PASSWORD);
        assertEquals(0, restore.exit(), restore.output());
        List<String> before = Snapshot.of(source, ROWS);
        assertEquals(3, before.size());
        assertEquals(before, Snapshot.of(target, ROWS));
        assertEquals(
                List.of(TABLE),
                Sql.rows(
                        target,
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"));
    }

    private record Ran(int exit, String output) {}

    /** Runs a client program to completion; {@code password} null means no PGPASSWORD and no password file. */
    private static Ran run(List<String> command, String password) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.remove("PGPASSWORD");
        environment.put("PGPASSFILE", "/nonexistent/pgpass");
        if (password != null) {
            environment.put("PGPASSWORD", password);
        }
        Path output = Files.createTempFile("pg-client", ".log");
        try {
            Process process = builder.redirectOutput(output.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(command.get(0) + " did not finish within 2 minutes");
            }
            return new Ran(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.delete(output);
        }
    }

    private static int majorVersion(Path pgDump) throws Exception {
        Ran version = run(List.of(pgDump.toString(), "--version"), null);
        Matcher matcher = Pattern.compile("\\(PostgreSQL\\) (\\d+)").matcher(version.output());
        return version.exit() == 0 && matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    private static int number(String text) {
        return text.matches("\\d+") ? Integer.parseInt(text) : -1;
    }

    private static String databaseOf(ConnectionSettings settings) {
        return settings.url().substring(settings.url().lastIndexOf('/') + 1);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
