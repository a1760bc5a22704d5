package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for setting up and reading test databases. */
public final class Sql {

    private Sql() {}

    /**
     * Returns once no other client is connected to the database of {@code settings}, watched from one connection:
     * the server ends a closed connection's backend on its own time, and a new connection per look would leave one
     * more such backend behind each time. Fails naming {@code what} after {@link Await#PATIENCE}.
     */
    public static void awaitNoOtherClients(ConnectionSettings settings, String what) throws Exception {
        try (Connection watcher = Databases.open(settings);
                Statement query = watcher.createStatement()) {
            Await.until(what, () -> {
                try (ResultSet rs = query.executeQuery("SELECT COUNT(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                        + " AND backend_type = 'client backend'")) {
                    rs.next();
                    return rs.getLong(1) == 0;
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
        }
    }

    public static void run(ConnectionSettings settings, String... statements) {
        try (Connection c = Databases.open(settings);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException | DatabaseException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every row of a query, each row's values joined with "|" (NULL shown as {@code <null>}). */
    public static List<String> rows(ConnectionSettings settings, String query) {
        List<String> rows = new ArrayList<>();
        try (Connection c = Databases.open(settings);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    if (i > 1) {
                        row.append('|');
                    }
                    Object value = rs.getObject(i);
                    row.append(value == null ? "<null>" : value.toString());
                }
                rows.add(row.toString());
            }
        } catch (SQLException | DatabaseException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return rows;
    }
}
