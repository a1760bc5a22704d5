package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Table;
import io.github.migrationsafety.impact.CatalogDiff.TableChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.impact.LockMode;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #ID}: an index of a table production has rebuilt in place (same index, new {@code relfilenode}, the table
 * not rewritten) under a lock that blocks writes to the table: {@code REINDEX} without {@code CONCURRENTLY}.
 */
public final class ReindexNotConcurrent implements ImpactRule {

    public static final String ID = "smoke.impact.reindex-not-concurrent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (TableChange rebuilt : change.diff().reindexed()) {
                Table table = rebuilt.table();
                LockMode lock = change.lockOn(table);
                if (!context.inProduction(change, table) || lock == null || !lock.blocksWrites()) {
                    continue;
                }
                findings.add(context.warning(
                        ID,
                        "rebuilds index " + rebuilt.index().name() + " of " + table.name() + " without CONCURRENTLY"
                                + context.held(table.name()) + ": writes to " + table.name()
                                + " wait for the whole build",
                        context.ownUnit(
                                        "",
                                        false,
                                        "REINDEX INDEX CONCURRENTLY "
                                                + rebuilt.index().name())
                                + " (PostgreSQL 12+)"));
            }
        }
        return findings;
    }
}
