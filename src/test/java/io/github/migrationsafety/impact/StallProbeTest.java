package io.github.migrationsafety.impact;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * What the live client sees while a lock is held, on a real PostgreSQL, with a lock held long enough (2 s) that
 * no scheduling delay of a busy machine (tens to a few hundred ms) can decide the outcome.
 */
class StallProbeTest {

    private static final long HOLD_MILLIS = 2000;

    @Test
    void aShareLockStallsTheWriterForTheWholeHoldAndNotTheReader() throws Exception {
        long[] stalls = stallsWhileHeld("SHARE");
        assertTrue(stalls[1] >= HOLD_MILLIS / 2, () -> "write stall " + stalls[1] + " ms");
        assertTrue(stalls[0] < HOLD_MILLIS / 2, () -> "read stall " + stalls[0] + " ms");
    }

    @Test
    void anAccessExclusiveLockStallsBoth() throws Exception {
        long[] stalls = stallsWhileHeld("ACCESS EXCLUSIVE");
        assertTrue(stalls[1] >= HOLD_MILLIS / 2, () -> "write stall " + stalls[1] + " ms");
        assertTrue(stalls[0] >= HOLD_MILLIS / 2, () -> "read stall " + stalls[0] + " ms");
    }

    /** {read stall, write stall} in ms of a probe running while another session holds {@code mode} on the table. */
    private static long[] stallsWhileHeld(String mode) throws Exception {
        ConnectionSettings database = PostgresServer.freshDatabase("stall_probe");
        try (Connection migrating = Databases.open(database);
                Statement statement = migrating.createStatement()) {
            statement.execute("CREATE TABLE probed (id BIGINT PRIMARY KEY)");
            try (StallProbe probe = new StallProbe(() -> open(database), "\"probed\"")) {
                migrating.setAutoCommit(false);
                statement.execute("LOCK TABLE probed IN " + mode + " MODE");
                Thread.sleep(HOLD_MILLIS);
                migrating.commit();
                // the blocked statements finish once the lock is gone; give each loop a turn to record its wait
                Thread.sleep(4 * StallProbe.PAUSE_MILLIS + 200);
                return new long[] {probe.longestReadMillis(), probe.longestWriteMillis()};
            }
        }
    }

    private static Connection open(ConnectionSettings database) throws SQLException {
        try {
            return Databases.open(database);
        } catch (DatabaseException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }
}
