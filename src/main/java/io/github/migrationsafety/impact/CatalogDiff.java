package io.github.migrationsafety.impact;

import io.github.migrationsafety.impact.Catalog.Column;
import io.github.migrationsafety.impact.Catalog.Constraint;
import io.github.migrationsafety.impact.Catalog.EnumLabel;
import io.github.migrationsafety.impact.Catalog.Index;
import io.github.migrationsafety.impact.Catalog.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one change did to the schema, read from the catalog before and after it: whatever spelled the change
 * ({@code <sql>}, {@code sqlFile}, a formatted-SQL changelog, a {@code customChange} or a Liquibase change type),
 * the same effect gives the same diff. Tables, columns and enum labels are matched by oid and attnum, so a rename is
 * a rename; indexes and constraints by oid, then by name on the same table, because PostgreSQL rebuilds them under
 * new oids when a column's type changes.
 */
public record CatalogDiff(
        List<TableChange> newIndexes,
        List<TableChange> droppedIndexes,
        List<TableChange> reindexed,
        List<TableChange> newInvalidIndexes,
        List<ConstraintChange> newConstraints,
        List<ColumnChange> notNullSet,
        List<ColumnChange> typeChanged,
        List<ColumnChange> newColumns,
        List<ColumnChange> droppedColumns,
        List<ColumnChange> renamedColumns,
        List<Table> droppedTables,
        List<Table> renamedTables,
        List<Table> newTables,
        List<Table> rewritten,
        List<EnumChange> renamedEnumLabels) {

    /** An index of a table, as the table is after the change (before it, for a dropped one). */
    public record TableChange(Table table, Index index) {}

    /** A constraint of a table, as the table is after the change. */
    public record ConstraintChange(Table table, Constraint constraint) {}

    /** A column before and after the change ({@code before} null for a new one, {@code after} for a dropped one). */
    public record ColumnChange(Table table, Column before, Column after) {

        public String name() {
            return (after != null ? after : before).name();
        }
    }

    /** An enum label renamed. */
    public record EnumChange(EnumLabel before, EnumLabel after) {}

    /** The names of the indexes the change left INVALID. */
    List<String> newInvalidIndexNames() {
        return newInvalidIndexes.stream().map(i -> i.index().name()).toList();
    }

    static CatalogDiff of(Catalog before, Catalog after) {
        CatalogDiff diff = new CatalogDiff(
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>());
        for (Table was : before.tables().values()) {
            Table now = after.tables().get(was.oid());
            if (now == null) {
                diff.droppedTables.add(was);
            } else if (now != was) {
                diff.compare(was, now);
            }
        }
        for (Table now : after.tables().values()) {
            if (!before.tables().containsKey(now.oid())) {
                diff.newTables.add(now);
            }
        }
        for (EnumLabel was : before.enumLabels().values()) {
            EnumLabel now = after.enumLabels().get(was.oid());
            if (now != null && !now.label().equals(was.label())) {
                diff.renamedEnumLabels.add(new EnumChange(was, now));
            }
        }
        return diff;
    }

    private void compare(Table was, Table now) {
        if (!was.name().equals(now.name())) {
            renamedTables.add(now);
        }
        boolean rewrite = was.fileNode() != now.fileNode();
        if (rewrite) {
            rewritten.add(now);
        }
        for (Column column : was.columns().values()) {
            Column next = now.column(column.attnum());
            if (next == null) {
                droppedColumns.add(new ColumnChange(now, column, null));
                continue;
            }
            if (!next.name().equals(column.name())) {
                renamedColumns.add(new ColumnChange(now, column, next));
            }
            if (next.typeOid() != column.typeOid() || next.typeMod() != column.typeMod()) {
                typeChanged.add(new ColumnChange(now, column, next));
            }
            if (next.notNull() && !column.notNull()) {
                notNullSet.add(new ColumnChange(now, column, next));
            }
        }
        for (Column column : now.columns().values()) {
            if (was.column(column.attnum()) == null) {
                newColumns.add(new ColumnChange(now, null, column));
            }
        }
        Set<String> indexNamesBefore = new HashSet<>();
        was.indexes().values().forEach(i -> indexNamesBefore.add(i.name()));
        for (Index index : now.indexes().values()) {
            Index old = was.indexes().get(index.oid());
            if (old == null && !indexNamesBefore.contains(index.name())) {
                newIndexes.add(new TableChange(now, index));
            } else if (old != null && old.fileNode() != index.fileNode() && !rewrite) {
                reindexed.add(new TableChange(now, index));
            }
            // a partitioned table's index made ON ONLY the parent (the first step of building one without blocking
            // writes) stays invalid until every partition's is attached; PostgreSQL builds none concurrently there,
            // so no failed concurrent build left it so
            if (!index.valid() && !now.partitioned() && (old == null || old.valid())) {
                newInvalidIndexes.add(new TableChange(now, index));
            }
        }
        Set<String> indexNamesAfter = new HashSet<>();
        now.indexes().values().forEach(i -> indexNamesAfter.add(i.name()));
        for (Index index : was.indexes().values()) {
            if (!now.indexes().containsKey(index.oid()) && !indexNamesAfter.contains(index.name())) {
                droppedIndexes.add(new TableChange(was, index));
            }
        }
        Set<String> constraintNamesBefore = new HashSet<>();
        was.constraints().values().forEach(c -> constraintNamesBefore.add(c.name()));
        for (Constraint constraint : now.constraints().values()) {
            if (!was.constraints().containsKey(constraint.oid())
                    && !constraintNamesBefore.contains(constraint.name())) {
                newConstraints.add(new ConstraintChange(now, constraint));
            }
        }
    }

    /** Whether the change left the schema as it was. */
    public boolean isEmpty() {
        return newIndexes.isEmpty()
                && droppedIndexes.isEmpty()
                && reindexed.isEmpty()
                && newInvalidIndexes.isEmpty()
                && newConstraints.isEmpty()
                && notNullSet.isEmpty()
                && typeChanged.isEmpty()
                && newColumns.isEmpty()
                && droppedColumns.isEmpty()
                && renamedColumns.isEmpty()
                && droppedTables.isEmpty()
                && renamedTables.isEmpty()
                && newTables.isEmpty()
                && rewritten.isEmpty()
                && renamedEnumLabels.isEmpty();
    }
}
