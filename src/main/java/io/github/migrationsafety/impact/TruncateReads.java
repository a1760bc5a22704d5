package io.github.migrationsafety.impact;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reads of each table during a changeset's {@code TRUNCATE} statements, counted apart from the rest. TRUNCATE
 * gives a table a new file and builds its indexes there, as a rewrite does, without reading a row; a rewrite is told
 * from it by one more read, which a second TRUNCATE of the same table in one changeset (one {@code <sql>} truncating
 * a table and, by {@code CASCADE}, again) would also give. Outside a transaction each statement commits and the
 * backend's counts of a transaction are gone with it, so there the tables' file nodes are read before and after each
 * TRUNCATE instead: a file node that changed outside a TRUNCATE tells the rewrite ({@link #rewroteOutside}). Only a
 * statement that starts with {@code TRUNCATE} costs two queries of the backend's statistics and of the catalog,
 * before it and after it.
 */
final class TruncateReads {

    private final TransactionCatalog catalog;

    /** The {@code TRUNCATE} that is running, or {@code null} when none is. */
    private Running running;

    /** The reads of each table during this changeset's {@code TRUNCATE} statements (index builds on the new file). */
    private final Map<Long, Long> during = new HashMap<>();

    /** The file nodes of the tables before and after each of this changeset's {@code TRUNCATE} statements. */
    private final List<Window> windows = new ArrayList<>();

    /** The reads and file nodes of the tables, and the time, when a {@code TRUNCATE} started. */
    private record Running(Map<Long, Long> reads, Map<Long, Long> nodes, long startNanos) {}

    /** The file nodes before and after one {@code TRUNCATE} statement, and when it started and ended. */
    private record Window(Map<Long, Long> before, Map<Long, Long> after, long startNanos, long endNanos) {}

    /** From the start of the first to the end of the last {@code TRUNCATE} that gave a table a new file. */
    record Span(long sinceNanos, long untilNanos) {}

    TruncateReads(TransactionCatalog catalog) {
        this.catalog = catalog;
    }

    /** A new changeset: nothing counted. */
    void reset() {
        running = null;
        during.clear();
        windows.clear();
    }

    /** A statement is about to run: the one before it has ended. */
    void statementStarting(String sql) throws SQLException {
        try {
            statementEnded();
            if (isTruncate(sql)) {
                running = new Running(catalog.readsNow(), catalog.fileNodesNow(), System.nanoTime());
            }
        } catch (SQLException e) {
            running = null;
            throw e;
        }
    }

    /** The statement that ran last has ended (the next began, or its change did): a TRUNCATE's reads are counted. */
    void statementEnded() throws SQLException {
        if (running == null) {
            return;
        }
        Running ended = running;
        running = null;
        long endNanos = System.nanoTime();
        windows.add(new Window(ended.nodes(), catalog.fileNodesNow(), ended.startNanos(), endNanos));
        for (Map.Entry<Long, Long> reads : catalog.readsNow().entrySet()) {
            long more = reads.getValue() - ended.reads().getOrDefault(reads.getKey(), 0L);
            if (more > 0) {
                during.merge(reads.getKey(), more, Long::sum);
            }
        }
    }

    /** The reads of table {@code oid} during this changeset's {@code TRUNCATE} statements. */
    long reads(long oid) {
        return during.getOrDefault(oid, 0L);
    }

    /**
     * Whether, in a changeset outside a transaction, a statement other than a {@code TRUNCATE} gave table {@code oid}
     * a new file between {@code startNode}, its file node when the changeset started, and {@code endNode}, its file
     * node when it ended: a change of file node that no TRUNCATE of this changeset made.
     */
    boolean rewroteOutside(long oid, long startNode, long endNode) {
        long node = startNode;
        for (Window window : windows) {
            if (window.before().getOrDefault(oid, node) != node) {
                return true;
            }
            node = window.after().getOrDefault(oid, node);
        }
        return node != endNode;
    }

    /**
     * When this changeset's {@code TRUNCATE} statements gave table {@code oid} a new file, or {@code null} when none
     * did: each held AccessExclusiveLock on it while it ran.
     */
    Span truncated(long oid) {
        Span span = null;
        for (Window window : windows) {
            Long before = window.before().get(oid);
            if (before != null && !before.equals(window.after().get(oid))) {
                span = new Span(span == null ? window.startNanos() : span.sinceNanos(), window.endNanos());
            }
        }
        return span;
    }

    /** Whether {@code sql}, after blanks and comments, starts with the keyword {@code TRUNCATE}. */
    static boolean isTruncate(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            if (Character.isWhitespace(sql.charAt(i))) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? n : newline + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        return sql.regionMatches(true, i, "TRUNCATE", 0, 8)
                && (i + 8 == n || !Character.isLetterOrDigit(sql.charAt(i + 8)) && sql.charAt(i + 8) != '_');
    }
}
