package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Column;
import io.github.migrationsafety.impact.Catalog.Table;
import io.github.migrationsafety.impact.CatalogDiff.EnumChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #ID}: a label of an enum type that a column of a production table uses was renamed
 * ({@code ALTER TYPE … RENAME VALUE}, matched by the label's oid). It takes no table lock and rewrites nothing, but the
 * application version still running during a rolling deploy writes and expects the old label, which no longer
 * exists. {@code ALTER TYPE … ADD VALUE} is not reported: on PostgreSQL 12+ it runs inside a transaction, takes no
 * table lock and rewrites nothing (a use of the new label in the same transaction fails, so the smoke run fails on
 * it first).
 */
public final class EnumValueRenamed implements ImpactRule {

    public static final String ID = "smoke.impact.enum-value-renamed";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (EnumChange renamed : change.diff().renamedEnumLabels()) {
                List<String> users = new ArrayList<>();
                for (Table table : change.before().tables().values()) {
                    for (Column column : table.columns().values()) {
                        if (column.typeOid() == renamed.before().typeOid() && context.inProduction(table.name())) {
                            users.add(table.name() + "." + column.name());
                        }
                    }
                }
                if (users.isEmpty()) {
                    continue;
                }
                findings.add(context.warning(
                        ID,
                        "renames value '" + renamed.before().label() + "' of enum "
                                + renamed.before().typeName()
                                + " to '" + renamed.after().label() + "', used by " + String.join(", ", users)
                                + ": the application version still running during a rolling deploy writes and reads"
                                + " the old value",
                        "expand and contract: <sql>ALTER TYPE "
                                + renamed.before().typeName() + " ADD VALUE '"
                                + renamed.after().label() + "'</sql>, deploy code that accepts both, update the rows"
                                + " in batches, and stop using the old value in a later release"));
            }
        }
        return findings;
    }
}
