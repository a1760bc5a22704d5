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
 * {@value #ID}: a new index on a table production has, built under a lock that blocks writes ({@code ShareLock}):
 * {@code CREATE INDEX} without {@code CONCURRENTLY}, however it was written. Indexes that back a new constraint are
 * {@link UniqueConstraintLock}'s; the indexes PostgreSQL builds on each partition for an index on a partitioned table
 * are reported once, on the partitioned table, whose fix differs: PostgreSQL refuses {@code CONCURRENTLY} there.
 */
public final class IndexNotConcurrent implements ImpactRule {

    public static final String ID = "smoke.impact.index-not-concurrent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (TableChange built : change.diff().newIndexes()) {
                Table table = built.table();
                Index index = built.index();
                LockMode lock = change.lockOn(table);
                if (!context.inProduction(change, table)
                        || lock == null
                        || !lock.blocksWrites()
                        || backsConstraint(table, index)
                        || partitionOfNewIndex(change, table)
                        || parentOnly(table, index)) {
                    continue;
                }
                findings.add(context.warning(
                        ID,
                        "builds index " + index.name() + " on existing table " + table.name()
                                + " without CONCURRENTLY" + context.held(table.name()) + ": writes to "
                                + table.name() + " wait for the whole build",
                        table.partitioned() ? partitionedHint(context, index, table) : hint(context, index)));
            }
        }
        return findings;
    }

    private static String hint(ChangesetContext context, Index index) {
        return context.ownUnit("", false, Hints.concurrently(index));
    }

    /** CONCURRENTLY is refused on a partitioned table: an invalid index on the parent, built per partition, attached. */
    private static String partitionedHint(ChangesetContext context, Index index, Table table) {
        return "PostgreSQL cannot build an index on partitioned table " + table.name() + " CONCURRENTLY; create it on"
                + " the parent only (instant, it stays invalid), build it concurrently on each partition and attach"
                + " those: " + context.ownUnit("", true, Hints.onOnly(index, table))
                + " then per partition "
                + context.ownUnit(
                        "-<partition>",
                        false,
                        "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + index.name()
                                + "_<partition> ON <partition> " + Hints.columns(index))
                + " and "
                + context.ownUnit(
                        "-attach-<partition>",
                        true,
                        "ALTER INDEX " + index.name() + " ATTACH PARTITION " + index.name() + "_<partition>")
                + "; the parent's index becomes valid once every partition's is attached";
    }

    private static boolean backsConstraint(Table table, Index index) {
        return table.constraints().values().stream().anyMatch(c -> c.index() == index.oid() && c.type() != 'f');
    }

    /**
     * An index made ON ONLY a partitioned table, invalid until each partition's is attached: it reads no row and is
     * the first step of {@link #partitionedHint}'s fix.
     */
    private static boolean parentOnly(Table table, Index index) {
        return table.partitioned() && !index.valid();
    }

    /** A partition's share of an index the same change built on its partitioned parent. */
    private static boolean partitionOfNewIndex(ChangeEffect change, Table table) {
        return table.parent() != 0
                && change.diff().newIndexes().stream().anyMatch(i -> i.table().oid() == table.parent());
    }
}
