package io.github.migrationsafety.impact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@link ImpactTracer} saw of one changeset (or Flyway migration): its per-table impacts, and what each change did.
 *
 * @param tablesBefore the tables (lower case) that existed before the changeset
 * @param changes      one entry per change, in order; empty when a catalog read failed
 */
public record ChangesetTrace(
        String changeset,
        boolean inTransaction,
        String lockTimeout,
        List<TableImpact> tables,
        List<String> invalidIndexes,
        Set<String> tablesBefore,
        List<ChangeEffect> changes) {

    /**
     * The tables a foreign key this changeset added on {@code table} points at, as the catalog names them (lower
     * case), each with {@code table}'s referencing columns: by what it did, whatever the SQL's spelling.
     */
    public Map<String, List<String>> referencedBy(String table) {
        Map<String, List<String>> parents = new LinkedHashMap<>();
        for (ChangeEffect change : changes) {
            for (CatalogDiff.ConstraintChange added : change.diff().newConstraints()) {
                Catalog.Table child = change.after().tables().get(added.table().oid());
                if (added.constraint().type() != 'f'
                        || child == null
                        || !child.name().equalsIgnoreCase(table)) {
                    continue;
                }
                String parent = change.tableName(added.constraint().referenced());
                if (parent != null) {
                    parents.computeIfAbsent(parent.toLowerCase(Locale.ROOT), p -> new ArrayList<>())
                            .addAll(child.columnNames(added.constraint().columns()));
                }
            }
        }
        return parents;
    }
}
