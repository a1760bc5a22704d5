package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.changelog.ChangesetSelection;
import io.github.migrationsafety.changelog.ReleasedChecksums;
import io.github.migrationsafety.changelog.UniqueKey;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import liquibase.GlobalConfiguration;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.CheckSum;
import liquibase.change.core.CreateProcedureChange;
import liquibase.change.core.CreateTableChange;
import liquibase.change.core.CreateViewChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;

/**
 * Checks a parsed changelog before anything runs. Each rule is one method; findings point at the changeset's
 * file and line. Rules judge only the changesets an update selects ({@link ChangesetSelection}: the configured
 * contexts and labels, and each target database's {@code dbms}), as Liquibase's own validation does; two
 * changesets are compared only when one database runs both.
 */
final class ChangelogLinter {

    static final String DUPLICATE_ID = "smoke.lint.duplicate-id";
    static final String NO_ROLLBACK = "smoke.lint.no-rollback";
    static final String RERUN_DDL = "smoke.lint.rerun-ddl";
    static final String RELEASED_EDITED = "smoke.lint.released-changeset-edited";
    static final String RELEASED_REMOVED = "smoke.lint.released-changeset-removed";
    static final String UNIQUE_UNCHECKED = "smoke.lint.unique-without-data-check";

    private static final Pattern DDL_SQL = Pattern.compile("(?is)^\\s*(create|alter|drop|truncate|rename)\\b.*");
    private static final Pattern IDEMPOTENT_SQL = Pattern.compile(
            "(?is)^\\s*(create\\s+or\\s+replace\\b|create\\b[^;]*?\\bif\\s+not\\s+exists\\b|(drop|alter)\\b[^;]*?\\bif\\s+exists\\b).*");

    private final DatabaseChangeLog changeLog;
    private final Database offline;
    private final Map<String, String> released;
    private final boolean rollbackTested;
    private final ChangesetLocator locator;
    private final ChangesetSelection selection;

    ChangelogLinter(
            DatabaseChangeLog changeLog,
            Database offline,
            Map<String, String> released,
            boolean rollbackTested,
            ChangesetLocator locator,
            ChangesetSelection selection) {
        this.changeLog = changeLog;
        this.offline = offline;
        this.released = released;
        this.rollbackTested = rollbackTested;
        this.locator = locator;
        this.selection = selection;
    }

    /** The changesets an update selects on at least one target database, in changelog order. */
    private List<ChangeSet> selected() {
        return changeLog.getChangeSets().stream().filter(selection::selected).toList();
    }

    List<Finding> lint() {
        List<Finding> findings = new ArrayList<>();
        duplicateIds(findings);
        findings.addAll(new CopiedChangesets(offline, selection, locator).find(selected()));
        missingRollbacks(findings);
        rerunDdl(findings);
        releasedChecksums(findings);
        uniqueWithoutDataCheck(findings);
        return findings;
    }

    private Finding at(Finding finding, ChangeSet changeSet) {
        return finding.at(changeSet.getFilePath(), locator.line(changeSet));
    }

    /**
     * Liquibase's validation fails with "changesets had duplicate identifiers" when one update selects two
     * changesets with the same path, id and author (unless {@code allowDuplicatedChangesetIdentifiers} is set, when
     * it runs the first and skips the others). Pairs that no target database runs together (other contexts,
     * labels or a disjoint {@code dbms}) are what Liquibase accepts, and so are not reported. (Liquibase's parser
     * already leaves out changesets whose {@code dbms} excludes the database it parses for, here the dialect.)
     */
    private void duplicateIds(List<Finding> findings) {
        if (Boolean.TRUE.equals(GlobalConfiguration.ALLOW_DUPLICATED_CHANGESETS_IDENTIFIERS.getCurrentValue())) {
            return;
        }
        Map<String, List<ChangeSet>> byKey = new HashMap<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            String key = ChangesetKey.of(changeSet);
            List<ChangeSet> earlier = byKey.computeIfAbsent(key, k -> new ArrayList<>());
            int occurrence = earlier.size() + 1;
            earlier.add(changeSet);
            if (!selection.selected(changeSet)) {
                continue;
            }
            ChangeSet first = earlier.stream()
                    .limit(occurrence - 1L)
                    .filter(e -> !selection.together(e, changeSet).isEmpty())
                    .findFirst()
                    .orElse(null);
            if (first == null) {
                continue;
            }
            String message = "the changeset identifier (path, id, author) is used more than once; Liquibase records"
                    + " only one of them as run";
            String hint = "give each changeset a unique id";
            String firstContext = Objects.toString(first.buildFullContext(), "");
            String context = Objects.toString(changeSet.buildFullContext(), "");
            if (selection.contexts() == null && !firstContext.equals(context)) {
                message += "; the two differ by context ('" + firstContext + "' and '" + context + "'), and without"
                        + " contexts Liquibase selects both and stops before running anything (duplicate identifiers)";
                hint = "set 'contexts' to the contexts production runs Liquibase with, or give each changeset a"
                        + " unique id";
            }
            findings.add(Finding.error(DUPLICATE_ID, key, message)
                    .withHint(hint)
                    .at(changeSet.getFilePath(), locator.line(changeSet, occurrence)));
        }
    }

    private void missingRollbacks(List<Finding> findings) {
        for (ChangeSet changeSet : selected()) {
            if (!changeSet.getRollback().getChanges().isEmpty()) {
                continue;
            }
            for (Change change : changeSet.getChanges()) {
                if (!change.supportsRollback(offline)) {
                    String name = change.getSerializedObjectName();
                    String message = "change '" + name + "' cannot be rolled back automatically and the changeset"
                            + " has no rollback";
                    Finding finding = rollbackTested
                            ? Finding.error(NO_ROLLBACK, ChangesetKey.of(changeSet), message)
                            : Finding.warning(NO_ROLLBACK, ChangesetKey.of(changeSet), message);
                    findings.add(at(
                            finding.withHint(
                                    "add a <rollback> block (YAML: rollback:, SQL: --rollback)" + " that undoes it"),
                            changeSet));
                    break;
                }
            }
        }
    }

    /**
     * DDL in a changeset that runs again. Not reported for a changeset whose precondition decides whether it runs
     * ({@code onFail="MARK_RAN"}/{@code "CONTINUE"}), nor for DDL written to be repeated: {@code CREATE OR
     * REPLACE}, {@code IF [NOT] EXISTS}, {@code createView}/{@code createProcedure} with {@code replaceIfExists}
     * (Liquibase's own advice for views and procedures is runOnChange).
     */
    private void rerunDdl(List<Finding> findings) {
        for (ChangeSet changeSet : selected()) {
            if (!changeSet.isRunOnChange() && !changeSet.isAlwaysRun() || ChangesetSelection.guarded(changeSet)) {
                continue;
            }
            for (Change change : changeSet.getChanges()) {
                if (isDdl(change) && !repeatable(change)) {
                    String attribute = changeSet.isAlwaysRun() ? "runAlways" : "runOnChange";
                    findings.add(at(
                            Finding.warning(
                                            RERUN_DDL,
                                            ChangesetKey.of(changeSet),
                                            attribute
                                                    + " is set on a changeset with DDL ('"
                                                    + change.getSerializedObjectName()
                                                    + "'); running it again fails or changes the schema twice")
                                    .withHint("remove " + attribute + " and put schema changes into new changesets"),
                            changeSet));
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
        return name.startsWith("create")
                || name.startsWith("add")
                || name.startsWith("drop")
                || name.startsWith("rename")
                || name.startsWith("modify")
                || name.startsWith("alter");
    }

    static boolean repeatable(Change change) {
        if (change instanceof AbstractSQLChange sql) {
            String text = sql.getSql();
            return text != null && IDEMPOTENT_SQL.matcher(text).matches();
        }
        if (change instanceof CreateViewChange view) {
            return Boolean.TRUE.equals(view.getReplaceIfExists());
        }
        if (change instanceof CreateProcedureChange procedure) {
            return Boolean.TRUE.equals(procedure.getReplaceIfExists());
        }
        return false;
    }

    /**
     * Liquibase compares stored checksums only for the changesets an update selects; a released changeset that
     * is in the changelog but not selected is neither checked nor "removed".
     */
    private void releasedChecksums(List<Finding> findings) {
        if (released.isEmpty()) {
            return;
        }
        Set<String> present = new HashSet<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            String key = ChangesetKey.of(changeSet);
            present.add(key);
            if (!selection.selected(changeSet)) {
                continue;
            }
            String expected = released.get(key);
            if (expected != null && !changeSet.isRunOnChange()) {
                String actual = ReleasedChecksums.checksum(changeSet);
                // a <validCheckSum> naming the released checksum (or ANY) is Liquibase's way to accept an edit
                if (!expected.equals(actual) && !changeSet.isCheckSumValid(CheckSum.parse(expected))) {
                    findings.add(at(
                            Finding.error(
                                            RELEASED_EDITED,
                                            key,
                                            "the changeset was released but has been"
                                                    + " edited since; Liquibase will refuse to start in production (checksum validation)")
                                    .withExpectation(expected, actual)
                                    .withHint("undo the edit and put the change into a new changeset"),
                            changeSet));
                }
            }
        }
        for (String key : released.keySet()) {
            if (!present.contains(key)) {
                findings.add(Finding.warning(
                                RELEASED_REMOVED,
                                key,
                                "the changeset was released but is no longer in" + " the changelog")
                        .withHint("put it back; production has already run it"));
            }
        }
    }

    private void uniqueWithoutDataCheck(List<Finding> findings) {
        Set<String> newTables = new HashSet<>();
        for (ChangeSet changeSet : selected()) {
            boolean isReleased = released.containsKey(ChangesetKey.of(changeSet));
            Set<String> createdHere = new HashSet<>();
            for (Change change : changeSet.getChanges()) {
                if (change instanceof CreateTableChange create) {
                    createdHere.add(create.getTableName().toLowerCase(Locale.ROOT));
                }
            }
            for (UniqueKey key : UniqueKey.addedBy(changeSet)) {
                String table = key.table() == null ? "" : key.table().toLowerCase(Locale.ROOT);
                boolean hasCheck = changeSet.getPreconditions() != null
                        && !changeSet
                                .getPreconditions()
                                .getNestedPreconditions()
                                .isEmpty();
                if (!createdHere.contains(table) && !newTables.contains(table) && !hasCheck) {
                    findings.add(at(
                            Finding.warning(
                                            UNIQUE_UNCHECKED,
                                            ChangesetKey.of(changeSet),
                                            "adds a unique key " + key.display()
                                                    + " to an existing table without checking its data"
                                                    + " first; duplicate rows in production make the migration fail")
                                    .withHint(
                                            "run mvn migration-safety:dedupe -Dmigration-safety.keysFromChangelog=true"
                                                    + " against the target database before migrating, or add a precondition"
                                                    + " that counts duplicates"),
                            changeSet));
                }
            }
            if (!isReleased) {
                newTables.addAll(createdHere);
            }
        }
    }
}
