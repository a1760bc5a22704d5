package io.github.migrationsafety.rehearsal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads and sets a transaction's server settings, for one query that needs others than production's defaults. */
final class LocalSettings {

    private LocalSettings() {}

    /** The current value of each setting in {@code names}, in order. */
    static List<String> read(Connection connection, List<String> names) throws SQLException {
        List<String> values = new ArrayList<>();
        try (var statement = connection.prepareStatement("SELECT current_setting(?)")) {
            for (String name : names) {
                statement.setString(1, name);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }

    /** {@code SET LOCAL} of each setting: until the transaction ends, or a rollback to the savepoint. */
    static void set(Connection connection, List<String> names, List<String> values) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
            for (int i = 0; i < names.size(); i++) {
                statement.setString(1, names.get(i));
                statement.setString(2, values.get(i));
                statement.executeQuery().close();
            }
        }
    }
}
