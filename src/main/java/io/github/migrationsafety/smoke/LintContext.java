package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.changelog.ChangesetSelection;
import io.github.migrationsafety.report.Finding;
import java.util.List;
import java.util.Map;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;

/**
 * What the lint rules judge: the parsed changelog, which changesets an update selects ({@link ChangesetSelection}:
 * the configured contexts and labels, and each target database's {@code dbms}), the released checksums, and whether
 * the rollback is tested.
 *
 * @param offline  the offline database of the dialect, for the SQL a change generates
 * @param released released checksums by {@code path::id::author}
 */
record LintContext(
        DatabaseChangeLog changeLog,
        Database offline,
        Map<String, String> released,
        boolean rollbackTested,
        ChangesetLocator locator,
        ChangesetSelection selection) {

    /** The changesets an update selects on at least one target database, in changelog order. */
    List<ChangeSet> selected() {
        return changeLog.getChangeSets().stream().filter(selection::selected).toList();
    }

    Finding at(Finding finding, ChangeSet changeSet) {
        return finding.at(changeSet.getFilePath(), locator.line(changeSet));
    }
}
