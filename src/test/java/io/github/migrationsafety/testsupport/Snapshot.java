package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Every row of a query as the driver returns it (bytes as hex, NULL as {@code <null>}, strings in [brackets]). */
public final class Snapshot {

    private Snapshot() {}

    public static List<String> of(ConnectionSettings settings, String query) {
        List<String> rows = new ArrayList<>();
        try (Connection c = Databases.open(settings);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] values = new String[columns];
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    values[i - 1] = value == null
                            ? "<null>"
                            : value instanceof byte[] bytes
                                    ? "0x" + HexFormat.of().formatHex(bytes)
                                    : value instanceof String text
                                            ? "[" + text + "]"
                                            : value.getClass().getSimpleName() + ":" + value;
                }
                rows.add(String.join("|", Arrays.asList(values)));
            }
        } catch (SQLException | DatabaseException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return rows;
    }
}
