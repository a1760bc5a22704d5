package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rehearsal's one look at production: a single {@code READ ONLY}, {@code REPEATABLE READ} transaction with a
 * {@code lock_timeout} and a {@code statement_timeout}, rolled back at the end. It exports its snapshot, so that
 * {@code pg_dump} sees exactly the schema and history this transaction reads, and so do the data counts: in this
 * transaction and in the read-only transactions of other connections that import the snapshot
 * ({@link #openReads()}), each count in a savepoint. Plain SELECTs take ACCESS SHARE locks only.
 */
final class ProductionSession implements AutoCloseable {

    /** Liquibase's history table as found in production: {@code schema.name} and its rows, all columns. */
    record History(String schema, String table, List<String> columns, List<List<Object>> rows) {}

    /** An extension production has installed ({@code CREATE EXTENSION}), and the schema its objects are in. */
    record Extension(String name, String schema, String version) {}

    /** A schema of production's, and whether this session's role can copy it. */
    record Schema(String name, boolean readable) {}

    /** A foreign server production has ({@code CREATE SERVER}), by name, and its foreign-data wrapper. */
    record ForeignServer(String name, String wrapper) {}

    private final ConnectionSettings settings;
    private final Connection connection;
    private final int major;
    private final String version;
    private final String schema;
    private final String snapshot;
    private final Duration statementTimeout;

    private ProductionSession(
            ConnectionSettings settings,
            Connection connection,
            int major,
            String version,
            String schema,
            String snapshot,
            Duration statementTimeout) {
        this.settings = settings;
        this.connection = connection;
        this.major = major;
        this.version = version;
        this.schema = schema;
        this.snapshot = snapshot;
        this.statementTimeout = statementTimeout;
    }

    static ProductionSession open(ConnectionSettings settings, Duration statementTimeout) throws RehearsalException {
        Connection connection;
        try {
            connection = Databases.open(settings);
        } catch (DatabaseException e) {
            throw new RehearsalException("Parameter 'url' (the production database, read only): " + e.getMessage());
        }
        try {
            if (!connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
                String product = connection.getMetaData().getDatabaseProductName();
                connection.close();
                throw new RehearsalException("Parameter 'rehearsal': the rehearsal copies production's schema with"
                        + " pg_dump, so it needs a PostgreSQL production database; " + settings.safeUrl() + " is "
                        + product + ". Set -Dmigration-safety.rehearsal=false (or <rehearsal>false</rehearsal>).");
            }
            begin(connection, null, statementTimeout);
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rs = statement.executeQuery("SELECT current_setting('server_version_num')::int,"
                        + " current_setting('server_version'), current_schema(), pg_export_snapshot()")) {
                    rs.next();
                    return new ProductionSession(
                            settings,
                            connection,
                            rs.getInt(1) / 10_000,
                            rs.getString(2).split(" ")[0],
                            rs.getString(3),
                            rs.getString(4),
                            statementTimeout);
                }
            }
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the first error is the one to report
            }
            throw new RehearsalException("Parameter 'url': cannot start the rehearsal's read-only transaction on "
                    + settings.safeUrl() + ": " + Databases.scrub(settings, String.valueOf(e.getMessage()))
                    + ". The rehearsal reads production's catalog and DATABASECHANGELOG in one read-only transaction;"
                    + " check that the user in 'username' may connect and read them.");
        }
    }

    int major() {
        return major;
    }

    String version() {
        return version;
    }

    /** The connection's current schema: where the application's tables are. */
    String schema() {
        return schema;
    }

    /** The exported snapshot {@code pg_dump --snapshot} reads, valid while this transaction is open. */
    String snapshot() {
        return snapshot;
    }

    ConnectionSettings settings() {
        return settings;
    }

    /**
     * Liquibase's history table, found by name (case-insensitive) in {@code historySchema} ({@code null}: the
     * current schema), with every row in ORDEREXECUTED order; {@code null} when it does not exist.
     */
    History history(String table, String historySchema) throws RehearsalException {
        return history(table, historySchema, "orderexecuted");
    }

    /** The history table of a migration tool, its rows ordered by {@code order} ({@code installed_rank}). */
    History history(String table, String historySchema, String order) throws RehearsalException {
        String where = historySchema == null ? schema : historySchema;
        try (Statement statement = connection.createStatement()) {
            String found = null;
            try (var lookup = connection.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND lower(c.relname) = ? AND c.relkind = 'r'")) {
                lookup.setString(1, where);
                lookup.setString(2, table.toLowerCase(Locale.ROOT));
                try (ResultSet rs = lookup.executeQuery()) {
                    if (rs.next()) {
                        found = rs.getString(1);
                    }
                }
            }
            if (found == null) {
                return null;
            }
            List<String> columns = new ArrayList<>();
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery(
                    "SELECT * FROM " + quote(where) + "." + quote(found) + " ORDER BY " + quote(order))) {
                ResultSetMetaData meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnName(i));
                }
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return new History(where, found, columns, rows);
        } catch (SQLException e) {
            throw new RehearsalException("Parameter 'url': cannot read the history table " + where + "."
                    + table + " in " + settings.safeUrl() + ": "
                    + Databases.scrub(settings, String.valueOf(e.getMessage()))
                    + ". Grant the user in 'username' SELECT on it.");
        }
    }

    /**
     * The extensions production installed, in the order it installed them; not the ones every database has
     * ({@code plpgsql}). {@code pg_dump --schema} leaves extensions out, while the tables and functions it copies may
     * use their types and functions.
     */
    List<Extension> extensions() throws RehearsalException {
        return catalogRows(
                "extensions",
                "SELECT e.extname, n.nspname, e.extversion FROM pg_extension e"
                        + " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.oid >= 16384 ORDER BY e.oid",
                rs -> new Extension(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /**
     * Production's foreign servers, which a foreign table of a copied schema names: by name and wrapper only. Their
     * options (hosts, databases) and user mappings (passwords) are not read.
     */
    List<ForeignServer> foreignServers() throws RehearsalException {
        return catalogRows(
                "foreign servers",
                "SELECT s.srvname, w.fdwname FROM pg_foreign_server s"
                        + " JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw ORDER BY s.oid",
                rs -> new ForeignServer(rs.getString(1), rs.getString(2)));
    }

    /** Production's roles, by name ({@code pg_roles}: no password), not PostgreSQL's own {@code pg_} ones. */
    List<String> roles() throws RehearsalException {
        return catalogRows(
                "roles",
                "SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname",
                rs -> rs.getString(1));
    }

    /**
     * Production's own schemas: not PostgreSQL's ({@code pg_catalog}, {@code information_schema}, the
     * {@code pg_toast} and temporary ones), each with whether this session's role can copy it: {@code USAGE} on the
     * schema and {@code SELECT} on each of its tables, which pg_dump locks (and stops on) before it reads any
     * definition.
     */
    List<Schema> schemas() throws RehearsalException {
        return catalogRows(
                "schemas",
                "SELECT nspname, " + READABLE + " FROM pg_namespace n WHERE nspname !~ '^pg_'"
                        + " AND nspname <> 'information_schema' ORDER BY nspname",
                rs -> new Schema(rs.getString(1), rs.getBoolean(2)));
    }

    /** Whether the schema {@code n} is readable to pg_dump as this role. */
    private static final String READABLE =
            "has_schema_privilege(n.oid, 'USAGE') AND NOT EXISTS (SELECT 1 FROM pg_class c"
                    + " WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'm', 'f')"
                    + " AND NOT has_table_privilege(c.oid, 'SELECT'))";

    /** One value made of a row of a catalog query. */
    private interface Row<T> {
        T of(ResultSet rs) throws SQLException;
    }

    /** Every row of {@code sql} on this session's connection, made by {@code row}; {@code what} names them in an error. */
    private <T> List<T> catalogRows(String what, String sql, Row<T> row) throws RehearsalException {
        List<T> values = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(row.of(rs));
            }
        } catch (SQLException e) {
            throw new RehearsalException("Parameter 'url': cannot read the " + what + " of " + settings.safeUrl() + ": "
                    + Databases.scrub(settings, String.valueOf(e.getMessage())) + ".");
        }
        return values;
    }

    /** This session's own connection, for reads in its transaction (each in a savepoint). */
    SnapshotReads reads() {
        return new SnapshotReads(connection, false);
    }

    /**
     * Another connection to production, in a transaction of its own that reads this session's snapshot: read only,
     * REPEATABLE READ, with the same {@code lock_timeout} and {@code statement_timeout}. Valid while this session is
     * open; the caller closes it (a rollback).
     */
    SnapshotReads openReads() throws SQLException {
        Connection other;
        try {
            other = Databases.open(settings);
        } catch (DatabaseException e) {
            throw new SQLException(e.getMessage(), e);
        }
        try {
            begin(other, snapshot, statementTimeout);
            return new SnapshotReads(other, true);
        } catch (SQLException e) {
            try {
                other.close();
            } catch (SQLException ignored) {
                // the first error is the one to report
            }
            throw e;
        }
    }

    /**
     * Starts {@code connection}'s read-only, REPEATABLE READ transaction with its timeouts; on {@code snapshot} when
     * given ({@code SET TRANSACTION SNAPSHOT} must come before the transaction's first query).
     */
    private static void begin(Connection connection, String snapshot, Duration statementTimeout) throws SQLException {
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            if (snapshot != null) {
                statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
            }
            statement.execute("SET LOCAL lock_timeout = '5s'");
            statement.execute("SET LOCAL statement_timeout = '" + Math.max(1, statementTimeout.toMillis()) + "ms'");
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Rolls the read-only transaction back: nothing was written, and the snapshot is released. */
    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // closing ends the transaction anyway
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing was written
        }
    }
}
