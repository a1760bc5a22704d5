package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;

/** Lint rule {@value #ID}: a selected changeset has a change Liquibase cannot roll back automatically and no rollback. */
final class NoRollback implements LintRule {

    static final String ID = "smoke.lint.no-rollback";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(LintContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeSet changeSet : context.selected()) {
            if (!changeSet.getRollback().getChanges().isEmpty()) {
                continue;
            }
            for (Change change : changeSet.getChanges()) {
                if (!change.supportsRollback(context.offline())) {
                    String name = change.getSerializedObjectName();
                    String message = "change '" + name + "' cannot be rolled back automatically and the changeset"
                            + " has no rollback";
                    Finding finding = context.rollbackTested()
                            ? Finding.error(ID, ChangesetKey.of(changeSet), message)
                            : Finding.warning(ID, ChangesetKey.of(changeSet), message);
                    findings.add(context.at(
                            finding.withHint(
                                    "add a <rollback> block (YAML: rollback:, SQL: --rollback)" + " that undoes it"),
                            changeSet));
                    break;
                }
            }
        }
        return findings;
    }
}
