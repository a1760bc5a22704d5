package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Index;
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
 * {@value #ID}: an index of a table production has dropped under {@code AccessExclusiveLock} on the table, which
 * {@code DROP INDEX} without {@code CONCURRENTLY} takes: it waits for every query on the table and blocks all that
 * come after. Indexes dropped with their constraint, their columns or their table are not reported (those changes
 * cannot be concurrent, and the drop of a column or table is reported as breaking).
 */
public final class DropIndexNotConcurrent implements ImpactRule {

    public static final String ID = "smoke.impact.drop-index-not-concurrent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (TableChange dropped : change.diff().droppedIndexes()) {
                Table table = dropped.table();
                Index index = dropped.index();
                LockMode lock = change.lockOn(table);
                if (!context.inProduction(change, table)
                        || lock != LockMode.ACCESS_EXCLUSIVE
                        || backedConstraint(table, index)
                        || onDroppedColumn(change, table, index)) {
                    continue;
                }
                findings.add(context.warning(
                        ID,
                        "drops index " + index.name() + " of " + table.name() + " without CONCURRENTLY"
                                + context.held(table.name()) + ": it waits for every query on " + table.name()
                                + ", and reads and writes queue behind it",
                        table.partitioned()
                                ? "PostgreSQL cannot drop an index of a partitioned table concurrently: drop it in a"
                                        + " changeset that first runs <sql>SET LOCAL lock_timeout = '5s'</sql>"
                                : context.ownUnit("", false, "DROP INDEX CONCURRENTLY " + index.name())));
            }
        }
        return findings;
    }

    private static boolean backedConstraint(Table table, Index index) {
        return table.constraints().values().stream().anyMatch(c -> c.index() == index.oid() && c.type() != 'f');
    }

    private static boolean onDroppedColumn(ChangeEffect change, Table table, Index index) {
        return change.diff().droppedColumns().stream()
                .anyMatch(c -> c.table().oid() == table.oid()
                        && index.keys().contains(c.before().attnum()));
    }
}
