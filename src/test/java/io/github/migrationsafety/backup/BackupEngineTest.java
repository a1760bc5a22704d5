package io.github.migrationsafety.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Snapshot;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup goal's engine: JDBC export restores exactly; pg_dump is used or refused with a clear message. */
class BackupEngineTest {

    @TempDir
    Path dir;

    private static void fill(ConnectionSettings settings) {
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20), payload VARCHAR(100))",
                "CREATE TABLE other(id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO model_metadata VALUES (1, 'a', '1', ''), (2, 'a', '1', NULL), (3, 'Ünï', '2', 'x,\"y\"')",
                "INSERT INTO other VALUES (1, 'o')");
    }

    @Test
    void h2ExportOfEveryTableRestoresExactly() throws Exception {
        ConnectionSettings settings = H2Database.fresh("backup");
        fill(settings);
        List<String> before = Snapshot.of(settings, "SELECT * FROM model_metadata ORDER BY id");
        BackupEngine.Result result = new BackupEngine(settings, new CapturingLog())
                .run(new BackupEngine.Config(List.of(), dir, BackupEngine.Method.AUTO, "pg_dump", 100));
        assertEquals(BackupEngine.Method.JDBC, result.method());
        assertEquals(2, result.locations().size());
        assertEquals(4, result.rows());
        Path models = result.locations().stream()
                .filter(p -> p.getFileName().toString().startsWith("MODEL_METADATA-"))
                .findFirst()
                .orElseThrow();
        assertEquals(BackupManifest.Status.COMPLETE, BackupManifest.read(models).status());
        Sql.run(settings, "DELETE FROM model_metadata WHERE id <> 2");
        try (Connection connection = Databases.open(settings)) {
            RestoreResult restored = new RestoreEngine(connection, new CapturingLog()).restore(models);
            assertEquals(2, restored.restored());
            assertEquals(1, restored.skipped());
        }
        assertEquals(before, Snapshot.of(settings, "SELECT * FROM model_metadata ORDER BY id"));
    }

    @Test
    void postgresUsesPgDumpWhenItWorksAndOtherwiseFallsBackToAJdbcExport() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("backup");
        fill(settings);
        CapturingLog log = new CapturingLog();
        BackupEngine.Result result = new BackupEngine(settings, log)
                .run(new BackupEngine.Config(List.of("model_metadata"), dir, BackupEngine.Method.AUTO, "pg_dump", 100));
        if (result.method() == BackupEngine.Method.PG_DUMP) {
            assertTrue(Files.size(result.locations().get(0)) > 0);
        } else {
            // pg_dump on this machine may be older than the server (it refuses then) or missing
            assertEquals(3, result.rows());
            assertTrue(
                    log.text().contains("Falling back to a JDBC export.")
                            || log.text().contains("pg_dump not found"),
                    log.text());
        }
        assertTrue(!log.text().contains(PostgresServer.PASSWORD));
        String missing = assertThrows(
                        DatabaseException.class,
                        () -> new BackupEngine(settings, new CapturingLog())
                                .run(new BackupEngine.Config(
                                        List.of("model_metadata"),
                                        dir,
                                        BackupEngine.Method.PG_DUMP,
                                        "no-such-pg_dump",
                                        100)))
                .getMessage();
        assertEquals(
                "Parameter 'pgDump': executable 'no-such-pg_dump' not found on the PATH. Install the PostgreSQL"
                        + " client (pg_dump) or set 'pgDump' to its path.",
                missing);
    }

    @Test
    void unwritableBackupDirectoryIsRefused() throws Exception {
        ConnectionSettings settings = H2Database.fresh("backup");
        fill(settings);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        String message = assertThrows(
                        BackupException.class,
                        () -> new BackupEngine(settings, new CapturingLog())
                                .run(new BackupEngine.Config(
                                        List.of(), file.resolve("sub"), BackupEngine.Method.JDBC, "pg_dump", 100)))
                .getMessage();
        assertTrue(message.startsWith("Parameter 'backupDirectory': cannot write to " + file.resolve("sub")), message);
    }
}
