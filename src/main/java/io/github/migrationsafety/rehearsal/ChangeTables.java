package io.github.migrationsafety.rehearsal;

import liquibase.change.Change;
import liquibase.change.core.AddColumnChange;
import liquibase.change.core.AddForeignKeyConstraintChange;
import liquibase.change.core.AddNotNullConstraintChange;
import liquibase.change.core.AddPrimaryKeyChange;
import liquibase.change.core.AddUniqueConstraintChange;
import liquibase.change.core.CreateIndexChange;
import liquibase.change.core.DropColumnChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.ModifyDataTypeChange;
import liquibase.change.core.RenameColumnChange;
import liquibase.change.core.RenameTableChange;

/**
 * What a Liquibase change works on, as the rehearsal names it when a pending changeset fails after an applied one:
 * its table and a sentence for a rename or drop. (The impact rules decide by the traced effect instead.)
 */
final class ChangeTables {

    private ChangeTables() {}

    /** "renames column t.a to b" and the like, for a rename or drop. */
    static String describe(Change change) {
        if (change instanceof RenameTableChange rename) {
            return "renames table " + rename.getOldTableName() + " to " + rename.getNewTableName();
        }
        if (change instanceof RenameColumnChange rename) {
            return "renames column " + rename.getTableName() + "." + rename.getOldColumnName() + " to "
                    + rename.getNewColumnName();
        }
        if (change instanceof DropTableChange drop) {
            return "drops table " + drop.getTableName();
        }
        DropColumnChange drop = (DropColumnChange) change;
        return "drops column " + drop.getTableName() + "."
                + (drop.getColumnName() != null
                        ? drop.getColumnName()
                        : String.join(
                                ", ",
                                drop.getColumns().stream().map(c -> c.getName()).toList()));
    }

    /** The table the change works on (for a foreign key, the referencing one), or {@code null} for other changes. */
    static String table(Change change) {
        if (change instanceof CreateIndexChange c) {
            return c.getTableName();
        } else if (change instanceof AddUniqueConstraintChange c) {
            return c.getTableName();
        } else if (change instanceof AddPrimaryKeyChange c) {
            return c.getTableName();
        } else if (change instanceof AddNotNullConstraintChange c) {
            return c.getTableName();
        } else if (change instanceof AddForeignKeyConstraintChange c) {
            return c.getBaseTableName();
        } else if (change instanceof ModifyDataTypeChange c) {
            return c.getTableName();
        } else if (change instanceof AddColumnChange c) {
            return c.getTableName();
        } else if (change instanceof RenameTableChange c) {
            return c.getOldTableName();
        } else if (change instanceof RenameColumnChange c) {
            return c.getTableName();
        } else if (change instanceof DropTableChange c) {
            return c.getTableName();
        } else if (change instanceof DropColumnChange c) {
            return c.getTableName();
        }
        return null;
    }
}
