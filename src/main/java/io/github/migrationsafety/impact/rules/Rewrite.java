package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #ID}: a table production has was rewritten (its {@code relfilenode} changed) and no type change or added
 * column of the changeset explains it ({@code VACUUM FULL}, {@code CLUSTER}, {@code ALTER TABLE … SET LOGGED}, …).
 * Reported once per table.
 */
public final class Rewrite implements ImpactRule {

    public static final String ID = "smoke.impact.rewrite";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        if (context.trace() == null) {
            return findings;
        }
        for (TableImpact impact : context.trace().tables()) {
            if (impact.rewrite()
                    && context.inProduction(impact.table())
                    && !Rewrites.explained(context.changes(), impact.table())) {
                findings.add(context.warning(
                        ID,
                        "rewrites the whole table " + impact.table() + context.held(impact.table()),
                        "split the change so the table is not rewritten under lock: new column, batched backfill,"
                                + " switch"));
            }
        }
        return findings;
    }
}
