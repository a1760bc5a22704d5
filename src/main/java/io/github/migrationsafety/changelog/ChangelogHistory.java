package io.github.migrationsafety.changelog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import liquibase.change.CheckSum;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.RanChangeSet;

/**
 * The rows of a database's Liquibase history table (DATABASECHANGELOG), read over plain JDBC as Liquibase's own
 * {@link RanChangeSet}s, so that {@link PendingChangesets} matches them with Liquibase's {@code isSameAs}.
 */
public final class ChangelogHistory {

    private ChangelogHistory() {}

    /**
     * @param table the history table as SQL, quoted and qualified as the database needs it
     * @return the rows in {@code ORDEREXECUTED} order
     */
    public static List<RanChangeSet> read(Connection connection, String table) throws SQLException {
        List<RanChangeSet> ran = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT id, author, filename, md5sum, exectype FROM " + table + " ORDER BY orderexecuted")) {
            while (rs.next()) {
                RanChangeSet row = new RanChangeSet();
                row.setId(rs.getString(1));
                row.setAuthor(rs.getString(2));
                row.setChangeLog(rs.getString(3));
                row.setStoredChangeLog(rs.getString(3));
                String md5 = rs.getString(4);
                row.setLastCheckSum(md5 == null || md5.isBlank() ? null : CheckSum.parse(md5));
                row.setExecType(execType(rs.getString(5)));
                ran.add(row);
            }
        }
        return ran;
    }

    private static ChangeSet.ExecType execType(String value) {
        try {
            return value == null ? ChangeSet.ExecType.EXECUTED : ChangeSet.ExecType.valueOf(value.strip());
        } catch (IllegalArgumentException e) {
            return ChangeSet.ExecType.EXECUTED;
        }
    }
}
