package io.github.migrationsafety.smoke;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shape of the current schema read through JDBC metadata: tables, columns with type and nullability,
 * primary keys, unique and plain indexes, foreign keys. Liquibase's own tables are left out. Generated
 * constraint and index names differ from run to run, so indexes and keys are compared by their columns.
 * Every element is one line of text, which makes differences easy to show.
 *
 * @param lines one line per schema element, sorted
 */
public record SchemaSnapshot(SortedSet<String> lines) {

    public static SchemaSnapshot of(Connection connection) throws SQLException {
        SortedSet<String> lines = new TreeSet<>();
        for (String table : tables(connection)) {
            lines.addAll(tableLines(connection, table));
        }
        return new SchemaSnapshot(lines);
    }

    /** The names of the schema's tables as the database spells them, Liquibase's own left out. */
    static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = connection
                .getMetaData()
                .getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME");
                if (!table.toUpperCase(Locale.ROOT).startsWith("DATABASECHANGELOG")) {
                    tables.add(table);
                }
            }
        }
        return tables;
    }

    /**
     * The lines of one table: its own, its columns, keys and indexes, and its foreign keys (which name the tables
     * they reference). The table's name is escaped where the metadata takes a pattern, so that {@code a_b} reads no
     * column of a table {@code axb}: the lines of a table depend on that table alone (and, for its foreign keys,
     * on the tables it references).
     */
    static List<String> tableLines(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String catalog = connection.getCatalog();
        String schema = connection.getSchema();
        List<String> lines = new ArrayList<>();
        String t = table.toLowerCase(Locale.ROOT);
        lines.add("table " + t);
        try (ResultSet rs = meta.getColumns(catalog, schema, escaped(table, meta.getSearchStringEscape()), "%")) {
            while (rs.next()) {
                int size = rs.getInt("COLUMN_SIZE");
                lines.add("column " + t + "." + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + " "
                        + rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT) + (size > 0 ? "(" + size + ")" : "")
                        + (rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " not null" : " null"));
            }
        }
        Map<Integer, String> pk = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(catalog, schema, table)) {
            while (rs.next()) {
                pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        if (!pk.isEmpty()) {
            lines.add("primary key " + t + "(" + String.join(", ", pk.values()) + ")");
        }
        Map<String, Map<Integer, String>> indexColumns = new TreeMap<>();
        Map<String, Boolean> indexUnique = new TreeMap<>();
        try (ResultSet rs = meta.getIndexInfo(catalog, schema, table, false, false)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                String column = rs.getString("COLUMN_NAME");
                if (name == null || column == null) {
                    continue;
                }
                indexColumns
                        .computeIfAbsent(name, k -> new TreeMap<>())
                        .put(
                                (int) rs.getShort("ORDINAL_POSITION"),
                                column.toLowerCase(Locale.ROOT).replace("\"", ""));
                indexUnique.put(name, !rs.getBoolean("NON_UNIQUE"));
            }
        }
        String pkColumns = String.join(", ", pk.values());
        for (Map.Entry<String, Map<Integer, String>> index : indexColumns.entrySet()) {
            String columns = String.join(", ", index.getValue().values());
            boolean unique = indexUnique.get(index.getKey());
            if (unique && columns.equals(pkColumns)) {
                continue; // the primary key's own index
            }
            lines.add((unique ? "unique index " : "index ") + t + "(" + columns + ")");
        }
        Map<String, List<String>> fks = new TreeMap<>();
        try (ResultSet rs = meta.getImportedKeys(catalog, schema, table)) {
            while (rs.next()) {
                String key = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT) + "|" + rs.getString("FK_NAME");
                fks.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(rs.getString("FKCOLUMN_NAME").toLowerCase(Locale.ROOT) + "->"
                                + rs.getString("PKCOLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        for (Map.Entry<String, List<String>> fk : fks.entrySet()) {
            lines.add(foreignKeyPrefix(t, fk.getKey().substring(0, fk.getKey().indexOf('|'))) + " ("
                    + String.join(", ", fk.getValue()) + ")");
        }
        return lines;
    }

    /** How the line of a foreign key from {@code table} to {@code referenced} (both lower case) starts. */
    static String foreignKeyPrefix(String table, String referenced) {
        return "foreign key " + table + " -> " + referenced;
    }

    private static String escaped(String name, String escape) {
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    public SchemaSnapshot {
        lines = new TreeSet<>(lines);
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** What differs from {@code expected}: "+ line" for extra elements, "- line" for missing ones. */
    public List<String> differencesFrom(SchemaSnapshot expected) {
        List<String> out = new ArrayList<>();
        for (String line : expected.lines) {
            if (!lines.contains(line)) {
                out.add("- " + line);
            }
        }
        for (String line : lines) {
            if (!expected.lines.contains(line)) {
                out.add("+ " + line);
            }
        }
        return out;
    }

    /** Differences as one readable text, at most {@code limit} lines. */
    static String describe(List<String> differences, int limit) {
        List<String> shown = differences.stream().limit(limit).toList();
        String text = String.join("; ", shown);
        return differences.size() > limit ? text + "; ... " + (differences.size() - limit) + " more" : text;
    }
}
