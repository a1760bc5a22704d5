package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.changelog.ChangesetSelection;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;

/**
 * Checks a parsed changelog before anything runs: one loop over the lint rules ({@link LintRule}, one class each).
 * Findings point at the changeset's file and line. Rules judge only the changesets an update selects
 * ({@link ChangesetSelection}: the configured contexts and labels, and each target database's {@code dbms}), as
 * Liquibase's own validation does; two changesets are compared only when one database runs both.
 */
final class ChangelogLinter {

    static final String DUPLICATE_ID = DuplicateId.ID;
    static final String NO_ROLLBACK = NoRollback.ID;
    static final String RERUN_DDL = RerunDdl.ID;
    static final String RELEASED_EDITED = ReleasedChecksum.ID;
    static final String RELEASED_REMOVED = ReleasedChecksum.REMOVED;
    static final String UNIQUE_UNCHECKED = UniqueWithoutDataCheck.ID;

    /** The lint rules, in the order their findings are reported. */
    static final List<LintRule> RULES = List.of(
            new DuplicateId(),
            new CopiedChangesets(),
            new NoRollback(),
            new RerunDdl(),
            new ReleasedChecksum(),
            new UniqueWithoutDataCheck());

    private final LintContext context;

    ChangelogLinter(
            DatabaseChangeLog changeLog,
            Database offline,
            Map<String, String> released,
            boolean rollbackTested,
            ChangesetLocator locator,
            ChangesetSelection selection) {
        this.context = new LintContext(changeLog, offline, released, rollbackTested, locator, selection);
    }

    List<Finding> lint() {
        List<Finding> findings = new ArrayList<>();
        for (LintRule rule : RULES) {
            findings.addAll(rule.judge(context));
        }
        return findings;
    }
}
