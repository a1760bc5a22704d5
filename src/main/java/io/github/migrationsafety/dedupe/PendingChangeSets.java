package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.db.TableRef;
import io.github.migrationsafety.smoke.UniqueKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Keeps the unique keys whose changeset has not run yet on this database (per Liquibase's DATABASECHANGELOG). */
final class PendingChangeSets {

    private PendingChangeSets() {}

    static List<UniqueKey> filter(Connection connection, List<UniqueKey> keys) throws DatabaseException {
        TableRef log;
        try {
            log = SchemaCatalog.of(connection).table("databasechangelog", "keysFromChangelog");
        } catch (DatabaseException noChangelogTable) {
            return keys; // Liquibase never ran here: every changeset is pending
        }
        Set<String> ran = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT id, author, filename FROM " + log.sql())) {
            while (rs.next()) {
                ran.add(rs.getString(1) + "::" + rs.getString(2) + "::" + normalize(rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Cannot read " + log.display() + " to find the changesets that already ran: " + e.getMessage()
                            + ".",
                    e);
        }
        return keys.stream()
                .filter(k -> !ran.contains(k.changeSetId() + "::" + k.author() + "::" + normalize(k.changeLogPath())))
                .toList();
    }

    private static String normalize(String path) {
        String p = path == null ? "" : path.replace('\\', '/');
        if (p.startsWith("classpath:")) {
            p = p.substring("classpath:".length());
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }
}
