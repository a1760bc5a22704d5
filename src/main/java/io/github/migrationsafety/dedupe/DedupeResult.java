package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.report.Finding;
import java.nio.file.Path;
import java.util.List;

/**
 * What a dedupe run found and did.
 *
 * @param subject      {@code table(key, columns)} for messages
 * @param groups       duplicate groups found
 * @param rowsInGroups rows that belong to a duplicate group
 * @param rowsToDelete rows that are (or would be) deleted: every row of a group but the kept one
 * @param topGroups    the largest groups, largest first
 * @param findings     duplicates (errors in dry-run), near-duplicates and reference problems
 * @param reportFile   the CSV report written
 * @param backup       the backup directory written by apply, or {@code null}
 * @param deleted      rows deleted by apply (0 in dry-run)
 * @param repointed    references moved to kept rows by apply
 * @param applied      whether the delete was committed
 */
public record DedupeResult(String subject, long groups, long rowsInGroups, long rowsToDelete, List<Group> topGroups,
        List<Finding> findings, Path reportFile, Path backup, long deleted, long repointed, boolean applied) {

    /** One duplicate group: its number in the report, key values, size and the id that is kept. */
    public record Group(long number, List<String> key, long rows, String keptId) {
    }
}
