package io.github.migrationsafety.impact;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The catalog as the migrating backend sees it from inside its own transaction, for {@link ImpactTracer}: the
 * relations, the locks it holds, the tables it scanned or updated or deleted rows of, and its lock_timeout. Apart from the tracer so that the
 * tracer only follows the changesets and changes, and this class owns the one query and what its rows say.
 */
final class TransactionCatalog {

    private final Connection connection;
    private PreparedStatement statement;
    private PreparedStatement flushingStatement;
    private Boolean canForceFlush;
    private boolean flushForced;
    private final Set<Long> scanned = new HashSet<>();
    private final Map<Long, Long> scansBefore = new HashMap<>();
    /** Sequential and index scans of each table at the changeset's first change. */
    private final Map<Long, Long> readsBefore = new HashMap<>();
    /** The last counts read of sequential scans and of rows updated or deleted, by kind and table. */
    private final Map<String, Map<Long, Long>> lastCounts = new HashMap<>();
    /** The tables whose counts grew since the read before the last one. */
    private final Set<Long> worked = new HashSet<>();

    private String lockTimeout;

    /**
     * One more row, {@code flush}, that asks for the flush; the function is volatile, so the server evaluates it even
     * though nothing reads its value.
     */
    private static final String FLUSH = " UNION ALL SELECT 'flush', 0, 0, NULL, NULL, NULL, NULL, 0, 0, false, false"
            + " FROM (SELECT pg_stat_force_next_flush()) f";

    TransactionCatalog(Connection connection) {
        this.connection = connection;
    }

    /** A changeset starts: what the last one scanned and its lock_timeout no longer count. */
    void reset() {
        scanned.clear();
        scansBefore.clear();
        readsBefore.clear();
        lastCounts.clear();
        worked.clear();
        lockTimeout = null;
    }

    /**
     * At a changeset's first change, inside its transaction: the sequential scans the backend's statistics already
     * count. PostgreSQL 15+ shows a session's counts that are not flushed yet as this transaction's, so the last
     * changeset's scans would otherwise count here too, or not, depending on whether the server flushed them in
     * between (it does so at most once a second): only scans beyond these are this changeset's.
     */
    void countScansSoFar() throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet rs = query.executeQuery("SELECT relid::bigint, seq_scan, n_tup_upd + n_tup_del, idx_scan"
                        + " FROM pg_stat_xact_user_tables"
                        + " WHERE seq_scan > 0 OR n_tup_upd + n_tup_del > 0 OR idx_scan > 0")) {
            while (rs.next()) {
                scansBefore.put(rs.getLong(1), rs.getLong(2));
                lastCounts.computeIfAbsent("scan", k -> new HashMap<>()).put(rs.getLong(1), rs.getLong(2));
                lastCounts.computeIfAbsent("written", k -> new HashMap<>()).put(rs.getLong(1), rs.getLong(3));
                lastCounts.computeIfAbsent("indexscan", k -> new HashMap<>()).put(rs.getLong(1), rs.getLong(4));
                readsBefore.put(rs.getLong(1), rs.getLong(2) + rs.getLong(4));
            }
        }
    }

    /**
     * The tables (by oid) that the backend scanned in full or updated or deleted rows of between the last two reads
     * with locks: the work of the change that ran in between that grows with the rows of a table.
     */
    Set<Long> worked() {
        return Set.copyOf(worked);
    }

    /**
     * Whether the last read asked the server to flush this session's pending statistics when its transaction ends
     * ({@link #read(boolean, Catalog, Map, boolean)} with {@code forceFlush}); asking clears it. The next transaction
     * then starts with no counts of earlier ones, so {@link #countScansSoFar()} has nothing to read.
     */
    boolean consumeFlushForced() {
        boolean forced = flushForced;
        flushForced = false;
        return forced;
    }

    /**
     * The reads of table {@code oid} since the changeset's first change, as last read: sequential scans (an index
     * build reads the table by one) and index scans (CLUSTER reads the old file through its index).
     */
    long readsSinceStart(long oid) {
        long now = lastCounts.getOrDefault("scan", Map.of()).getOrDefault(oid, 0L)
                + lastCounts.getOrDefault("indexscan", Map.of()).getOrDefault(oid, 0L);
        return Math.max(0, now - readsBefore.getOrDefault(oid, 0L));
    }

    /**
     * The reads of each table (by oid) this backend's statistics count so far in its transaction: sequential scans
     * and index scans, as {@link #readsSinceStart} counts them. A small query of the backend's own counts, taken only
     * around a {@code TRUNCATE} ({@link TruncateReads}).
     */
    Map<Long, Long> readsNow() throws SQLException {
        Map<Long, Long> reads = new HashMap<>();
        try (Statement query = connection.createStatement();
                ResultSet rs = query.executeQuery("SELECT relid::bigint, seq_scan + coalesce(idx_scan, 0)"
                        + " FROM pg_stat_xact_user_tables WHERE seq_scan + coalesce(idx_scan, 0) > 0")) {
            while (rs.next()) {
                reads.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return reads;
    }

    /**
     * The file node of each table of the schema (by oid), as {@link Catalog#QUERY} reads it: taken only around a
     * {@code TRUNCATE} ({@link TruncateReads}), where a changeset outside a transaction cannot count its reads.
     */
    Map<Long, Long> fileNodesNow() throws SQLException {
        Map<Long, Long> nodes = new HashMap<>();
        try (Statement query = connection.createStatement();
                ResultSet rs = query.executeQuery("SELECT c.oid::bigint, c.relfilenode::bigint FROM pg_class c"
                        + " WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
                        + " AND c.relkind IN ('r', 'p')")) {
            while (rs.next()) {
                nodes.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return nodes;
    }

    /** The tables (by oid) the backend scanned since {@link #reset()}. */
    Set<Long> scanned() {
        return scanned;
    }

    /** The backend's lock_timeout as last read, or {@code null}. */
    String lockTimeout() {
        return lockTimeout;
    }

    int backendPid() throws SQLException {
        try (Statement pid = connection.createStatement();
                ResultSet rs = pid.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The catalog only, at the start of a changeset; {@code previous} is the last one read, or {@code null}. */
    Catalog read(boolean full, Catalog previous) throws SQLException {
        return read(full, previous, null);
    }

    /**
     * Reads the catalog; unless {@code locksNow} is null, the locks the migrating backend holds go there, and the
     * tables it scanned and its lock_timeout into this object.
     */
    Catalog read(boolean full, Catalog previous, Map<Long, LockMode> locksNow) throws SQLException {
        return read(full, previous, locksNow, false);
    }

    /**
     * @param forceFlush on PostgreSQL 15+, also ask the server, in the same round trip, to flush this session's
     *                   pending statistics as soon as its transaction ends ({@code pg_stat_force_next_flush()}), for a
     *                   caller that knows nothing of its own scans user tables before the next one starts
     */
    Catalog read(boolean full, Catalog previous, Map<Long, LockMode> locksNow, boolean forceFlush) throws SQLException {
        if (canForceFlush == null) {
            canForceFlush = connection.getMetaData().getDatabaseMajorVersion() >= 15;
        }
        flushForced = false;
        if (locksNow != null) {
            worked.clear();
        }
        PreparedStatement query;
        if (forceFlush && canForceFlush) {
            if (flushingStatement == null) {
                flushingStatement = connection.prepareStatement(Catalog.QUERY + FLUSH);
            }
            query = flushingStatement;
        } else {
            if (statement == null) {
                // prepared once per tracer: the driver then keeps the plan on the server
                statement = connection.prepareStatement(Catalog.QUERY);
            }
            query = statement;
        }
        query.setBoolean(1, full);
        try (ResultSet rs = query.executeQuery()) {
            return Catalog.read(rs, previous, (kind, relation, count, text) -> {
                if (locksNow == null) {
                    return;
                }
                switch (kind) {
                    case "lock" -> {
                        LockMode mode = LockMode.of(text);
                        if (mode != null && mode.strongerThan(locksNow.get(relation))) {
                            locksNow.put(relation, mode);
                        }
                    }
                    case "scan" -> {
                        if (count > scansBefore.getOrDefault(relation, 0L)) {
                            scanned.add(relation);
                        }
                        countGrew(kind, relation, count);
                    }
                    case "written" -> countGrew(kind, relation, count);
                    // an index lookup reads a few rows: counted for rewrites, not as work that grows with the rows
                    case "indexscan" ->
                        lastCounts.computeIfAbsent(kind, k -> new HashMap<>()).put(relation, count);
                    case "flush" -> flushForced = true;
                    default -> lockTimeout = text;
                }
            });
        }
    }

    private void countGrew(String kind, long relation, long count) {
        Long last = lastCounts.computeIfAbsent(kind, k -> new HashMap<>()).put(relation, count);
        if (count > (last == null ? 0 : last)) {
            worked.add(relation);
        }
    }
}
