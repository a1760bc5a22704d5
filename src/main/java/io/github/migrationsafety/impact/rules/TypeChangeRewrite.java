package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.CatalogDiff.ColumnChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #ID}: a column's type changed ({@code atttypid}/{@code atttypmod}) and the same change rewrote the table
 * (its {@code relfilenode} changed). varchar to text and varchar widening change the type without a rewrite and are
 * not reported.
 */
public final class TypeChangeRewrite implements ImpactRule {

    public static final String ID = "smoke.impact.type-change-rewrite";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (ColumnChange changed : Rewrites.typeChanges(change)) {
                String table = changed.table().name();
                if (!context.inProduction(change, changed.table()) || !context.survives(changed.table())) {
                    continue;
                }
                findings.add(context.warning(
                        ID,
                        "changes " + table + "." + changed.name() + " from "
                                + changed.before().type() + " to "
                                + changed.after().type() + ", which rewrites the whole table" + context.held(table),
                        "add a new column of the new type, backfill it in batches, switch the application, then drop"
                                + " the old column in a later release"));
                break; // one rewrite, one finding, however many columns changed with it
            }
        }
        return findings;
    }
}
