package io.github.migrationsafety.db;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a connection check learned about a database.
 *
 * @param product  e.g. {@code PostgreSQL}
 * @param version  server version
 * @param dialect  the rules the engine applies
 * @param user     user the server says we are
 * @param schema   current schema
 * @param tables   tables in the current schema
 */
public record DatabaseInfo(
        String product, String version, Dialect dialect, String user, String schema, List<String> tables) {

    public static DatabaseInfo of(Connection connection) throws DatabaseException {
        try {
            DatabaseMetaData metaData = connection.getMetaData();
            SchemaCatalog catalog = SchemaCatalog.of(connection);
            String schema = catalog.currentSchema();
            return new DatabaseInfo(
                    metaData.getDatabaseProductName(),
                    metaData.getDatabaseProductVersion(),
                    catalog.dialect(),
                    metaData.getUserName(),
                    schema,
                    new ArrayList<>(catalog.tables(schema).keySet()));
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Cannot read database metadata: " + e.getMessage()
                            + ". Check that the user in 'username' may read the database catalog (information_schema) and that the connection is still open.",
                    e);
        }
    }
}
