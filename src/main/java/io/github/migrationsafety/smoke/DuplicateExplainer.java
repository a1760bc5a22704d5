package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.UniqueKey;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.db.TableRef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import liquibase.changelog.ChangeSet;

/**
 * When a changeset that adds a unique constraint or unique index fails, looks at the data to say which rows
 * block it, so the message names the duplicates instead of only quoting the database error.
 */
final class DuplicateExplainer {

    private DuplicateExplainer() {}

    /** "model_metadata(name, version) has 2 duplicate groups: (resnet, 1.0) ×2, …", or {@code null}. */
    static String explain(Connection connection, ChangeSet changeSet) {
        List<String> parts = new ArrayList<>();
        for (UniqueKey key : UniqueKey.addedBy(changeSet)) {
            if (key.columns().isEmpty()) {
                continue;
            }
            try {
                String text = duplicates(connection, key);
                if (text != null) {
                    parts.add(text);
                }
            } catch (SQLException | DatabaseException e) {
                // the table or columns are not there (yet): the database error says enough
            }
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private static String duplicates(Connection connection, UniqueKey key) throws SQLException, DatabaseException {
        SchemaCatalog catalog = SchemaCatalog.of(connection);
        TableRef table = catalog.table(key.table(), "changelog");
        List<ColumnRef> columns = catalog.columns(table, key.columns(), "changelog");
        String list = columns.stream().map(ColumnRef::sql).collect(Collectors.joining(", "));
        String notNull = columns.stream().map(c -> c.sql() + " IS NOT NULL").collect(Collectors.joining(" AND "));
        String groups = "SELECT " + list + ", COUNT(*) FROM " + table.sql() + " WHERE " + notNull + " GROUP BY " + list
                + " HAVING COUNT(*) > 1";
        List<String> shown = new ArrayList<>();
        int total = 0;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(groups + " ORDER BY " + list)) {
            while (rs.next()) {
                total++;
                if (shown.size() < 10) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        values.add(rs.getString(i));
                    }
                    shown.add("(" + String.join(", ", values) + ") x" + rs.getLong(columns.size() + 1));
                }
            }
        }
        if (total == 0) {
            return null;
        }
        return key.display() + " has " + total + " duplicate group" + (total == 1 ? "" : "s") + ": "
                + String.join(", ", shown) + (total > shown.size() ? ", ..." : "");
    }
}
