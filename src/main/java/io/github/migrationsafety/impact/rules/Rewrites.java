package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Column;
import io.github.migrationsafety.impact.Catalog.Table;
import io.github.migrationsafety.impact.CatalogDiff.ColumnChange;
import io.github.migrationsafety.impact.ChangeEffect;
import java.util.ArrayList;
import java.util.List;

/**
 * Which column change explains a rewrite the trace saw: a type change, or an added column whose value is computed per
 * row. A rewrite is reported once, on the change that explains it, or by {@link Rewrite} when nothing does.
 */
final class Rewrites {

    /** What kind of added column rewrites the table. */
    enum Added {
        NONE,
        VOLATILE_DEFAULT,
        GENERATED
    }

    private Rewrites() {}

    static boolean rewritten(ChangeEffect change, Table table) {
        return change.diff().rewritten().stream().anyMatch(t -> t.oid() == table.oid());
    }

    /** The type changes of this change on tables it rewrote. */
    static List<ColumnChange> typeChanges(ChangeEffect change) {
        List<ColumnChange> changes = new ArrayList<>();
        for (ColumnChange changed : change.diff().typeChanged()) {
            if (rewritten(change, changed.table())) {
                changes.add(changed);
            }
        }
        return changes;
    }

    /** The columns this change added, on tables it rewrote, that are of the given kind. */
    static List<ColumnChange> added(ChangeEffect change, Added kind) {
        List<ColumnChange> columns = new ArrayList<>();
        for (ColumnChange added : change.diff().newColumns()) {
            if (rewritten(change, added.table()) && kind(added.after()) == kind) {
                columns.add(added);
            }
        }
        return columns;
    }

    /**
     * A serial ({@code nextval} default), identity or stored generated column is computed for each row; another
     * default that rewrote the table is volatile (a constant one is stored once, PostgreSQL 11+).
     */
    static Added kind(Column column) {
        if (column.identity() || column.storedGenerated() || column.serial()) {
            return Added.GENERATED;
        }
        return column.defaultExpression() != null ? Added.VOLATILE_DEFAULT : Added.NONE;
    }

    /** Whether some change of the changeset explains the rewrite of this table. */
    static boolean explained(List<ChangeEffect> changes, String table) {
        for (ChangeEffect change : changes) {
            for (ColumnChange column : typeChanges(change)) {
                if (column.table().name().equalsIgnoreCase(table)) {
                    return true;
                }
            }
            for (ColumnChange column : change.diff().newColumns()) {
                if (column.table().name().equalsIgnoreCase(table)
                        && rewritten(change, column.table())
                        && kind(column.after()) != Added.NONE) {
                    return true;
                }
            }
        }
        return false;
    }
}
