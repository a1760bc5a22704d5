package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.backup.BackupException;
import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.backup.RestoreEngine;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.db.RowCsv;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Sql;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 drill: {@code dedupe apply} runs in a child JVM on real PostgreSQL and is killed with SIGKILL at random
 * instants. After each kill the table plus every verifiable backup must hold exactly the original rows, and
 * restoring those backups must give back the original table. The short run is part of the default build; the long
 * one ({@code -Pdrills}) uses {@code -Ddrill.rows} / {@code -Ddrill.instants} (default 1,000,000 / 50).
 */
class ApplyKillDrillTest {

    @TempDir
    Path dir;

    @Test
    void shortDrill() throws Exception {
        drill(10_000, 20, 7);
    }

    @Test
    @Tag("drill")
    void longDrill() throws Exception {
        drill(
                Integer.getInteger("drill.rows", 1_000_000),
                Integer.getInteger("drill.instants", 50),
                Long.getLong("drill.seed", System.nanoTime()));
    }

    private void drill(int rows, int instants, long seed) throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("drill");
        // one row in ten is a duplicate of another: rows/10 groups of 2
        Sql.run(
                settings,
                "CREATE TABLE original(id bigint PRIMARY KEY, name text, version text, created_at timestamptz, payload text)",
                "INSERT INTO original SELECT g, 'model-' || (g % " + (rows - rows / 10) + "), 'v' || ((g % "
                        + (rows - rows / 10) + ") % 7), "
                        + "TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * INTERVAL '1 second', md5(g::text) FROM generate_series(1, "
                        + rows + ") g",
                "CREATE TABLE model_metadata (LIKE original INCLUDING ALL)");
        String originalDigest = digest(settings, "original");
        long expectedDeletes =
                Long.parseLong(Sql.rows(settings, "SELECT COUNT(*) - COUNT(DISTINCT (name, version)) FROM original")
                        .get(0));
        assertTrue(expectedDeletes > 0);

        // calibration: one full, unkilled run gives the length of the window the kills are spread over
        reset(settings);
        long calibrationStart = System.nanoTime();
        Process calibration = start(settings, dir.resolve("calibration"));
        awaitStarted(calibration);
        long started = System.nanoTime();
        assertEquals(0, calibration.waitFor(), "calibration run succeeds");
        long applyNanos = System.nanoTime() - started;
        assertEquals(
                expectedDeletes,
                Long.parseLong(Sql.rows(settings, "SELECT COUNT(*) FROM original")
                                .get(0))
                        - Long.parseLong(Sql.rows(settings, "SELECT COUNT(*) FROM model_metadata")
                                .get(0)));

        Random random = new Random(seed);
        int committed = 0;
        int untouched = 0;
        long restoreNanos = 0;
        Map<String, Integer> states = new TreeMap<>();
        for (int i = 0; i < instants; i++) {
            reset(settings);
            Path backups = dir.resolve("run-" + i);
            Process child = start(settings, backups);
            awaitStarted(child);
            long delay = (long) (random.nextDouble() * applyNanos * 1.1);
            TimeUnit.NANOSECONDS.sleep(delay);
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
            waitForBackendsToGo(settings);

            long tableRows = Long.parseLong(
                    Sql.rows(settings, "SELECT COUNT(*) FROM model_metadata").get(0));
            List<Path> verified = verifiedBackups(backups);
            if (!Files.isDirectory(backups) || isEmpty(backups)) {
                states.merge("no backup started", 1, Integer::sum);
            } else if (verified.isEmpty()) {
                states.merge("unfinished backup without manifest", 1, Integer::sum);
            }
            long backedUp = 0;
            for (Path backup : verified) {
                states.merge(BackupManifest.read(backup).status().text(), 1, Integer::sum);
                backedUp += missingFromTable(settings, backup);
            }
            assertEquals(
                    rows,
                    tableRows + backedUp,
                    "instant " + i + " (" + delay / 1_000_000 + " ms): table + backups hold every row");
            if (tableRows == rows) {
                untouched++;
            } else {
                committed++;
            }
            long restoreStart = System.nanoTime();
            try (Connection connection = Databases.open(settings)) {
                for (Path backup : verified) {
                    new RestoreEngine(connection, new CapturingLog()).restore(backup);
                }
            }
            restoreNanos += System.nanoTime() - restoreStart;
            assertEquals(
                    originalDigest,
                    digest(settings, "model_metadata"),
                    "instant " + i + ": restore gives the original table");
        }
        System.out.printf(
                "kill drill: rows=%d duplicates=%d instants=%d seed=%d apply=%d ms, drill total %d s;"
                        + " killed before commit=%d, after commit=%d; rows lost=0; mean restore=%d ms; outcomes: %s%n",
                rows,
                expectedDeletes,
                instants,
                seed,
                applyNanos / 1_000_000,
                (System.nanoTime() - calibrationStart) / 1_000_000_000,
                untouched,
                committed,
                restoreNanos / Math.max(1, instants) / 1_000_000,
                states);
    }

    private static void reset(ConnectionSettings settings) {
        Sql.run(settings, "TRUNCATE model_metadata", "INSERT INTO model_metadata SELECT * FROM original");
    }

    private static String digest(ConnectionSettings settings, String table) {
        return Sql.rows(settings, "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM " + table + " t")
                .get(0);
    }

    private Process start(ConnectionSettings settings, Path backups) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                ApplyChild.class.getName(),
                "model_metadata",
                backups.toString(),
                dir.resolve("report.csv").toString());
        builder.environment().put("MS_URL", settings.url());
        builder.environment().put("MS_USER", settings.username());
        builder.environment().put("MS_PASSWORD", settings.password());
        builder.redirectErrorStream(true);
        return builder.start();
    }

    private static void awaitStarted(Process process) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals("started", line, "child JVM started");
        // drain the rest so the child never blocks on a full pipe
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (Exception ignored) {
                // the child was killed
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * A killed client's backend ends once the server notices the closed socket; wait so its locks are gone. Only
     * client backends count: an autovacuum worker, started by the rows a run deleted or restored, holds no lock a
     * later run needs and may work on a 1,000,000-row table for longer than the wait.
     */
    private static void waitForBackendsToGo(ConnectionSettings settings) throws Exception {
        Sql.awaitNoOtherClients(settings, "the killed child's backend to go away");
    }

    private static boolean isEmpty(Path directory) throws Exception {
        try (Stream<Path> children = Files.list(directory)) {
            return children.findAny().isEmpty();
        }
    }

    /** Backups that pass verification; a directory without manifest is an unfinished backup of a run that changed nothing. */
    private static List<Path> verifiedBackups(Path backups) throws Exception {
        if (!Files.isDirectory(backups)) {
            return List.of();
        }
        List<Path> verified = new ArrayList<>();
        try (Stream<Path> children = Files.list(backups)) {
            for (Path backup : children.sorted().toList()) {
                if (!BackupManifest.exists(backup)) {
                    continue;
                }
                try {
                    RestoreEngine.verify(backup);
                    verified.add(backup);
                } catch (BackupException e) {
                    throw new AssertionError("a backup with a manifest must verify: " + e.getMessage());
                }
            }
        }
        return verified;
    }

    /** Rows of a backup whose id is not in the table (they must all be absent or all present: one transaction). */
    private static long missingFromTable(ConnectionSettings settings, Path backup) throws Exception {
        Map<String, Boolean> ids = new HashMap<>();
        try (CSVParser parser = RowCsv.parser(Files.newBufferedReader(backup.resolve("rows.csv")))) {
            for (CSVRecord record : parser) {
                ids.put(record.get(0), Boolean.TRUE);
            }
        }
        long present = Long.parseLong(Sql.rows(
                        settings,
                        "SELECT COUNT(*) FROM model_metadata WHERE id IN ("
                                + (ids.isEmpty() ? "NULL" : String.join(",", ids.keySet())) + ")")
                .get(0));
        assertTrue(
                present == 0 || present == ids.size(), "all or nothing: " + present + " of " + ids.size() + " present");
        return ids.size() - present;
    }
}
