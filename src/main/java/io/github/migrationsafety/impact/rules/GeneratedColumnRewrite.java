package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Column;
import io.github.migrationsafety.impact.CatalogDiff.ColumnChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #ID}: a serial, identity or stored generated column added to a table production has: PostgreSQL computes
 * it for every row and rewrites the table under {@code AccessExclusiveLock} (confirmed by the {@code relfilenode}).
 */
public final class GeneratedColumnRewrite implements ImpactRule {

    public static final String ID = "smoke.impact.generated-column-rewrite";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (ColumnChange added : Rewrites.added(change, Rewrites.Added.GENERATED)) {
                String table = added.table().name();
                if (!context.inProduction(change, added.table()) || !context.survives(added.table())) {
                    continue;
                }
                Column column = added.after();
                String kind = column.storedGenerated()
                        ? "a stored generated column"
                        : column.identity() ? "an identity column" : "a serial column";
                findings.add(context.warning(
                        ID,
                        "adds " + kind + " " + column.name() + " to " + table + ", computed for every row, which"
                                + " rewrites the whole table" + context.held(table),
                        column.storedGenerated()
                                ? "add a plain nullable column, fill it in batches and keep it current with a trigger"
                                        + " (or compute it in the application or a view)"
                                : "add a plain nullable column, create the sequence and set the column's default to"
                                        + " nextval() (new rows only), fill the existing rows in batches, then add NOT"
                                        + " NULL the safe way"));
                break;
            }
        }
        return findings;
    }
}
