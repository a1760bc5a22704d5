package io.github.migrationsafety.smoke;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the schema table by table for {@link RollbackSteps}, reading again only the tables a step can have changed.
 * Apart from the rollback check so that the check holds what it compares and this class how a schema is read and
 * shared between steps.
 */
final class SchemaTables {

    private final Connection connection;

    /** The foreign key lines of each table's lines, by the identity of the (unmodifiable) list. */
    private final Map<List<String>, List<String>> foreignKeys = new IdentityHashMap<>();

    private final Map<List<String>, List<String>> canonical = new HashMap<>();

    SchemaTables(Connection connection) {
        this.connection = connection;
    }

    /**
     * The schema after a step: {@code before}'s lines of the tables the step cannot have changed, the others read
     * again. {@code changed} holds lower-case table names; {@code null} reads every table. Equal lines are one list
     * (see {@link #canonical}), so that comparing two schemas skips the tables whose lines are the same. When a table's lines changed or it is
     * gone, the tables whose foreign keys reference it are read again too: a foreign key's line names the table it
     * references and that table's columns.
     */
    Map<String, List<String>> read(Map<String, List<String>> before, Set<String> changed) throws SQLException {
        Map<String, List<String>> after = new HashMap<>();
        Set<String> affected = new HashSet<>();
        for (String table : SchemaSnapshot.tables(connection)) {
            List<String> lines = before.get(table);
            if (changed == null || lines == null || changed.contains(table.toLowerCase(Locale.ROOT))) {
                List<String> now = canonical(SchemaSnapshot.tableLines(connection, table));
                if (now != lines) {
                    affected.add(table.toLowerCase(Locale.ROOT));
                    lines = now;
                }
            }
            after.put(table, lines);
        }
        if (changed == null) {
            return after;
        }
        before.keySet().stream()
                .filter(table -> !after.containsKey(table))
                .forEach(table -> affected.add(table.toLowerCase(Locale.ROOT)));
        if (affected.isEmpty()) {
            return after;
        }
        for (Map.Entry<String, List<String>> table : after.entrySet()) {
            String name = table.getKey().toLowerCase(Locale.ROOT);
            if (changed.contains(name) || !references(name, table.getValue(), affected)) {
                continue;
            }
            table.setValue(canonical(SchemaSnapshot.tableLines(connection, table.getKey())));
        }
        return after;
    }

    /** One list per content: equal lines read at two steps are the same list, which a comparison skips. */
    private List<String> canonical(List<String> lines) {
        return canonical.computeIfAbsent(List.copyOf(lines), l -> l);
    }

    /** Whether one of the foreign keys in {@code lines} of table {@code name} references one of {@code tables}. */
    private boolean references(String name, List<String> lines, Set<String> tables) {
        for (String line : foreignKeys.computeIfAbsent(lines, SchemaTables::foreignKeyLines)) {
            for (String table : tables) {
                if (line.startsWith(SchemaSnapshot.foreignKeyPrefix(name, table) + " (")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> foreignKeyLines(List<String> lines) {
        return lines.stream().filter(line -> line.startsWith("foreign key ")).toList();
    }
}
