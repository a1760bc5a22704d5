package io.github.migrationsafety.dedupe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an online apply did, beyond the counts every apply has.
 *
 * @param batchSize          rows per batch
 * @param batches            committed batches (all runs of this backup)
 * @param finalPassDeleted   rows the final pass deleted: duplicates inserted while the run went on
 * @param finalPassFound     rows the final pass ranked for deletion
 * @param skipped            planned rows not deleted because they or their kept twin had gone or changed key
 * @param repointed          references moved to kept rows
 * @param longestLockMillis  longest time one batch of this run held its row locks
 * @param resumedFrom        the backup directory of the unfinished run this one finished, or null
 */
public record OnlineRun(
        int batchSize,
        long batches,
        long finalPassDeleted,
        long finalPassFound,
        long skipped,
        long repointed,
        long longestLockMillis,
        String resumedFrom) {

    /** The {@code online} object of the JSON report. */
    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("batchSize", batchSize);
        summary.put("batches", batches);
        summary.put("finalPassDeleted", finalPassDeleted);
        summary.put("skipped", skipped);
        summary.put("longestLockMillis", longestLockMillis);
        summary.put("resumedFrom", resumedFrom);
        return summary;
    }
}
