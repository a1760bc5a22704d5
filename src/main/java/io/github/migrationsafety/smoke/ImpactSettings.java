package io.github.migrationsafety.smoke;

import io.github.migrationsafety.db.ConnectionSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whether and how the smoke traces and estimates production impact on PostgreSQL.
 *
 * @param trace              trace each changeset's locks, rewrites and scans and judge them with the impact rules
 * @param rows               table (lower case) to its row count in production; empty when unknown (no estimate)
 * @param smallSample        rows of the first synthetic table a changeset is measured on
 * @param largeSample        rows of the second, larger one
 * @param maxBlockingSeconds an estimated lock-held time above this (for a lock that blocks writes) is an error;
 *                           {@code null} for no limit
 * @param production         the production database, read (read-only) for its tables, their sizes and the
 *                           changesets it has run; {@code null} when not given
 */
public record ImpactSettings(
        boolean trace,
        Map<String, Long> rows,
        long smallSample,
        long largeSample,
        Double maxBlockingSeconds,
        ConnectionSettings production) {

    public static final long DEFAULT_SMALL_SAMPLE = 50_000;
    public static final long DEFAULT_LARGE_SAMPLE = 200_000;

    public ImpactSettings {
        Map<String, Long> lower = new LinkedHashMap<>();
        rows.forEach((table, count) -> lower.put(table.toLowerCase(Locale.ROOT), count));
        rows = Map.copyOf(lower);
        if (smallSample < 1 || largeSample <= smallSample) {
            throw new IllegalArgumentException(
                    "sample sizes must be 1 <= small < large: " + smallSample + ", " + largeSample);
        }
    }

    /** Without a production database: sizes from {@code rows} only, every changeset pending. */
    public ImpactSettings(
            boolean trace, Map<String, Long> rows, long smallSample, long largeSample, Double maxBlockingSeconds) {
        this(trace, rows, smallSample, largeSample, maxBlockingSeconds, null);
    }

    /** Traced, not estimated: no production sizes known. */
    public static ImpactSettings defaults() {
        return new ImpactSettings(true, Map.of(), DEFAULT_SMALL_SAMPLE, DEFAULT_LARGE_SAMPLE, null);
    }

    /** The production row count of {@code table}, or {@code null} when not given. */
    Long rowsOf(String table) {
        return rows.get(table.toLowerCase(Locale.ROOT));
    }
}
