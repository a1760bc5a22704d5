package io.github.migrationsafety.impact;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long a changeset holds its strongest lock on a table at production size, extrapolated from two runs on
 * synthetic rows, and what a live client saw during the larger run.
 *
 * @param changeset        {@code path::id::author}
 * @param table            the table
 * @param lock             the strongest lock taken on it
 * @param productionRows   the table's production size
 * @param smallRows        rows of the first run
 * @param smallMillis      lock held in the first run
 * @param largeRows        rows of the second run
 * @param largeMillis      lock held in the second run
 * @param estimatedMillis  lock held at {@code productionRows}, through the two runs: linear in rows, or a power of
 *                         rows for a foreign key's validation ({@link #extrapolateGrowing})
 * @param readStallMillis  longest wait of a probe read during the second run
 * @param writeStallMillis longest wait of a probe write during the second run
 */
public record ImpactEstimate(
        String changeset,
        String table,
        LockMode lock,
        long productionRows,
        long smallRows,
        long smallMillis,
        long largeRows,
        long largeMillis,
        long estimatedMillis,
        long readStallMillis,
        long writeStallMillis) {

    /** The report's {@code productionEstimate} entry of the traced lock, for Liquibase and Flyway alike. */
    public Map<String, Object> reportEntry() {
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("productionRows", productionRows);
        at.put("estimatedMillis", estimatedMillis);
        at.put(
                "measured",
                List.of(
                        Map.of("rows", smallRows, "heldMillis", smallMillis),
                        Map.of("rows", largeRows, "heldMillis", largeMillis)));
        at.put("longestReadStallMillis", readStallMillis);
        at.put("longestWriteStallMillis", writeStallMillis);
        return at;
    }

    /** What the impact check's detail adds: {@code , estimated ... ms at ... rows (measured ...), ...}. */
    public String checkDetail() {
        return ", estimated " + estimatedMillis + " ms at " + productionRows + " rows (measured " + smallMillis
                + " ms at " + smallRows + ", " + largeMillis + " ms at " + largeRows + "), longest probe read "
                + readStallMillis + " ms, write " + writeStallMillis + " ms";
    }

    /**
     * For work whose cost per row grows with the table, as a foreign key's validating join does once it outgrows
     * {@code work_mem}: a power of the row count through the two measurements, its exponent between 1 (proportional)
     * and 2, never below the larger measurement. A straight line through two samples of such work underestimates it
     * at production size (0.47x-0.65x measured at 2,000,000 rows, docs/goals/smoke.md).
     */
    public static long extrapolateGrowing(
            long smallRows, long smallMillis, long largeRows, long largeMillis, long rows) {
        if (rows <= largeRows || smallMillis <= 0 || largeMillis <= 0) {
            return extrapolate(smallRows, smallMillis, largeRows, largeMillis, rows);
        }
        double exponent = Math.log((double) largeMillis / smallMillis) / Math.log((double) largeRows / smallRows);
        exponent = Math.min(2.0, Math.max(1.0, exponent));
        return Math.max(largeMillis, Math.round(largeMillis * Math.pow((double) rows / largeRows, exponent)));
    }

    /** Linear through the two measurements; never below the larger one, proportional when noise inverts them. */
    public static long extrapolate(long smallRows, long smallMillis, long largeRows, long largeMillis, long rows) {
        if (largeMillis <= smallMillis) {
            return Math.max(largeMillis, Math.round((double) largeMillis * rows / largeRows));
        }
        double perRow = (double) (largeMillis - smallMillis) / (largeRows - smallRows);
        return Math.max(largeMillis, Math.round(largeMillis + perRow * (rows - largeRows)));
    }
}
