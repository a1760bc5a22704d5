package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Constraint;
import io.github.migrationsafety.impact.Catalog.Table;
import io.github.migrationsafety.impact.CatalogDiff.ConstraintChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.impact.LockMode;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #ID}: a unique constraint or primary key added to a table production has whose index was built by the same
 * change, under {@code AccessExclusiveLock}. One added {@code USING INDEX} an index built before (concurrently) builds
 * nothing and is not reported.
 */
public final class UniqueConstraintLock implements ImpactRule {

    public static final String ID = "smoke.impact.unique-constraint-lock";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (ConstraintChange added : change.diff().newConstraints()) {
                Table table = added.table();
                Constraint constraint = added.constraint();
                if ((constraint.type() != 'u' && constraint.type() != 'p')
                        || !context.inProduction(change, table)
                        || change.lockOn(table) != LockMode.ACCESS_EXCLUSIVE
                        || change.diff().newIndexes().stream()
                                .noneMatch(i -> i.index().oid() == constraint.index())) {
                    continue;
                }
                boolean unique = constraint.type() == 'u';
                String columns = String.join(", ", table.columnNames(constraint.columns()));
                String name = constraint.name();
                findings.add(context.warning(
                        ID,
                        "adds " + (unique ? "a unique constraint" : "a primary key") + " on " + table.name() + "("
                                + columns + ") and builds its index under AccessExclusiveLock"
                                + context.held(table.name()) + ": reads and writes of " + table.name()
                                + " stop for the whole build",
                        "build the index first, concurrently, then attach it: "
                                + context.ownUnit(
                                        "-index",
                                        false,
                                        "CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table.name() + " ("
                                                + columns + ")")
                                + " "
                                + context.ownUnit(
                                        "",
                                        true,
                                        "ALTER TABLE " + table.name() + " ADD CONSTRAINT " + name
                                                + (unique ? " UNIQUE" : " PRIMARY KEY") + " USING INDEX " + name)));
            }
        }
        return findings;
    }
}
