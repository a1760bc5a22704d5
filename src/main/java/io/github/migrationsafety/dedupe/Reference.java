package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.TableRef;

/**
 * A foreign key of another table (or the same one) that points at the dedupe target's id column.
 *
 * @param name   the foreign key's name
 * @param table  the referencing table
 * @param column its referencing column
 * @param rowId  its single-column primary key, or {@code null}
 */
record Reference(String name, TableRef table, ColumnRef column, ColumnRef rowId) {

    String display() {
        return table.display() + "." + column.name();
    }
}
