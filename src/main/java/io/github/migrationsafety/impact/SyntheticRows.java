package io.github.migrationsafety.impact;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fills a PostgreSQL table with rows consistent with its schema, generated in the database: every value derived
 * from the row number, so primary and unique keys hold and NOT NULL columns have values; a non-null foreign key
 * points at a parent row, and the parent is filled first when it is empty. Nullable foreign keys stay NULL.
 */
public final class SyntheticRows {

    private static final String COLUMNS = "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
            + " t.typname, CASE WHEN a.atttypmod > 4 AND t.typname IN ('varchar', 'bpchar') THEN a.atttypmod - 4"
            + " ELSE NULL END, a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> ''"
            + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
            + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
    private static final String FOREIGN_KEYS = "SELECT a.attname, c.confrelid::regclass::text, pa.attname"
            + " FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            + " JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]"
            + " WHERE c.conrelid = ?::regclass AND c.contype = 'f' AND array_length(c.conkey, 1) = 1";

    private final Connection connection;

    public SyntheticRows(Connection connection) {
        this.connection = connection;
    }

    /** Adds {@code rows} rows to the table named {@code relname} (as the catalog stores it, in the search path). */
    public void fill(String relname, long rows) throws SQLException {
        fill(relname, rows, Map.of());
    }

    /**
     * Adds {@code rows} rows, the values of the columns in {@code wrapped} (column name, as the catalog stores it, to
     * a count n) made from the row number taken modulo n, 1 to n: as a parent filled with n rows has them, so a
     * foreign key over those columns to that parent holds.
     */
    public void fill(String relname, long rows, Map<String, Long> wrapped) throws SQLException {
        Map<String, Long> lower = new HashMap<>();
        wrapped.forEach((column, n) -> lower.put(column.toLowerCase(Locale.ROOT), n));
        fill(quote(relname), rows, new HashSet<>(), lower);
    }

    private void fill(String table, long rows, Set<String> filling, Map<String, Long> wrapped) throws SQLException {
        if (!filling.add(table.toLowerCase(Locale.ROOT))) {
            return;
        }
        Map<String, String[]> foreignKeys = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(FOREIGN_KEYS)) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    foreignKeys.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(1);
                    boolean notNull = rs.getBoolean(3);
                    boolean hasDefault = rs.getBoolean(6);
                    String[] parent = foreignKeys.get(column);
                    if (parent != null) {
                        if (!notNull) {
                            continue;
                        }
                        long parentRows = count(parent[0]);
                        if (parentRows == 0) {
                            fill(parent[0], rows, filling, Map.of());
                            parentRows = rows;
                        }
                        // row g points at the parent's ((g - 1) % parentRows + 1)-th row: a hash join, not a lookup per
                        // row
                        String alias = "p" + joins.size();
                        joins.add(" JOIN (SELECT " + quote(parent[1]) + " AS k, row_number() OVER () AS rn FROM "
                                + parent[0] + ") " + alias + " ON " + alias + ".rn = (g - 1) % " + parentRows + " + 1");
                        names.add(quote(column));
                        values.add(alias + ".k");
                        continue;
                    }
                    if (hasDefault && !notNull) {
                        continue;
                    }
                    Long wrap = wrapped.get(column.toLowerCase(Locale.ROOT));
                    String value = value(
                            rs.getString(4),
                            rs.getString(2),
                            rs.getObject(5) == null ? 0 : rs.getInt(5),
                            wrap == null ? "g" : "((g - 1) % " + wrap + " + 1)");
                    if (value == null) {
                        if (notNull && !hasDefault) {
                            throw new SQLException("cannot make up values of type " + rs.getString(2) + " for " + table
                                    + "." + column);
                        }
                        continue;
                    }
                    names.add(quote(column));
                    values.add(value);
                }
            }
        }
        long offset = count(table);
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + table + " (" + String.join(", ", names) + ") SELECT "
                    + String.join(", ", values) + " FROM generate_series(" + (offset + 1) + ", " + (offset + rows)
                    + ") g" + String.join("", joins));
            statement.execute("ANALYZE " + table);
        }
    }

    /**
     * A SQL expression of the row number {@code g} (an expression of it) that fits the type, or {@code null} for one
     * we cannot make up.
     */
    private static String value(String typeName, String formatted, int length, String g) {
        String text = length > 0 ? "right('v' || " + g + ", " + length + ")" : "'v' || " + g;
        return switch (typeName) {
            case "int2" -> "(" + g + " % 32000)::smallint";
            case "int4", "int8", "numeric", "float4", "float8", "oid" -> g + "::" + formatted;
            case "varchar", "bpchar", "text", "name", "citext" -> text + "::" + formatted;
            case "bool" -> g + " % 2 = 0";
            case "date" -> "date '2020-01-01' + (" + g + " % 3650)::int";
            case "timestamp", "timestamptz" -> "timestamp '2020-01-01' + " + g + " * interval '1 second'";
            case "time", "timetz" -> "time '00:00' + (" + g + " % 86400) * interval '1 second'";
            case "uuid" -> "md5(" + g + "::text)::uuid";
            case "bytea" -> "decode(md5(" + g + "::text), 'hex')";
            case "json", "jsonb" -> "json_build_object('n', " + g + ")::" + formatted;
            default -> null;
        };
    }

    private long count(String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
