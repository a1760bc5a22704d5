package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.report.EngineLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The counts of one report ({@link DedupeReport}), fed one record at a time in group and rank order: groups, rows and
 * rows to delete, and the ten largest groups; logs progress every million rows.
 */
final class ReportTally {

    private static final int TOP_GROUPS = 10;
    private static final long PROGRESS_EVERY = 1_000_000;

    /** The key values of a record, asked for only when the record starts a group. */
    interface Keys {
        List<String> values() throws IOException;
    }

    private final EngineLog log;
    private final PriorityQueue<DedupeResult.Group> top = new PriorityQueue<>(Comparator.comparingLong(
                    DedupeResult.Group::rows)
            .thenComparing(Comparator.comparingLong(DedupeResult.Group::number).reversed()));
    private long groups;
    private long rows;
    private long deletes;
    private long currentGroup = -1;
    private long groupRows;
    private List<String> groupKey;
    private String keptId;

    ReportTally(EngineLog log) {
        this.log = log;
    }

    /** Report records counted so far. */
    long rows() {
        return rows;
    }

    /** One record of {@code group}; {@code keys} are asked for when the record starts the group. */
    void row(long group, Keys keys, String id, boolean keep) throws IOException {
        if (group != currentGroup) {
            if (groupKey != null) {
                offerGroup();
            }
            currentGroup = group;
            groupRows = 0;
            groups++;
            groupKey = keys.values();
            keptId = id;
        }
        groupRows++;
        rows++;
        if (!keep) {
            deletes++;
        }
        if (rows % PROGRESS_EVERY == 0) {
            log.info("dedupe: " + rows + " rows of " + groups + " duplicate groups streamed so far");
        }
    }

    DedupeEngine.Streamed finish() {
        if (groupKey != null) {
            offerGroup();
        }
        List<DedupeResult.Group> largest = new ArrayList<>(top);
        largest.sort(Comparator.comparingLong(DedupeResult.Group::rows)
                .reversed()
                .thenComparingLong(DedupeResult.Group::number));
        return new DedupeEngine.Streamed(groups, rows, deletes, largest);
    }

    /**
     * Keeps the group just finished if it is among the largest so far; groups are numbered upwards, so one no
     * larger than the smallest kept, when {@link #TOP_GROUPS} are kept, never is.
     */
    private void offerGroup() {
        if (top.size() == TOP_GROUPS && groupRows <= top.peek().rows()) {
            return;
        }
        top.add(new DedupeResult.Group(currentGroup, groupKey, groupRows, keptId));
        if (top.size() > TOP_GROUPS) {
            top.poll();
        }
    }
}
