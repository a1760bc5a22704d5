package io.github.migrationsafety.smoke;

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
 * @param estimatedMillis  lock held at {@code productionRows}, linear in rows through the two runs
 * @param readStallMillis  longest wait of a probe read during the second run
 * @param writeStallMillis longest wait of a probe write during the second run
 */
record ImpactEstimate(
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

    /** Linear through the two measurements; never below the larger one, proportional when noise inverts them. */
    static long extrapolate(long smallRows, long smallMillis, long largeRows, long largeMillis, long rows) {
        if (largeMillis <= smallMillis) {
            return Math.max(largeMillis, Math.round((double) largeMillis * rows / largeRows));
        }
        double perRow = (double) (largeMillis - smallMillis) / (largeRows - smallRows);
        return Math.max(largeMillis, Math.round(largeMillis + perRow * (rows - largeRows)));
    }
}
