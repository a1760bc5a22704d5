package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.backup.RestoreEngine;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.db.RowCsv;
import io.github.migrationsafety.testsupport.Await;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.OnlineDrillTable;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent load during an online apply: writers insert unique rows and new duplicates, update random rows and
 * delete rows they inserted, while a probe updates one other row every 50 ms. Afterwards nothing is lost (table plus
 * backup hold every row that was not deleted by a writer, with its last committed update), no writer saw an error,
 * and the unique constraint can be added or the dry-run reports the duplicates inserted after the final pass.
 */
class OnlineConcurrentDrillTest {

    @TempDir
    Path dir;

    @Test
    void shortDrill() throws Exception {
        drill(30_000, 200, 1);
    }

    @Test
    @Tag("drill")
    void longDrill() throws Exception {
        drill(Integer.getInteger("drill.onlineWriterRows", 500_000), Integer.getInteger("drill.onlineBatch", 2_000), 3);
    }

    private void drill(int rows, int batchSize, int rounds) throws Exception {
        for (int round = 1; round <= rounds; round++) {
            System.out.println("round " + round + "/" + rounds + ": " + once(rows, batchSize, round));
        }
    }

    private String once(int rows, int batchSize, int round) throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("online_writers");
        long expected = OnlineDrillTable.create(settings, rows, 10);
        long originalRows = OnlineDrillTable.count(settings, "SELECT COUNT(*) FROM original");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong nextId = new AtomicLong(10_000_000L * round);
        Set<Long> inserted = ConcurrentHashMap.newKeySet();
        Set<Long> deletedByWriter = ConcurrentHashMap.newKeySet();
        Map<Long, String> lastUpdate = new ConcurrentHashMap<>();
        AtomicLong duplicatesInserted = new AtomicLong();
        AtomicLong longestStallMillis = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        List<AtomicLong> rounds = new ArrayList<>();
        writers.add(writer(settings, stop, failure, rounds, c -> {
            long id = nextId.incrementAndGet();
            boolean duplicate = id % 3 == 0;
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO model_metadata(id, name, version, payload) VALUES (?, ?, ?, 'inserted')")) {
                insert.setLong(1, id);
                // a duplicate of an original key (0 .. rows/2), or a key of its own
                insert.setString(2, duplicate ? "model-" + id % (rows / 2) : "new-" + id);
                insert.setString(3, duplicate ? "v" + (id % (rows / 2)) % 7 : "v0");
                insert.executeUpdate();
            }
            inserted.add(id);
            if (duplicate) {
                duplicatesInserted.incrementAndGet();
            }
        }));
        Random random = new Random(round);
        writers.add(writer(settings, stop, failure, rounds, c -> {
            long id = 1 + random.nextInt(rows);
            String value = "updated-" + System.nanoTime();
            try (PreparedStatement update = c.prepareStatement("UPDATE model_metadata SET payload = ? WHERE id = ?")) {
                update.setString(1, value);
                update.setLong(2, id);
                if (update.executeUpdate() == 1) {
                    lastUpdate.put(id, value);
                }
            }
        }));
        writers.add(writer(settings, stop, failure, rounds, c -> {
            Long victim = inserted.stream().filter(id -> id % 3 != 0).findAny().orElse(null);
            if (victim != null && !deletedByWriter.contains(victim)) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM model_metadata WHERE id = ?")) {
                    delete.setLong(1, victim);
                    if (delete.executeUpdate() == 1) {
                        deletedByWriter.add(victim);
                    }
                }
            }
            Thread.sleep(5);
        }));
        // the probe: one row no dedupe touches (its key is unique), updated every 50 ms; the longest update is the
        // longest write stall a client of other rows saw
        Sql.run(settings, "INSERT INTO model_metadata(id, name, version) VALUES (-1, 'probe', 'v0')");
        writers.add(writer(settings, stop, failure, rounds, c -> {
            long started = System.nanoTime();
            try (PreparedStatement probe =
                    c.prepareStatement("UPDATE model_metadata SET payload = now()::text WHERE id = -1")) {
                probe.executeUpdate();
            }
            longestStallMillis.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
            Thread.sleep(50);
        }));
        writers.forEach(Thread::start);
        // the load is on before the apply starts, however long the writers' logins take
        Await.until(
                "a first round of each writer",
                () -> failure.get() != null || rounds.stream().allMatch(r -> r.get() > 0));
        DedupeResult result;
        try (Connection connection = Databases.open(settings)) {
            result = new DedupeEngine(connection, new CapturingLog())
                    .run(
                            DedupeConfig.defaults(
                                            "model_metadata",
                                            List.of("name", "version"),
                                            dir.resolve("report-" + round + ".csv"),
                                            dir.resolve("backups-" + round))
                                    .withApply(true)
                                    .withNearDuplicates(false),
                            new OnlineOptions(batchSize, true));
        }
        Thread.sleep(200);
        stop.set(true);
        for (Thread writer : writers) {
            writer.join();
        }
        assertEquals(null, failure.get(), "no writer saw an error");
        assertTrue(result.deleted() >= expected, "deleted " + result.deleted() + " of at least " + expected);

        // nothing lost: table + backup = original + inserted + probe - deleted by a writer
        Map<Long, String> backup = backupPayloads(result.backup());
        long table = OnlineDrillTable.count(settings, "SELECT COUNT(*) FROM model_metadata");
        assertEquals(originalRows + inserted.size() + 1 - deletedByWriter.size(), table + backup.size(), "no row lost");
        assertEquals(
                0,
                OnlineDrillTable.count(
                                settings,
                                "SELECT COUNT(*) FROM original o WHERE NOT EXISTS (SELECT 1 FROM model_metadata t WHERE t.id"
                                        + " = o.id)")
                        - backup.keySet().stream()
                                .filter(id -> id < 10_000_000L)
                                .count(),
                "every original row is in the table or the backup");
        OnlineDrillTable.keptRowsPresent(settings, "after the online apply under load");
        Map<Long, String> payloads = new HashMap<>();
        for (String row : Sql.rows(settings, "SELECT id, payload FROM model_metadata WHERE payload LIKE 'updated-%'")) {
            String[] parts = row.split("\\|", 2);
            payloads.put(Long.parseLong(parts[0]), parts[1]);
        }
        long updatedThenDeleted = 0;
        for (Map.Entry<Long, String> update : lastUpdate.entrySet()) {
            String found =
                    payloads.containsKey(update.getKey()) ? payloads.get(update.getKey()) : backup.get(update.getKey());
            if (backup.containsKey(update.getKey())) {
                updatedThenDeleted++;
            }
            assertEquals(update.getValue(), found, "last committed update of row " + update.getKey());
        }

        // the constraint can be added, or the dry-run reports the duplicates inserted after the final pass
        long remaining = OnlineDrillTable.count(
                settings, "SELECT COUNT(*) - COUNT(DISTINCT (name, version)) FROM model_metadata");
        String constraint;
        if (remaining == 0) {
            Sql.run(settings, "CREATE UNIQUE INDEX model_metadata_name_version ON model_metadata(name, version)");
            constraint = "unique index added";
        } else {
            try (Connection connection = Databases.open(settings)) {
                DedupeResult dryRun = new DedupeEngine(connection, new CapturingLog())
                        .run(DedupeConfig.defaults(
                                        "model_metadata",
                                        List.of("name", "version"),
                                        dir.resolve("dry-" + round + ".csv"),
                                        dir.resolve("unused"))
                                .withNearDuplicates(false));
                assertEquals(remaining, dryRun.rowsToDelete(), "the dry-run reports the late duplicates");
            }
            constraint = remaining + " late duplicate(s) reported by the dry-run";
        }
        try (Connection connection = Databases.open(settings)) {
            new RestoreEngine(connection, new CapturingLog()).restore(result.backup());
        }
        assertEquals(
                0,
                OnlineDrillTable.count(
                        settings,
                        "SELECT COUNT(*) FROM original o WHERE NOT EXISTS (SELECT 1 FROM model_metadata t WHERE t.id"
                                + " = o.id)"),
                "restore put every original row back");
        OnlineRun online = result.online();
        return String.format(
                "online concurrent drill: rows=%d batchSize=%d deleted=%d (final pass %d) batches=%d inserts=%d"
                        + " (new duplicates %d) updates=%d updated-then-deleted=%d writer deletes=%d longest write stall"
                        + " of the probe=%d ms longest batch lock=%d ms; lost rows=0, lost writes=0; %s",
                rows,
                batchSize,
                result.deleted(),
                online.finalPassDeleted(),
                online.batches(),
                inserted.size(),
                duplicatesInserted.get(),
                lastUpdate.size(),
                updatedThenDeleted,
                deletedByWriter.size(),
                longestStallMillis.get(),
                online.longestLockMillis(),
                constraint);
    }

    interface Work {
        void run(Connection connection) throws SQLException, InterruptedException;
    }

    /** A thread that runs {@code work} until {@code stop}, counting its rounds in a new entry of {@code rounds}. */
    private static Thread writer(
            ConnectionSettings settings,
            AtomicBoolean stop,
            AtomicReference<Throwable> failure,
            List<AtomicLong> rounds,
            Work work) {
        AtomicLong done = new AtomicLong();
        rounds.add(done);
        return new Thread(() -> {
            try (Connection connection = Databases.open(settings)) {
                while (!stop.get()) {
                    work.run(connection);
                    done.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }

    /** id -> payload of every row in the backup. */
    private static Map<Long, String> backupPayloads(Path backup) throws Exception {
        Map<Long, String> payloads = new HashMap<>();
        try (CSVParser parser = RowCsv.parser(Files.newBufferedReader(backup.resolve("rows.csv")))) {
            for (CSVRecord record : parser) {
                payloads.put(Long.parseLong(record.get(0)), record.get(4));
            }
        }
        return payloads;
    }
}
