package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangelogHistory;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.SchemaCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import liquibase.changelog.RanChangeSet;

/**
 * Reads the production database at {@code url} without changing anything there: one read-only transaction that
 * queries only catalogs, statistics and Liquibase's history table (plain SELECTs take AccessShareLock, the weakest
 * lock, which waits only behind an ACCESS EXCLUSIVE one: a lock_timeout makes that a clear error, not a hang), and
 * is rolled back. Table sizes come from the statistics, never from counting rows.
 */
public final class ProductionReader {

    static final String RELTUPLES = "pg_class.reltuples";
    static final String LIVE_TUPLES = "pg_stat_user_tables.n_live_tup";
    static final String H2_ESTIMATE = "INFORMATION_SCHEMA.TABLES.ROW_COUNT_ESTIMATE";

    /**
     * reltuples is -1 (PostgreSQL 14+) or 0 (before) until the table is first vacuumed or analyzed; the statistics
     * collector's live-row count is kept from the first insert on.
     */
    private static final String PG_SIZES = "SELECT c.relname, c.reltuples::bigint, COALESCE(s.n_live_tup, 0)"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid"
            + " WHERE c.relkind IN ('r', 'p') AND n.nspname = ?";

    private static final String H2_SIZES = "SELECT TABLE_NAME, ROW_COUNT_ESTIMATE FROM INFORMATION_SCHEMA.TABLES"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'";

    private ProductionReader() {}

    /**
     * The row counts of the production tables (lower case) that the statistics say are not empty, read as
     * {@link #read} reads them, without a history table: the production sizes of the estimate for Flyway migrations.
     */
    public static Map<String, Long> tableRows(ConnectionSettings settings) throws SmokeException {
        Map<String, Long> rows = new LinkedHashMap<>();
        read(settings, null, null).sizes().forEach((table, size) -> {
            if (size.rows() > 0) {
                rows.put(table, size.rows());
            }
        });
        return rows;
    }

    /**
     * @param changelogTable  Liquibase's history table name ({@code liquibase.databaseChangeLogTableName}), or
     *                        {@code null} to read none
     * @param changelogSchema the schema Liquibase keeps it in ({@code liquibase.liquibaseSchemaName}), or
     *                        {@code null} for the connection's current schema
     */
    static LiveProduction read(ConnectionSettings settings, String changelogTable, String changelogSchema)
            throws SmokeException {
        try (Connection connection = Databases.open(settings)) {
            Dialect dialect = Dialect.of(connection);
            if (dialect == Dialect.GENERIC) {
                throw new SmokeException("Parameter 'url': "
                        + connection.getMetaData().getDatabaseProductName()
                        + " at " + settings.safeUrl() + " is not supported: production sizes and pending changesets"
                        + " are read from PostgreSQL and H2. Remove 'url' and give <productionRows> instead.");
            }
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            try {
                // before this transaction sets its own: the value a session there, a migration's, starts with
                String[] lockTimeout = dialect == Dialect.POSTGRESQL ? lockTimeout(connection) : new String[2];
                if (dialect == Dialect.POSTGRESQL) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SET TRANSACTION READ ONLY");
                        statement.execute("SET LOCAL lock_timeout = '5s'");
                        statement.execute("SET LOCAL statement_timeout = '60s'");
                    }
                }
                String product = connection.getMetaData().getDatabaseProductName() + " "
                        + connection.getMetaData().getDatabaseProductVersion().split(" ")[0];
                SchemaCatalog catalog = SchemaCatalog.of(connection);
                String schema = catalog.currentSchema();
                Map<String, TableSize> sizes = sizes(connection, dialect, schema);
                String historySchema = changelogSchema == null ? schema : stored(catalog, null, changelogSchema);
                String history = historySchema == null || changelogTable == null
                        ? null
                        : stored(catalog, historySchema, changelogTable);
                List<RanChangeSet> ran = new ArrayList<>();
                if (history != null) {
                    sizes.remove(history.toLowerCase(Locale.ROOT));
                    sizes.remove((history + "lock").toLowerCase(Locale.ROOT));
                    ran = ChangelogHistory.read(
                            connection, dialect.quote(historySchema) + "." + dialect.quote(history));
                }
                return new LiveProduction(
                        settings.safeUrl(),
                        product,
                        schema,
                        sizes,
                        history == null ? null : historySchema + "." + history,
                        ran,
                        lockTimeout[0],
                        lockTimeout[1]);
            } finally {
                connection.rollback();
            }
        } catch (DatabaseException e) {
            throw new SmokeException("Parameter 'url' (the production database, read only): " + e.getMessage());
        } catch (SQLException e) {
            throw new SmokeException("Parameter 'url': cannot read the production database at " + settings.safeUrl()
                    + ": " + Databases.scrub(settings, e.getMessage()) + ". The smoke reads its catalog, statistics"
                    + " and DATABASECHANGELOG; check that the user in 'username' may read them.");
        }
    }

    /**
     * The lock_timeout a new session of the connecting role on this database starts with, and where it comes from:
     * {@code ALTER ROLE ... IN DATABASE ... SET}, {@code ALTER ROLE ... SET}, {@code ALTER DATABASE ... SET} (in
     * PostgreSQL's order of precedence, from {@code pg_db_role_setting}), else the server's configuration or the
     * connection's options ({@code current_setting}).
     */
    static String[] lockTimeout(Connection connection) throws SQLException {
        String current;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT current_setting('lock_timeout'), current_user, current_database()")) {
            rs.next();
            current = rs.getString(1);
            String role = rs.getString(2);
            String database = rs.getString(3);
            try (ResultSet settings = statement.executeQuery(LOCK_TIMEOUT_SETTINGS)) {
                if (settings.next()) {
                    boolean forRole = settings.getBoolean(1);
                    boolean forDatabase = settings.getBoolean(2);
                    String value = settings.getString(3).substring("lock_timeout=".length());
                    String from = forRole && forDatabase
                            ? "ALTER ROLE " + role + " IN DATABASE " + database
                            : forRole ? "ALTER ROLE " + role : "ALTER DATABASE " + database;
                    return new String[] {value, from + " SET lock_timeout = '" + value + "'"};
                }
            }
        }
        return new String[] {current, "0".equals(current) ? null : "the server's configuration or the connection"};
    }

    /** The role's and the database's lock_timeout settings, the one PostgreSQL applies first. */
    private static final String LOCK_TIMEOUT_SETTINGS = "SELECT s.setrole <> 0, s.setdatabase <> 0, c"
            + " FROM pg_db_role_setting s CROSS JOIN LATERAL unnest(s.setconfig) AS c"
            + " WHERE s.setrole IN (0, (SELECT oid FROM pg_roles WHERE rolname = current_user))"
            + " AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))"
            + " AND c LIKE 'lock_timeout=%'"
            + " ORDER BY (s.setrole <> 0) DESC, (s.setdatabase <> 0) DESC";

    private static Map<String, TableSize> sizes(Connection connection, Dialect dialect, String schema)
            throws SQLException {
        Map<String, TableSize> sizes = new LinkedHashMap<>();
        try (PreparedStatement statement =
                connection.prepareStatement(dialect == Dialect.POSTGRESQL ? PG_SIZES : H2_SIZES)) {
            statement.setString(1, schema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    TableSize size;
                    if (dialect == Dialect.H2) {
                        size = new TableSize(table, rs.getLong(2), H2_ESTIMATE);
                    } else if (rs.getLong(2) > 0) {
                        size = new TableSize(table, rs.getLong(2), RELTUPLES);
                    } else {
                        size = new TableSize(table, rs.getLong(3), LIVE_TUPLES);
                    }
                    sizes.put(table.toLowerCase(Locale.ROOT), size);
                }
            }
        }
        return sizes;
    }

    /** The stored spelling of a schema ({@code schema} null) or table name, matched as Liquibase writes it. */
    private static String stored(SchemaCatalog catalog, String schema, String name) throws SQLException {
        if (schema == null) {
            return name; // a configured schema is used as given
        }
        for (String table : catalog.tables(schema).keySet()) {
            if (table.equalsIgnoreCase(name)) {
                return table;
            }
        }
        return null;
    }
}
