package io.github.migrationsafety.smoke;

import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import liquibase.change.Change;
import liquibase.change.CheckSum;
import liquibase.change.AbstractSQLChange;
import liquibase.change.core.CreateTableChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;

/**
 * Checks a parsed changelog before anything runs. Each rule is one method; findings point at the changeset's
 * file and line.
 */
final class ChangelogLinter {

    static final String DUPLICATE_ID = "smoke.lint.duplicate-id";
    static final String IDENTICAL = "smoke.lint.identical-changesets";
    static final String NO_ROLLBACK = "smoke.lint.no-rollback";
    static final String RERUN_DDL = "smoke.lint.rerun-ddl";
    static final String RELEASED_EDITED = "smoke.lint.released-changeset-edited";
    static final String RELEASED_REMOVED = "smoke.lint.released-changeset-removed";
    static final String UNIQUE_UNCHECKED = "smoke.lint.unique-without-data-check";

    private static final Pattern DDL_SQL = Pattern.compile("(?is)^\\s*(create|alter|drop|truncate|rename)\\b.*");

    private final DatabaseChangeLog changeLog;
    private final Database offline;
    private final Map<String, String> released;
    private final boolean rollbackTested;
    private final ChangesetLocator locator;

    ChangelogLinter(DatabaseChangeLog changeLog, Database offline, Map<String, String> released, boolean rollbackTested,
            ChangesetLocator locator) {
        this.changeLog = changeLog;
        this.offline = offline;
        this.released = released;
        this.rollbackTested = rollbackTested;
        this.locator = locator;
    }

    List<Finding> lint() {
        List<Finding> findings = new ArrayList<>();
        duplicateIds(findings);
        identicalChangesets(findings);
        missingRollbacks(findings);
        rerunDdl(findings);
        releasedChecksums(findings);
        uniqueWithoutDataCheck(findings);
        return findings;
    }

    private Finding at(Finding finding, ChangeSet changeSet) {
        return finding.at(changeSet.getFilePath(), locator.line(changeSet));
    }

    private void duplicateIds(List<Finding> findings) {
        Map<String, Integer> seen = new HashMap<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            String key = ChangesetRecorder.key(changeSet);
            int occurrence = seen.merge(key, 1, Integer::sum);
            if (occurrence > 1) {
                findings.add((Finding.error(DUPLICATE_ID, key, "the changeset identifier (path, id, author) is used"
                        + " more than once; Liquibase records only one of them as run")
                        .withHint("give each changeset a unique id")).at(changeSet.getFilePath(),
                        locator.line(changeSet, occurrence)));
            }
        }
    }

    private void identicalChangesets(List<Finding> findings) {
        Map<String, ChangeSet> byChecksum = new LinkedHashMap<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            if (changeSet.getChanges().isEmpty()) {
                continue;
            }
            String checksum = ReleasedChecksums.checksum(changeSet);
            ChangeSet first = byChecksum.putIfAbsent(checksum, changeSet);
            if (first != null && !ChangesetRecorder.key(first).equals(ChangesetRecorder.key(changeSet))) {
                findings.add(at(Finding.warning(IDENTICAL, ChangesetRecorder.key(changeSet),
                        "the changeset has the same changes as " + ChangesetRecorder.key(first)
                                + " under a different id; it would run twice")
                        .withHint("remove the copy or change its id back"), changeSet));
            }
        }
    }

    private void missingRollbacks(List<Finding> findings) {
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            if (!changeSet.getRollback().getChanges().isEmpty()) {
                continue;
            }
            for (Change change : changeSet.getChanges()) {
                if (!change.supportsRollback(offline)) {
                    String name = change.getSerializedObjectName();
                    String message = "change '" + name + "' cannot be rolled back automatically and the changeset"
                            + " has no rollback";
                    Finding finding = rollbackTested ? Finding.error(NO_ROLLBACK, ChangesetRecorder.key(changeSet), message)
                            : Finding.warning(NO_ROLLBACK, ChangesetRecorder.key(changeSet), message);
                    findings.add(at(finding.withHint("add a <rollback> block (YAML: rollback:, SQL: --rollback)"
                            + " that undoes it"), changeSet));
                    break;
                }
            }
        }
    }

    private void rerunDdl(List<Finding> findings) {
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            if (!changeSet.isRunOnChange() && !changeSet.isAlwaysRun()) {
                continue;
            }
            for (Change change : changeSet.getChanges()) {
                if (isDdl(change)) {
                    String attribute = changeSet.isAlwaysRun() ? "runAlways" : "runOnChange";
                    findings.add(at(Finding.warning(RERUN_DDL, ChangesetRecorder.key(changeSet), attribute
                            + " is set on a changeset with DDL ('" + change.getSerializedObjectName()
                            + "'); running it again fails or changes the schema twice")
                            .withHint("remove " + attribute + " and put schema changes into new changesets"), changeSet));
                    break;
                }
            }
        }
    }

    static boolean isDdl(Change change) {
        if (change instanceof AbstractSQLChange sql) {
            String text = sql.getSql();
            return text != null && DDL_SQL.matcher(text).matches();
        }
        String name = change.getSerializedObjectName().toLowerCase(Locale.ROOT);
        return name.startsWith("create") || name.startsWith("add") || name.startsWith("drop")
                || name.startsWith("rename") || name.startsWith("modify") || name.startsWith("alter");
    }

    private void releasedChecksums(List<Finding> findings) {
        if (released.isEmpty()) {
            return;
        }
        Set<String> present = new HashSet<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            String key = ChangesetRecorder.key(changeSet);
            present.add(key);
            String expected = released.get(key);
            if (expected != null && !changeSet.isRunOnChange()) {
                String actual = ReleasedChecksums.checksum(changeSet);
                // a <validCheckSum> naming the released checksum (or ANY) is Liquibase's way to accept an edit
                if (!expected.equals(actual) && !changeSet.isCheckSumValid(CheckSum.parse(expected))) {
                    findings.add(at(Finding.error(RELEASED_EDITED, key, "the changeset was released but has been"
                            + " edited since; Liquibase will refuse to start in production (checksum validation)")
                            .withExpectation(expected, actual)
                            .withHint("undo the edit and put the change into a new changeset"), changeSet));
                }
            }
        }
        for (String key : released.keySet()) {
            if (!present.contains(key)) {
                findings.add(Finding.warning(RELEASED_REMOVED, key, "the changeset was released but is no longer in"
                        + " the changelog").withHint("put it back; production has already run it"));
            }
        }
    }

    private void uniqueWithoutDataCheck(List<Finding> findings) {
        Set<String> newTables = new HashSet<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            boolean isReleased = released.containsKey(ChangesetRecorder.key(changeSet));
            Set<String> createdHere = new HashSet<>();
            for (Change change : changeSet.getChanges()) {
                if (change instanceof CreateTableChange create) {
                    createdHere.add(create.getTableName().toLowerCase(Locale.ROOT));
                }
            }
            for (UniqueKey key : UniqueKey.addedBy(changeSet)) {
                String table = key.table() == null ? "" : key.table().toLowerCase(Locale.ROOT);
                boolean hasCheck = changeSet.getPreconditions() != null
                        && !changeSet.getPreconditions().getNestedPreconditions().isEmpty();
                if (!createdHere.contains(table) && !newTables.contains(table) && !hasCheck) {
                    findings.add(at(Finding.warning(UNIQUE_UNCHECKED, ChangesetRecorder.key(changeSet),
                            "adds a unique key " + key.display() + " to an existing table without checking its data"
                                    + " first; duplicate rows in production make the migration fail")
                            .withHint("run mvn migration-safety:dedupe -Dmigration-safety.keysFromChangelog=true"
                                    + " against the target database before migrating, or add a precondition"
                                    + " that counts duplicates"), changeSet));
                }
            }
            if (!isReleased) {
                newTables.addAll(createdHere);
            }
        }
    }
}
