package io.github.migrationsafety.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.dedupe.DedupeConfig;
import io.github.migrationsafety.dedupe.DedupeEngine;
import io.github.migrationsafety.dedupe.DedupeResult;
import io.github.migrationsafety.testsupport.Await;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Sql;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent-writer drill on real PostgreSQL: while {@code dedupe apply} runs, one writer inserts new rows, one updates
 * the rows that survive and one updates rows that apply deletes. No committed write may be lost: an update of a
 * surviving row is in the table afterwards, an update of a deleted row that committed before apply took its lock is
 * in the backup (so restore brings it back), and one that came after finds the row gone (0 rows updated). Apply
 * completes and leaves no lock behind.
 */
class ConcurrentWriterDrillTest {

    private static final int ROWS = 20_000;
    private static final int GROUPS = 10;

    @TempDir
    Path dir;

    @Test
    void insertsAndUpdatesDuringApplyAreNeverLost() throws Exception {
        drill(ROWS);
    }

    /** The long version (-Pdrills): bigger tables, several rounds, each on a fresh database. */
    @Test
    @Tag("drill")
    void longDrillLosesNothing() throws Exception {
        int rows = Integer.getInteger("drill.writerRows", 200_000);
        int rounds = Integer.getInteger("drill.writerRounds", 3);
        for (int round = 1; round <= rounds; round++) {
            System.out.print("round " + round + "/" + rounds + ": ");
            drill(rows);
        }
    }

    private void drill(int rows) throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("writers");
        Sql.run(
                settings,
                "CREATE TABLE typed(id bigint PRIMARY KEY, k text, v text)",
                "INSERT INTO typed SELECT g, 'k' || (g % " + GROUPS + "), repeat('x', 2000) FROM generate_series(1, "
                        + rows + ") g");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong inserted = new AtomicLong();
        // last committed value per id, for ids whose UPDATE reported 1 row; kept rows are ids 1..GROUPS (lowest-id)
        Map<Long, String> survivorUpdates = new ConcurrentHashMap<>();
        Map<Long, String> doomedUpdates = new ConcurrentHashMap<>();
        AtomicLong updatesAfterDelete = new AtomicLong();

        List<Thread> writers = List.of(
                writer(settings, stop, failure, c -> {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO typed VALUES (?, ?, 'late')")) {
                        for (long id = 1_000_000; !stop.get(); id++) {
                            p.setLong(1, id);
                            p.setString(2, "late" + id);
                            p.executeUpdate();
                            inserted.incrementAndGet();
                        }
                    }
                }),
                writer(settings, stop, failure, c -> {
                    try (PreparedStatement p = c.prepareStatement("UPDATE typed SET v = ? WHERE id = ?")) {
                        for (long n = 0; !stop.get(); n++) {
                            long id = 1 + n % GROUPS;
                            String value = "survivor-" + n;
                            p.setString(1, value);
                            p.setLong(2, id);
                            assertEquals(1, p.executeUpdate(), "a kept row is never deleted");
                            survivorUpdates.put(id, value);
                        }
                    }
                }),
                writer(settings, stop, failure, c -> {
                    Random random = new Random(42);
                    try (PreparedStatement p = c.prepareStatement("UPDATE typed SET v = ? WHERE id = ?")) {
                        for (long n = 0; !stop.get(); n++) {
                            long id = GROUPS + 1 + random.nextInt(rows - GROUPS);
                            String value = "doomed-" + n;
                            p.setString(1, value);
                            p.setLong(2, id);
                            if (p.executeUpdate() == 1) {
                                doomedUpdates.put(id, value);
                            } else {
                                updatesAfterDelete.incrementAndGet();
                            }
                        }
                    }
                }));
        writers.forEach(Thread::start);
        // all three write while apply runs: apply starts once each has written, however long their logins take
        Await.until(
                "a first write of each writer",
                () -> failure.get() != null
                        || (inserted.get() > 0 && !survivorUpdates.isEmpty() && !doomedUpdates.isEmpty()));
        DedupeResult result;
        try (Connection connection = Databases.open(settings)) {
            result = new DedupeEngine(connection, new CapturingLog())
                    .run(DedupeConfig.defaults(
                                    "typed",
                                    List.of("k"),
                                    dir.resolve("report-" + rows + "-" + System.nanoTime() + ".csv"),
                                    dir.resolve("backups"))
                            .withApply(true));
        }
        Await.until("an update of a row apply deleted", () -> failure.get() != null || updatesAfterDelete.get() > 0);
        stop.set(true);
        for (Thread writer : writers) {
            writer.join(60_000);
        }
        if (failure.get() != null) {
            throw new AssertionError("a writer failed", failure.get());
        }

        assertEquals(rows - GROUPS, result.deleted());
        assertNotEquals(0, inserted.get());
        assertNotEquals(0, survivorUpdates.size());
        assertNotEquals(0, doomedUpdates.size());
        assertTrue(updatesAfterDelete.get() > 0, "some updates ran after apply and found their row deleted");

        Map<Long, String> table = values(settings);
        Map<Long, String> backup = backupValues(result.backup());
        assertEquals(rows + inserted.get(), table.size() + backup.size(), "every row is in the table or the backup");
        assertEquals(
                inserted.get(), table.values().stream().filter("late"::equals).count(), "every insert is kept");
        survivorUpdates.forEach((id, value) -> assertEquals(value, table.get(id), "update of kept row " + id));
        doomedUpdates.forEach((id, value) -> assertEquals(
                value,
                table.containsKey(id) ? table.get(id) : backup.get(id),
                "update of deleted row " + id + " is in the backup"));
        assertEquals(
                List.of("0"),
                Sql.rows(
                        settings,
                        // an autovacuum worker may be vacuuming the table just written to: only clients count
                        "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                                + " JOIN pg_stat_activity a ON a.pid = l.pid"
                                + " WHERE c.relname = 'typed' AND a.backend_type = 'client backend'"),
                "no lock left behind");
        System.out.println("concurrent-writer drill: rows=" + rows + " deleted=" + result.deleted() + " inserts="
                + inserted.get() + " survivor updates=" + survivorUpdates.size() + " updated-then-deleted rows="
                + doomedUpdates.size() + " updates after delete=" + updatesAfterDelete.get() + "; lost writes=0");
    }

    private interface Work {
        void run(Connection connection) throws Exception;
    }

    private static Thread writer(
            ConnectionSettings settings, AtomicBoolean stop, AtomicReference<Throwable> failure, Work work) {
        return new Thread(() -> {
            try (Connection c = Databases.open(settings)) {
                work.run(c);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                stop.set(true);
            }
        });
    }

    private static Map<Long, String> values(ConnectionSettings settings) {
        Map<Long, String> values = new HashMap<>();
        for (String row : Sql.rows(settings, "SELECT id || '|' || v FROM typed")) {
            int bar = row.indexOf('|');
            values.put(Long.parseLong(row.substring(0, bar)), row.substring(bar + 1));
        }
        return values;
    }

    private static Map<Long, String> backupValues(Path backup) throws Exception {
        Map<Long, String> values = new HashMap<>();
        List<String> header = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(backup.resolve("rows.csv"), StandardCharsets.UTF_8);
                CSVParser csv = CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(reader)) {
            header.addAll(csv.getHeaderNames());
            for (CSVRecord record : csv) {
                values.put(Long.parseLong(record.get("id")), record.get("v"));
            }
        }
        assertEquals(List.of("id", "k", "v"), header);
        return values;
    }
}
