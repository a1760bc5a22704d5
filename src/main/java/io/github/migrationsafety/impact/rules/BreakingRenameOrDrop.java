package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Table;
import io.github.migrationsafety.impact.CatalogDiff.ColumnChange;
import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #ID}: a table production has, or one of its columns, renamed or dropped (matched in the catalog by oid and
 * attnum before and after the change): the application version still running during a rolling deploy uses the old
 * name. Columns of a table dropped with it are not reported again.
 */
public final class BreakingRenameOrDrop implements ImpactRule {

    public static final String ID = "smoke.impact.breaking-rename-or-drop";

    private static final String HINT = "expand and contract: add the new table or column, deploy code that uses both,"
            + " and drop or rename the old one in a later release";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeEffect change : context.changes()) {
            for (Table renamed : change.diff().renamedTables()) {
                String old = change.tableBefore(renamed.oid()).name();
                if (context.inProduction(change, renamed)) {
                    findings.add(finding(context, "renames table " + old + " to " + renamed.name()));
                }
            }
            for (Table dropped : change.diff().droppedTables()) {
                if (context.inProduction(dropped.name())) {
                    findings.add(finding(context, "drops table " + dropped.name()));
                }
            }
            for (ColumnChange renamed : change.diff().renamedColumns()) {
                if (context.inProduction(change, renamed.table())) {
                    findings.add(finding(
                            context,
                            "renames column " + renamed.table().name() + "."
                                    + renamed.before().name() + " to "
                                    + renamed.after().name()));
                }
            }
            List<String> dropped = new ArrayList<>();
            Table from = null;
            for (ColumnChange column : change.diff().droppedColumns()) {
                if (context.inProduction(change, column.table())) {
                    from = column.table();
                    dropped.add(column.before().name());
                }
            }
            if (from != null) {
                findings.add(finding(context, "drops column " + from.name() + "." + String.join(", ", dropped)));
            }
        }
        return findings;
    }

    private static Finding finding(ChangesetContext context, String what) {
        return context.warning(
                ID, what + ": the application version still running during a rolling deploy uses the old name", HINT);
    }
}
