package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Constraint;
import io.github.migrationsafety.impact.Catalog.Index;
import io.github.migrationsafety.impact.Catalog.Table;
import io.github.migrationsafety.impact.CatalogDiff.ConstraintChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * {@value #ID}: a foreign key added to a table production has, with no index on its referencing columns when the
 * changeset ends (no valid, non-partial index whose leading columns are the key's, in any order). Every delete of a
 * referenced row, and every update of its key, then reads the whole referencing table, under the locks of both.
 */
public final class ForeignKeyWithoutIndex implements ImpactRule {

    public static final String ID = "smoke.impact.foreign-key-without-index";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        List<ChangeEffect> changes = context.changes();
        if (changes.isEmpty()) {
            return findings;
        }
        ChangeEffect last = changes.get(changes.size() - 1);
        for (ChangeEffect change : changes) {
            for (ConstraintChange added : change.diff().newConstraints()) {
                Constraint constraint = added.constraint();
                Table table = last.after().tables().get(added.table().oid());
                if (constraint.type() != 'f' || table == null || !context.inProduction(change, added.table())) {
                    continue;
                }
                if (indexed(table, constraint)) {
                    continue;
                }
                List<String> columns = table.columnNames(constraint.columns());
                String referenced = change.tableName(constraint.referenced());
                String name = table.name() + "_" + String.join("_", columns) + "_idx";
                findings.add(context.warning(
                        ID,
                        "adds foreign key " + constraint.name() + " on " + table.name() + "("
                                + String.join(", ", columns)
                                + ") with no index on those columns: every delete from " + referenced
                                + " (and every change of its key) reads the whole of " + table.name(),
                        "index the referencing columns first: "
                                + context.ownUnit(
                                        "-index",
                                        false,
                                        "CREATE INDEX CONCURRENTLY " + name + " ON " + table.name() + " ("
                                                + String.join(", ", columns) + ")")));
            }
        }
        return findings;
    }

    private static boolean indexed(Table table, Constraint key) {
        for (Index index : table.indexes().values()) {
            if (!index.valid()
                    || index.partial()
                    || index.keys().size() < key.columns().size()) {
                continue;
            }
            if (new HashSet<>(index.keys().subList(0, key.columns().size())).equals(new HashSet<>(key.columns()))) {
                return true;
            }
        }
        return false;
    }
}
