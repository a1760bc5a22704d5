package io.github.migrationsafety.db;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validates configured table and column names against the database's own metadata.
 *
 * <p>Configuration never reaches SQL as text: a name is looked up among the tables or columns that
 * exist — exactly as written, then as the database would fold it unquoted (upper case in H2, lower case
 * in PostgreSQL), then case-insensitively if that is unambiguous — and SQL is built from the stored name,
 * quoted. Anything else, {@code name; drop table x} included, is rejected with the list of what exists.
 *
 * <p>A catalog serves one resolution: it reads a table's columns once and answers from that list after, so the goal's
 * start-up sends one metadata query per table, not one per configured column.
 */
public final class SchemaCatalog {

    private static final int LIST_LIMIT = 40;

    private final Connection connection;
    private final Dialect dialect;
    private final Map<TableRef, List<ColumnRef>> columnsRead = new HashMap<>();

    private SchemaCatalog(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    public static SchemaCatalog of(Connection connection) throws DatabaseException {
        try {
            return new SchemaCatalog(connection, Dialect.of(connection));
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Cannot read database metadata: " + e.getMessage()
                            + ". Check that the user in 'username' may read the database catalog (information_schema) and that the connection is still open.",
                    e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * Resolves a configured table name ({@code table} or {@code schema.table}).
     *
     * @param parameter the parameter the name came from, for the message
     */
    public TableRef table(String configured, String parameter) throws DatabaseException {
        if (configured == null || configured.isBlank()) {
            throw new DatabaseException("Parameter '" + parameter + "' is empty. Name a table, e.g. model_metadata.");
        }
        String schemaPart = null;
        String tablePart = configured.strip();
        int dot = dotOutsideQuotes(tablePart);
        if (dot > 0) {
            schemaPart = tablePart.substring(0, dot);
            tablePart = tablePart.substring(dot + 1);
        }
        try {
            String schema = schemaPart == null
                    ? currentSchema()
                    : match(schemaPart, schemas(), "schema", parameter, configured, "");
            Map<String, String> tables = tables(schema);
            String where = schemaPart == null && schema != null ? " in schema " + schema : "";
            String table = match(tablePart, tables.keySet(), "table", parameter, configured, where);
            return new TableRef(schema, table, dialect);
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Cannot read the list of tables: " + e.getMessage()
                            + ". Check that the user in 'username' may read the database catalog (information_schema) and that the connection is still open.",
                    e);
        }
    }

    /** All columns of a table, in table order. */
    public List<ColumnRef> columns(TableRef table) throws DatabaseException {
        List<ColumnRef> read = columnsRead.get(table);
        if (read == null) {
            read = readColumns(table);
            columnsRead.put(table, read);
        }
        return new ArrayList<>(read);
    }

    private List<ColumnRef> readColumns(TableRef table) throws DatabaseException {
        List<ColumnRef> columns = new ArrayList<>();
        try (ResultSet rs = metaData().getColumns(null, table.schema(), escape(table.name()), null)) {
            while (rs.next()) {
                if (!table.name().equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                columns.add(new ColumnRef(
                        rs.getString("COLUMN_NAME"),
                        rs.getInt("DATA_TYPE"),
                        rs.getString("TYPE_NAME"),
                        rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                        dialect));
            }
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Cannot read the columns of " + table + ": " + e.getMessage()
                            + ". Check that the user in 'username' may read the database catalog (information_schema) and that the connection is still open.",
                    e);
        }
        return columns;
    }

    /** Resolves a configured column name of {@code table}. */
    public ColumnRef column(TableRef table, String configured, String parameter) throws DatabaseException {
        if (configured == null || configured.isBlank()) {
            throw new DatabaseException("Parameter '" + parameter
                    + "' contains an empty column name. Remove the extra comma, e.g. name,version.");
        }
        Map<String, ColumnRef> byName = new TreeMap<>();
        for (ColumnRef column : columns(table)) {
            byName.put(column.name(), column);
        }
        String name =
                match(configured.strip(), byName.keySet(), "column", parameter, configured, " in " + table.display());
        return byName.get(name);
    }

    /** Resolves several configured column names, keeping their order. */
    public List<ColumnRef> columns(TableRef table, List<String> configured, String parameter) throws DatabaseException {
        List<ColumnRef> result = new ArrayList<>();
        for (String name : configured) {
            result.add(column(table, name, parameter));
        }
        return result;
    }

    /** The primary key columns in key order; empty when the table has none. */
    public List<ColumnRef> primaryKey(TableRef table) throws DatabaseException {
        Map<Short, String> ordered = new TreeMap<>();
        try (ResultSet rs = metaData().getPrimaryKeys(null, table.schema(), table.name())) {
            while (rs.next()) {
                ordered.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Cannot read the primary key of " + table + ": " + e.getMessage()
                            + ". Check that the user in 'username' may read the database catalog (information_schema) and that the connection is still open.",
                    e);
        }
        List<ColumnRef> all = columns(table);
        List<ColumnRef> key = new ArrayList<>();
        for (String name : ordered.values()) {
            all.stream().filter(c -> c.name().equals(name)).findFirst().ifPresent(key::add);
        }
        return key;
    }

    /** Names of the tables in a schema (stored spelling → table type). */
    public Map<String, String> tables(String schema) throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        try (ResultSet rs = metaData().getTables(null, schema, null, null)) {
            while (rs.next()) {
                String type = rs.getString("TABLE_TYPE");
                if (type != null
                        && (type.contains("TABLE") && !type.contains("SYSTEM") && !type.contains("TEMPORARY")
                                || type.equals("VIEW"))) {
                    tables.put(rs.getString("TABLE_NAME"), type);
                }
            }
        }
        return tables;
    }

    public String currentSchema() throws SQLException {
        String schema = connection.getSchema();
        return schema == null ? null : schema;
    }

    private List<String> schemas() throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (ResultSet rs = metaData().getSchemas()) {
            while (rs.next()) {
                schemas.add(rs.getString("TABLE_SCHEM"));
            }
        }
        return schemas;
    }

    private String match(
            String written, Collection<String> existing, String kind, String parameter, String configured, String where)
            throws DatabaseException {
        if (written.length() >= 2 && written.startsWith("\"") && written.endsWith("\"")) {
            String exact = written.substring(1, written.length() - 1).replace("\"\"", "\"");
            if (existing.contains(exact)) {
                return exact;
            }
        } else {
            if (existing.contains(written)) {
                return written;
            }
            String folded = dialect.foldUnquoted(written);
            if (existing.contains(folded)) {
                return folded;
            }
            List<String> caseInsensitive =
                    existing.stream().filter(e -> e.equalsIgnoreCase(written)).toList();
            if (caseInsensitive.size() == 1) {
                return caseInsensitive.get(0);
            }
        }
        throw new DatabaseException("Parameter '" + parameter + "': no " + kind + " named '" + configured + "'" + where
                + ". Existing: " + list(existing) + ". Use one of these names.");
    }

    private static String list(Collection<String> names) {
        if (names.isEmpty()) {
            return "(none)";
        }
        List<String> shown = names.stream().limit(LIST_LIMIT).toList();
        return String.join(", ", shown) + (names.size() > LIST_LIMIT ? ", ... (" + names.size() + " in all)" : "");
    }

    private static int dotOutsideQuotes(String name) {
        boolean quoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private String escape(String pattern) throws SQLException {
        String escape = metaData().getSearchStringEscape();
        if (escape == null || escape.isEmpty()) {
            return pattern;
        }
        return pattern.replace(escape, escape + escape)
                .replace("_", escape + "_")
                .replace("%", escape + "%");
    }

    private DatabaseMetaData metaData() throws SQLException {
        return connection.getMetaData();
    }
}
