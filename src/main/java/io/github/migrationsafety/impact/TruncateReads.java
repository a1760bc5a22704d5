package io.github.migrationsafety.impact;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The reads of each table during a changeset's {@code TRUNCATE} statements, counted apart from the rest. TRUNCATE
 * gives a table a new file and builds its indexes there, as a rewrite does, without reading a row; a rewrite is told
 * from it by one more read, which a second TRUNCATE of the same table in one changeset (one {@code <sql>} truncating
 * a table and, by {@code CASCADE}, again) would also give. Only a statement that starts with {@code TRUNCATE} costs a
 * query of the backend's statistics, before it and after it.
 */
final class TruncateReads {

    private final TransactionCatalog catalog;

    /** The reads of each table when the {@code TRUNCATE} that is running started, or {@code null} when none is. */
    private Map<Long, Long> started;

    /** The reads of each table during this changeset's {@code TRUNCATE} statements (index builds on the new file). */
    private final Map<Long, Long> during = new HashMap<>();

    TruncateReads(TransactionCatalog catalog) {
        this.catalog = catalog;
    }

    /** A new changeset: nothing counted. */
    void reset() {
        started = null;
        during.clear();
    }

    /** A statement is about to run: the one before it has ended. */
    void statementStarting(String sql) throws SQLException {
        try {
            statementEnded();
            if (isTruncate(sql)) {
                started = catalog.readsNow();
            }
        } catch (SQLException e) {
            started = null;
            throw e;
        }
    }

    /** The statement that ran last has ended (the next began, or its change did): a TRUNCATE's reads are counted. */
    void statementEnded() throws SQLException {
        if (started == null) {
            return;
        }
        Map<Long, Long> before = started;
        started = null;
        for (Map.Entry<Long, Long> reads : catalog.readsNow().entrySet()) {
            long more = reads.getValue() - before.getOrDefault(reads.getKey(), 0L);
            if (more > 0) {
                during.merge(reads.getKey(), more, Long::sum);
            }
        }
    }

    /** The reads of table {@code oid} during this changeset's {@code TRUNCATE} statements. */
    long reads(long oid) {
        return during.getOrDefault(oid, 0L);
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
