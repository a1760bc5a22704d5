package io.github.migrationsafety.smoke;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live client during a measured migration: one connection reads the table, another writes to it, each every
 * {@value #PAUSE_MILLIS} ms, and the longest time a statement waited is kept. The statements match no row but take
 * the locks a real read (ACCESS SHARE) and a real write (ROW EXCLUSIVE) take, so they wait exactly when a client
 * would, and change nothing.
 */
final class StallProbe implements AutoCloseable {

    static final long PAUSE_MILLIS = 20;

    /** Opens a connection whose search path finds the probed table. */
    @FunctionalInterface
    interface Connector {
        Connection open() throws SQLException;
    }

    private final Loop reads;
    private final Loop writes;

    /**
     * Returns once both clients have run their first statement, so a migration started next is watched from its
     * first instant however slowly this machine schedules the two threads.
     */
    StallProbe(Connector connector, String quotedTable) throws SQLException, InterruptedException {
        CountDownLatch running = new CountDownLatch(2);
        reads = new Loop(connector.open(), "SELECT 1 FROM " + quotedTable + " WHERE false", running);
        writes = new Loop(connector.open(), "DELETE FROM " + quotedTable + " WHERE false", running);
        reads.start();
        writes.start();
        // a client that cannot run at all counts down too: the estimate does not depend on the probe
        running.await(STARTUP_SECONDS, TimeUnit.SECONDS);
    }

    private static final long STARTUP_SECONDS = 30;

    long longestReadMillis() {
        return reads.longest.get() / 1_000_000;
    }

    long longestWriteMillis() {
        return writes.longest.get() / 1_000_000;
    }

    @Override
    public void close() throws SQLException {
        reads.finish();
        writes.finish();
    }

    private static final class Loop extends Thread {
        private final Connection connection;
        private final String sql;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong longest = new AtomicLong();
        private final CountDownLatch started;
        private boolean signalled; // only this loop's thread reads and writes it

        Loop(Connection connection, String sql, CountDownLatch started) {
            super("migration-safety-stall-probe");
            setDaemon(true);
            this.connection = connection;
            this.sql = sql;
            this.started = started;
        }

        @Override
        public void run() {
            try (Statement statement = connection.createStatement()) {
                while (running.get()) {
                    long begun = System.nanoTime();
                    try {
                        statement.execute(sql);
                    } catch (SQLException e) {
                        return; // the changeset dropped or renamed the table: no client can use it any more
                    }
                    longest.accumulateAndGet(System.nanoTime() - begun, Math::max);
                    signalStarted();
                    Thread.sleep(PAUSE_MILLIS);
                }
            } catch (SQLException | InterruptedException e) {
                // a probe that cannot run measures nothing; the estimate does not depend on it
            } finally {
                signalStarted();
            }
        }

        /** Once per client, after its first statement or when it stops: the latch counts clients, not statements. */
        private void signalStarted() {
            if (!signalled) {
                signalled = true;
                started.countDown();
            }
        }

        void finish() throws SQLException {
            running.set(false);
            try {
                join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection.close();
        }
    }
}
