package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.CatalogDiff.ColumnChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #ID}: a column added with a default that is evaluated per row ({@code random()}, {@code now()} is not: it
 * is stable, and PostgreSQL stores it once) and the change rewrote the table. A constant default is stored once
 * (PostgreSQL 11+) and not reported; serial, identity and generated columns are {@link GeneratedColumnRewrite}'s.
 */
public final class VolatileDefaultRewrite implements ImpactRule {

    public static final String ID = "smoke.impact.volatile-default-rewrite";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (ColumnChange added : Rewrites.added(change, Rewrites.Added.VOLATILE_DEFAULT)) {
                String table = added.table().name();
                if (!context.inProduction(change, added.table()) || !context.survives(added.table())) {
                    continue;
                }
                findings.add(context.warning(
                        ID,
                        "adds column " + added.name() + " to " + table + " whose default ("
                                + added.after().defaultExpression()
                                + ") is computed per row, which rewrites the whole table"
                                + context.held(table),
                        "add the column without a default (or with a constant one), then backfill in batches and"
                                + " set the default afterwards"));
                break;
            }
        }
        return findings;
    }
}
