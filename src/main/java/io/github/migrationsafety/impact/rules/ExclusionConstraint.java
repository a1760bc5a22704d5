package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Constraint;
import io.github.migrationsafety.impact.CatalogDiff.ConstraintChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.impact.LockMode;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #ID}: an exclusion constraint added to a table production has. PostgreSQL builds its index under
 * {@code AccessExclusiveLock}, and has no online way: neither {@code NOT VALID} nor {@code USING INDEX} exists for
 * exclusion constraints.
 */
public final class ExclusionConstraint implements ImpactRule {

    public static final String ID = "smoke.impact.exclusion-constraint";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (ConstraintChange added : change.diff().newConstraints()) {
                Constraint constraint = added.constraint();
                String table = added.table().name();
                LockMode lock = change.lockOn(added.table());
                if (constraint.type() != 'x' || !context.inProduction(change, added.table()) || lock == null) {
                    continue;
                }
                findings.add(context.warning(
                        ID,
                        "adds exclusion constraint " + constraint.name() + " on " + table + " and builds its index"
                                + " under " + lock.pgName() + context.held(table) + ": "
                                + (lock.blocksReads() ? "reads and writes" : "writes") + " of " + table
                                + " stop for the whole build",
                        "PostgreSQL cannot add an exclusion constraint concurrently or NOT VALID: add it when the"
                                + " table is created, or run this changeset in a maintenance window with <sql>SET LOCAL"
                                + " lock_timeout = '5s'</sql> first; a table that must stay online can move to a new"
                                + " table that has the constraint from the start"));
            }
        }
        return findings;
    }
}
