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
 * {@value #ID}: a CHECK constraint added to a table production has and validated when added: PostgreSQL reads every
 * row under {@code AccessExclusiveLock}. Added {@code NOT VALID} ({@code convalidated} false) it only checks new
 * rows, and {@code VALIDATE CONSTRAINT} later takes {@code ShareUpdateExclusiveLock}.
 */
public final class CheckValidated implements ImpactRule {

    public static final String ID = "smoke.impact.check-validated";

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
                if (constraint.type() != 'c'
                        || !constraint.validated()
                        || !context.inProduction(change, added.table())
                        || lock == null
                        || !lock.blocksWrites()) {
                    continue;
                }
                findings.add(context.warning(
                        ID,
                        "adds check constraint " + constraint.name() + " " + constraint.definition() + " on " + table
                                + " and validates it at once" + context.held(table) + ": every row is read while "
                                + (lock.blocksReads() ? "reads and writes" : "writes") + " of " + table + " wait",
                        "<sql>ALTER TABLE " + table + " ADD CONSTRAINT " + constraint.name() + " "
                                + constraint.definition() + " NOT VALID</sql>, then in a later changeset <sql>ALTER"
                                + " TABLE " + table + " VALIDATE CONSTRAINT " + constraint.name()
                                + "</sql> (it takes only ShareUpdateExclusiveLock)"));
            }
        }
        return findings;
    }
}
