package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.TableRef;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The validated names one dedupe run works with; only these reach SQL.
 *
 * @param table      the table
 * @param columns    all its columns, in table order
 * @param keys       the key columns
 * @param id         the row identifier
 * @param idIsPrimaryKey whether {@code id} is the table's one-column primary key (so it has an index)
 * @param keepColumn the time column of a newest/oldest keep rule, or {@code null}
 * @param where      the checked scope predicate, or {@code null}
 * @param dialect    the database's rules
 */
record DedupeTarget(
        TableRef table,
        List<ColumnRef> columns,
        List<ColumnRef> keys,
        ColumnRef id,
        boolean idIsPrimaryKey,
        ColumnRef keepColumn,
        String where,
        Dialect dialect) {

    String subject() {
        return table.display() + "(" + keys.stream().map(ColumnRef::name).collect(Collectors.joining(", ")) + ")";
    }

    String keyList(String alias) {
        return keys.stream().map(k -> alias + "." + k.sql()).collect(Collectors.joining(", "));
    }

    /** The columns that are neither the id nor a key, in table order: the report's last columns. */
    List<ColumnRef> others() {
        return columns.stream()
                .filter(c -> !c.name().equals(id.name())
                        && keys.stream().noneMatch(k -> k.name().equals(c.name())))
                .toList();
    }

    int indexOf(ColumnRef column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column.name())) {
                return i;
            }
        }
        throw new IllegalStateException("column " + column + " not in " + table);
    }
}
