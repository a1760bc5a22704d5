package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.CatalogDiff.ColumnChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #ID}: a column of a table production has became NOT NULL ({@code attnotnull}) and the table was read in
 * full to check it. With a validated {@code CHECK (col IS NOT NULL)} PostgreSQL 12+ skips the scan, and the rule
 * stays silent.
 */
public final class NotNullScan implements ImpactRule {

    public static final String ID = "smoke.impact.not-null-scan";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (ColumnChange set : change.diff().notNullSet()) {
                String table = set.table().name();
                TableImpact impact = context.impact(table);
                if (!context.inProduction(change, set.table()) || impact == null || !impact.scanned()) {
                    continue;
                }
                String column = set.name();
                String check = "<sql>ALTER TABLE " + table + " ADD CONSTRAINT " + column + "_not_null CHECK (" + column
                        + " IS NOT NULL) NOT VALID</sql>, then in a later changeset <sql>ALTER TABLE " + table
                        + " VALIDATE CONSTRAINT " + column + "_not_null</sql>; then ";
                findings.add(context.warning(
                        ID,
                        "sets " + table + "." + column + " NOT NULL by reading every row" + context.held(table),
                        check
                                + (change.isSql()
                                        ? "<sql>ALTER TABLE " + table + " ALTER COLUMN " + column
                                                + " SET NOT NULL</sql>"
                                        : "<addNotNullConstraint>")
                                + " no longer scans (PostgreSQL 12+) and the check can be dropped"));
            }
        }
        return findings;
    }
}
