package io.github.migrationsafety.rehearsal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One query's worth of the data counts ({@link DataCounts}): the effects (indexes into the effects counted) it counts,
 * with {@code scan} when they are several effects on one table counted in one scan, or {@code duplicates} when it is
 * part {@code part} of a unique key's duplicates (part 0 of 1 when they are counted whole).
 */
record CountJob(List<Integer> items, List<DataCheck.Scannable> scan, DuplicateCount duplicates, int part) {

    CountJob(List<Integer> items, List<DataCheck.Scannable> scan) {
        this(items, scan, null, 0);
    }

    /**
     * The queries, longest first: each unique key's duplicates (a sort of the table's keys), then one scan per table
     * for its effects a scan decides when there are several, then each other effect on its own.
     */
    static List<CountJob> plan(List<Effect> effects, DataCheck check) {
        List<CountJob> unique = new ArrayList<>();
        List<CountJob> rest = new ArrayList<>();
        Map<String, List<Integer>> scannedItems = new LinkedHashMap<>();
        Map<String, List<DataCheck.Scannable>> scanned = new LinkedHashMap<>();
        for (int i = 0; i < effects.size(); i++) {
            Effect effect = effects.get(i);
            DataCheck.Scannable scannable = effect instanceof Effect.Unique ? null : scannable(check, effect);
            DuplicateCount duplicates = effect instanceof Effect.Unique u ? duplicates(check, u) : null;
            if (duplicates != null) { // a large table's in parts, side by side
                for (int part = 0; part < duplicates.parts(); part++) {
                    unique.add(new CountJob(List.of(i), null, duplicates, part));
                }
            } else if (scannable != null) {
                scannedItems
                        .computeIfAbsent(effect.table(), t -> new ArrayList<>())
                        .add(i);
                scanned.computeIfAbsent(effect.table(), t -> new ArrayList<>()).add(scannable);
            } else {
                (effect instanceof Effect.Unique ? unique : rest).add(new CountJob(List.of(i), null));
            }
        }
        List<CountJob> jobs = new ArrayList<>(unique);
        for (Map.Entry<String, List<Integer>> table : scannedItems.entrySet()) {
            List<Integer> indexes = table.getValue();
            if (indexes.size() == 1) { // on its own: its WHERE may use an index
                jobs.add(new CountJob(indexes, null));
            } else {
                jobs.add(new CountJob(indexes, scanned.get(table.getKey())));
            }
        }
        jobs.addAll(rest);
        return jobs;
    }

    /**
     * A unique key's duplicates, described once for every part; {@code null} when production's catalog could not be
     * read: the count of its own then says why.
     */
    private static DuplicateCount duplicates(DataCheck check, Effect.Unique unique) {
        try {
            return check.duplicates(unique);
        } catch (SQLException e) {
            return null;
        }
    }

    /** {@code null} also when production cannot plan the scan: the count of its own then says why. */
    private static DataCheck.Scannable scannable(DataCheck check, Effect effect) {
        try {
            return check.scannable(effect);
        } catch (SQLException e) {
            return null;
        }
    }
}
