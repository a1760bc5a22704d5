package io.github.migrationsafety.impact;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@link TruncateReads} tells of a changeset outside a transaction, where each statement commits with its counts
 * of reads: from the tables' file nodes around each {@code TRUNCATE}, which tables a TRUNCATE gave a new file (and
 * so held AccessExclusiveLock, whether or not the sampled locks caught it) and which a statement besides it rewrote.
 */
class TruncateOutsideATransactionTest {

    @Test
    void theFileNodesAroundEachTruncateTellItsNewFileFromARewrite() throws Exception {
        try (Connection connection = Databases.open(PostgresServer.freshDatabase("truncate_outside"));
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("CREATE TABLE truncated (id BIGINT PRIMARY KEY);"
                    + " CREATE TABLE clustered (id BIGINT PRIMARY KEY);"
                    + " CREATE TABLE untouched (id BIGINT PRIMARY KEY)");
            TransactionCatalog catalog = new TransactionCatalog(connection);
            TruncateReads truncates = new TruncateReads(catalog);
            Map<Long, Long> start = catalog.fileNodesNow();
            long truncated = oid(statement, "truncated");
            long clustered = oid(statement, "clustered");
            long untouched = oid(statement, "untouched");

            // one changeset outside a transaction: TRUNCATE truncated; CLUSTER clustered; TRUNCATE clustered
            long before = System.nanoTime();
            truncates.statementStarting("TRUNCATE truncated");
            statement.execute("TRUNCATE truncated");
            truncates.statementStarting("CLUSTER clustered USING clustered_pkey");
            statement.execute("CLUSTER clustered USING clustered_pkey");
            truncates.statementStarting("TRUNCATE clustered");
            statement.execute("TRUNCATE clustered");
            truncates.statementEnded();
            long after = System.nanoTime();
            Map<Long, Long> end = catalog.fileNodesNow();

            assertNotEquals(start.get(truncated), end.get(truncated));
            assertFalse(truncates.rewroteOutside(truncated, start.get(truncated), end.get(truncated)));
            assertTrue(truncates.rewroteOutside(clustered, start.get(clustered), end.get(clustered)));
            assertFalse(truncates.rewroteOutside(untouched, start.get(untouched), end.get(untouched)));
            // a new file after the last TRUNCATE is a rewrite too
            assertTrue(truncates.rewroteOutside(truncated, start.get(truncated), end.get(truncated) + 1));

            TruncateReads.Span span = truncates.truncated(truncated);
            assertNotNull(span);
            assertTrue(before <= span.sinceNanos()
                    && span.sinceNanos() <= span.untilNanos()
                    && span.untilNanos() <= after);
            assertNotNull(truncates.truncated(clustered));
            assertNull(truncates.truncated(untouched));

            truncates.reset();
            assertNull(truncates.truncated(truncated));
            assertFalse(truncates.rewroteOutside(untouched, start.get(untouched), start.get(untouched)));
        }
    }

    private static long oid(Statement statement, String table) throws Exception {
        try (var rs = statement.executeQuery("SELECT '" + table + "'::regclass::oid::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
