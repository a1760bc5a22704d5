package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.UniqueKey;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import liquibase.change.Change;
import liquibase.change.core.CreateTableChange;
import liquibase.changelog.ChangeSet;

/** Lint rule {@value #ID}: a unique key added to a table that exists in production, without a precondition. */
final class UniqueWithoutDataCheck implements LintRule {

    static final String ID = "smoke.lint.unique-without-data-check";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(LintContext context) {
        List<Finding> findings = new ArrayList<>();
        Set<String> newTables = new HashSet<>();
        for (ChangeSet changeSet : context.selected()) {
            boolean isReleased = context.released().containsKey(ChangesetKey.of(changeSet));
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
                    findings.add(context.at(
                            Finding.warning(
                                            ID,
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
        return findings;
    }
}
