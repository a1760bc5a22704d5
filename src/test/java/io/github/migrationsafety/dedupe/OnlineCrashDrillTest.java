package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.backup.OnlineJournal;
import io.github.migrationsafety.backup.RestoreEngine;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.CrashablePostgres;
import io.github.migrationsafety.testsupport.OnlineDrillTable;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL crash drill: an online apply, and a restore, run while the server is shut down immediately ({@code
 * pg_ctl restart -m immediate}: no checkpoint, crash recovery on start) at random instants. After each crash the
 * table plus the backup hold every original row and every kept row is in the table; the next apply resumes and
 * finishes; restoring the backup gives back the original rows exactly. The short run is part of every build; the
 * long one ({@code -Pdrills}) takes {@code -Ddrill.onlineRows}, {@code -Ddrill.onlineInstants},
 * {@code -Ddrill.seed}.
 */
class OnlineCrashDrillTest {

    @TempDir
    Path dir;

    @Test
    void shortDrill() throws Exception {
        drill(5_000, 50, 15, 5, 11);
    }

    @Test
    @Tag("drill")
    void longDrill() throws Exception {
        drill(
                Integer.getInteger("drill.onlineRows", 1_000_000),
                Integer.getInteger("drill.onlineBatch", 5_000),
                Integer.getInteger("drill.onlineInstants", 40),
                Integer.getInteger("drill.restoreInstants", 12),
                Long.getLong("drill.seed", System.nanoTime()));
    }

    private DedupeConfig config(Path backups) {
        return DedupeConfig.defaults("model_metadata", List.of("name", "version"), dir.resolve("report.csv"), backups)
                .withApply(true)
                .withNearDuplicates(false);
    }

    private void drill(int rows, int batchSize, int instants, int restoreInstants, long seed) throws Exception {
        CrashablePostgres server = CrashablePostgres.get();
        ConnectionSettings settings = server.freshDatabase("crash");
        long expected = OnlineDrillTable.create(settings, rows, 10);
        String original = OnlineDrillTable.digest(settings, "original");
        long drillStart = System.nanoTime();

        // calibration: runs without a crash (the faster of two, the first warms the JVM up) give the window the
        // crashes are spread over
        long applyNanos = Long.MAX_VALUE;
        long restoreNanos = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            long started = System.nanoTime();
            DedupeResult calibration = apply(settings, dir.resolve("calibration-" + i), batchSize);
            applyNanos = Math.min(applyNanos, System.nanoTime() - started);
            assertEquals(expected, calibration.deleted());
            started = System.nanoTime();
            restore(settings, calibration.backup());
            restoreNanos = Math.min(restoreNanos, System.nanoTime() - started);
            assertEquals(original, OnlineDrillTable.digest(settings, "model_metadata"));
        }

        Random random = new Random(seed);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < instants; i++) {
            Path backups = dir.resolve("apply-" + i);
            long delay = (long) (random.nextDouble() * applyNanos * 1.1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread run = new Thread(() -> {
                try {
                    apply(settings, backups, batchSize);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            run.start();
            Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
            server.crash();
            run.join(120_000);
            String when = "apply instant " + i + " (" + delay / 1_000_000 + " ms, seed " + seed + ")";
            outcomes.merge(failure.get() == null ? "finished before the crash" : stateAt(backups), 1, Integer::sum);
            settle(settings, backups);
            OnlineDrillTable.nothingLost(settings, OnlineDrillTable.backups(backups), when);
            OnlineDrillTable.keptRowsPresent(settings, when);

            DedupeResult resumed = apply(settings, backups, batchSize);
            assertEquals(
                    0,
                    OnlineDrillTable.count(
                            settings, "SELECT COUNT(*) - COUNT(DISTINCT (name, version)) FROM model_metadata"),
                    when + ": resume finished the job");
            List<Path> all = OnlineDrillTable.backups(backups);
            OnlineDrillTable.nothingLost(settings, all, when + ", after the resume");
            assertTrue(resumed.applied() || resumed.groups() == 0, when + ": the resume applied or found nothing left");
            for (Path backup : all) {
                restore(settings, backup);
            }
            assertEquals(original, OnlineDrillTable.digest(settings, "model_metadata"), when + ": restore is exact");
        }

        // restore crashed at random instants: restore again is exact, and nothing is lost in between
        DedupeResult toRestore = apply(settings, dir.resolve("restore"), batchSize);
        for (int i = 0; i < restoreInstants; i++) {
            long delay = (long) (random.nextDouble() * restoreNanos * 1.2);
            Thread run = new Thread(() -> {
                try {
                    restore(settings, toRestore.backup());
                } catch (Throwable ignored) {
                    // the crash broke the connection: the restore rolled back
                }
            });
            run.start();
            Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
            server.crash();
            run.join(120_000);
            String when = "restore instant " + i + " (" + delay / 1_000_000 + " ms)";
            long table = OnlineDrillTable.count(settings, "SELECT COUNT(*) FROM model_metadata");
            outcomes.merge(table == rows ? "restore committed" : "restore rolled back", 1, Integer::sum);
            assertTrue(table == rows || table == rows - expected, when + ": all or nothing, " + table);
            restore(settings, toRestore.backup());
            assertEquals(original, OnlineDrillTable.digest(settings, "model_metadata"), when + ": restore is exact");
            deleteDuplicates(settings);
        }
        System.out.printf(
                "online crash drill: rows=%d duplicates=%d batchSize=%d apply instants=%d restore instants=%d seed=%d"
                        + " apply=%d ms restore=%d ms, drill total %d s; rows lost=0; outcomes: %s%n",
                rows,
                expected,
                batchSize,
                instants,
                restoreInstants,
                seed,
                applyNanos / 1_000_000,
                restoreNanos / 1_000_000,
                (System.nanoTime() - drillStart) / 1_000_000_000,
                outcomes);
    }

    /** Deletes the duplicates again for the next restore instant, in one transaction (faster, same backup rows). */
    private static void deleteDuplicates(ConnectionSettings settings) {
        Sql.run(
                settings,
                "DELETE FROM model_metadata m WHERE EXISTS (SELECT 1 FROM model_metadata k WHERE k.name = m.name"
                        + " AND k.version = m.version AND k.id < m.id)");
    }

    private DedupeResult apply(ConnectionSettings settings, Path backups, int batchSize) throws Exception {
        try (Connection connection = Databases.open(settings)) {
            return new DedupeEngine(connection, new CapturingLog())
                    .run(config(backups), new OnlineOptions(batchSize, true));
        }
    }

    private void restore(ConnectionSettings settings, Path backup) throws Exception {
        try (Connection connection = Databases.open(settings)) {
            new RestoreEngine(connection, new CapturingLog()).restore(backup);
        }
    }

    /** What the crash interrupted, from the manifest as the crash left it. */
    private static String stateAt(Path backups) throws Exception {
        List<Path> all = OnlineDrillTable.backups(backups);
        if (all.isEmpty()) {
            return "before the backup had a manifest";
        }
        BackupManifest manifest = BackupManifest.read(all.get(0));
        if (manifest.online() == null) {
            return manifest.status().text();
        }
        return "round " + manifest.online().round() + " "
                + manifest.online().phase().text()
                + (manifest.online().pending() != null ? " with a pending batch" : "");
    }

    /** What the next run (or a restore) does first: cut the backup to the batches the server committed. */
    private static void settle(ConnectionSettings settings, Path backups) throws Exception {
        for (Path backup : OnlineDrillTable.backups(backups)) {
            if (OnlineJournal.unfinished(backup)) {
                try (Connection connection = Databases.open(settings)) {
                    OnlineJournal.open(backup).settle(connection);
                }
            }
        }
    }
}
