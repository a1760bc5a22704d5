package io.github.migrationsafety.impact;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches another backend's relation locks from a second connection, polling {@code pg_locks} back to back, for
 * changes that commit statement by statement and so hold their locks only while a statement runs.
 */
public final class LockWatcher extends Thread {

    /** The strongest mode seen on a relation, and the first and last time it was seen held. */
    public record Seen(LockMode mode, long firstNanos, long lastNanos) {}

    private final Connection connection;
    private final int pid;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch watching = new CountDownLatch(1);
    private final Map<Long, Seen> seen = new HashMap<>();

    public LockWatcher(Connection connection, int pid) {
        super("migration-safety-lock-watcher");
        setDaemon(true);
        this.connection = connection;
        this.pid = pid;
    }

    @Override
    public void run() {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT relation, mode FROM pg_locks" + " WHERE pid = ? AND locktype = 'relation' AND granted")) {
            statement.setInt(1, pid);
            while (running.get()) {
                long now = System.nanoTime();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        LockMode mode = LockMode.of(rs.getString(2));
                        if (mode == null) {
                            continue;
                        }
                        synchronized (seen) {
                            seen.merge(
                                    rs.getLong(1),
                                    new Seen(mode, now, now),
                                    (old, next) -> next.mode().strongerThan(old.mode())
                                            ? next
                                            : old.mode() == next.mode()
                                                    ? new Seen(old.mode(), old.firstNanos(), now)
                                                    : old);
                        }
                    }
                }
                watching.countDown();
            }
        } catch (SQLException e) {
            // the watch ends; what was seen until then stays
        }
    }

    /** Starts watching and returns once the first look at pg_locks is done, so the change cannot start unseen. */
    public void startWatching() throws InterruptedException {
        start();
        watching.await(10, TimeUnit.SECONDS);
    }

    /** Stops watching and returns what was seen, by relation oid. */
    public Map<Long, Seen> finish() {
        running.set(false);
        try {
            join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do with it
        }
        synchronized (seen) {
            return Map.copyOf(seen);
        }
    }
}
