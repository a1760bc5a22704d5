package io.github.migrationsafety.flyway;

import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.db.DatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Connections for Flyway in a read-only session: whatever Flyway runs there (its {@code info} reads the schema
 * history), the server refuses to write. For production's history in the smoke, and the dedupe target's in
 * {@code keysFromChangelog}.
 */
final class ReadOnlyDataSource extends ConnectionsDataSource {

    private final ConnectionSource connections;
    private String product = "";

    ReadOnlyDataSource(ConnectionSource connections) {
        this.connections = connections;
    }

    /** The database's product name and version, once a connection was opened ({@code PostgreSQL 17.6}). */
    String product() {
        return product;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection;
        try {
            connection = connections.open();
        } catch (DatabaseException e) {
            throw new SQLException(e.getMessage(), e);
        }
        product = connection.getMetaData().getDatabaseProductName() + " "
                + connection.getMetaData().getDatabaseProductVersion().split(" ")[0];
        connection.setReadOnly(true);
        if (product.startsWith("PostgreSQL")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
            }
        }
        return connection;
    }
}
