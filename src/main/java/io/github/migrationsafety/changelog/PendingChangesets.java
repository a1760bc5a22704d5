package io.github.migrationsafety.changelog;

import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import liquibase.ChecksumVersion;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.database.Database;

/**
 * Which changesets an update of the production database would run, decided as Liquibase decides it: a changeset
 * is matched to a DATABASECHANGELOG row by id, author and file path (compared as Liquibase compares them), and it
 * runs when no row matches, when it is {@code runAlways}, or when it is {@code runOnChange} and its checksum
 * changed. A changeset that ran, whose checksum changed and that is neither, makes Liquibase's validation refuse
 * the whole update: that is an error here too.
 */
public final class PendingChangesets {

    public static final String CHECKSUM_CHANGED = "smoke.production-checksum-changed";

    /**
     * @param pending         keys of the changesets production would run, in changelog order
     * @param ran             how many of the selected changesets production has run
     * @param checksumChanged one error per ran changeset whose checksum no longer matches
     */
    public record Result(Set<String> pending, int ran, List<Finding> checksumChanged) {}

    private PendingChangesets() {}

    /**
     * @param selection  which changesets an update with the configured contexts and labels runs on the production
     *                   database's kind
     * @param production an (offline) database of production's kind, in Liquibase's scope while checksums are
     *                   computed, as in Liquibase's own update
     */
    public static Result of(
            DatabaseChangeLog changeLog,
            List<RanChangeSet> ranChangeSets,
            ChangesetSelection selection,
            Database production,
            ChangesetLocator locator)
            throws Exception {
        Set<String> pending = new LinkedHashSet<>();
        List<Finding> changed = new ArrayList<>();
        int[] ran = {0};
        Scope.child(Scope.Attr.database.name(), production, () -> {
            for (ChangeSet changeSet : changeLog.getChangeSets()) {
                if (!selection.selected(changeSet)) {
                    continue;
                }
                RanChangeSet row = ranChangeSets.stream()
                        .filter(r -> r.isSameAs(changeSet))
                        .findFirst()
                        .orElse(null);
                String key = ChangesetKey.of(changeSet);
                if (row == null) {
                    pending.add(key);
                    continue;
                }
                ran[0]++;
                boolean valid = changeSet.isCheckSumValid(row.getLastCheckSum());
                if (changeSet.shouldAlwaysRun() || changeSet.shouldRunOnChange() && !valid) {
                    pending.add(key);
                } else if (!valid) {
                    changed.add(Finding.error(
                                    CHECKSUM_CHANGED,
                                    key,
                                    "ran in production with checksum " + row.getLastCheckSum()
                                            + " and has been edited since (now "
                                            + changeSet.generateCheckSum(ChecksumVersion.enumFromChecksumVersion(
                                                    row.getLastCheckSum().getVersion()))
                                            + "): Liquibase's validation will refuse the whole update")
                            .withHint("undo the edit and put the change into a new changeset; if the edit is"
                                    + " deliberate and harmless, add <validCheckSum>" + row.getLastCheckSum()
                                    + "</validCheckSum> to the changeset")
                            .at(changeSet.getFilePath(), locator.line(changeSet)));
                }
            }
        });
        return new Result(pending, ran[0], changed);
    }
}
