package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Constraint;
import io.github.migrationsafety.impact.CatalogDiff.ConstraintChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;
import liquibase.change.core.AddForeignKeyConstraintChange;

/**
 * {@value #ID}: a foreign key added to a table production has and validated ({@code pg_constraint.convalidated}) in
 * the same transaction, which read every row under {@code ShareRowExclusiveLock} on both tables. Added
 * {@code NOT VALID} it is not validated, and {@code VALIDATE CONSTRAINT} of an existing one takes only
 * {@code ShareUpdateExclusiveLock}: neither is reported.
 */
public final class ConstraintValidated implements ImpactRule {

    public static final String ID = "smoke.impact.constraint-validated";

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
                TableImpact impact = context.impact(table);
                if (constraint.type() != 'f'
                        || !constraint.validated()
                        || !context.inProduction(change, added.table())
                        || impact == null
                        || !impact.scanned()) {
                    continue;
                }
                String validate = "<sql>ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint.name() + "</sql>";
                findings.add(context.warning(
                        ID,
                        "adds foreign key " + constraint.name() + " on " + table
                                + " and validates it in the same transaction" + context.held(table)
                                + ", reading every row",
                        (change.change() instanceof AddForeignKeyConstraintChange
                                        ? "<addForeignKeyConstraint ... validate=\"false\"/>"
                                        : "<sql>ALTER TABLE " + table + " ADD CONSTRAINT " + constraint.name() + " "
                                                + constraint.definition() + " NOT VALID</sql>")
                                + ", then in a later changeset " + validate
                                + " (it takes only ShareUpdateExclusiveLock)"));
            }
        }
        return findings;
    }
}
