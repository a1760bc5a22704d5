package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.change.Change;
import liquibase.change.core.ModifyDataTypeChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.precondition.core.PreconditionContainer;

/**
 * Listens to Liquibase's own update and records, for each {@code modifyDataType}, the column's type before and after
 * it as PostgreSQL's catalog names them ({@code character varying(255) -> text}), so a test can tell which type
 * changes PostgreSQL makes without rewriting the table, independently of the smoke's trace.
 */
final class TypeChanges implements ChangeExecListener {

    private static final String TYPE = "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
            + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = current_schema() AND lower(c.relname) = lower(?) AND lower(a.attname) = lower(?)"
            + " AND a.attnum > 0 AND NOT a.attisdropped";
    private static final Pattern VARCHAR = Pattern.compile("character varying(?:\\((\\d+)\\))?");

    private final Connection connection;
    private final Map<String, List<String>> changes;
    private String before;

    TypeChanges(Connection connection, Map<String, List<String>> changes) {
        this.connection = connection;
        this.changes = changes;
    }

    /**
     * Whether any of the recorded {@code before -> after} pairs may rewrite the table. PostgreSQL keeps the table
     * when the new type is binary coercible without a length check: varchar or text to text or to unbounded
     * varchar, and varchar(n) to varchar(m) with m at least n.
     */
    static boolean rewrites(List<String> pairs) {
        return pairs.stream().anyMatch(pair -> {
            String[] types = pair.split(" -> ");
            return types.length != 2 || !keepsTable(types[0], types[1]);
        });
    }

    private static boolean keepsTable(String before, String after) {
        if (before.equals(after)) {
            return true;
        }
        Matcher from = VARCHAR.matcher(before);
        Matcher to = VARCHAR.matcher(after);
        boolean fromText = before.equals("text") || from.matches();
        if (fromText && (after.equals("text") || to.matches() && to.group(1) == null)) {
            return true;
        }
        return from.matches()
                && to.matches()
                && from.group(1) != null
                && to.group(1) != null
                && Integer.parseInt(to.group(1)) >= Integer.parseInt(from.group(1));
    }

    private String type(ModifyDataTypeChange change) {
        try (PreparedStatement statement = connection.prepareStatement(TYPE)) {
            statement.setString(1, change.getTableName());
            statement.setString(2, change.getColumnName());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : "(none)";
            }
        } catch (SQLException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void willRun(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        before = change instanceof ModifyDataTypeChange type ? type(type) : null;
    }

    @Override
    public void ran(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        if (change instanceof ModifyDataTypeChange type && before != null) {
            changes.computeIfAbsent(ChangesetKey.of(changeSet), k -> new ArrayList<>())
                    .add(before + " -> " + type(type));
        }
    }

    @Override
    public void willRun(
            ChangeSet changeSet,
            DatabaseChangeLog databaseChangeLog,
            Database database,
            ChangeSet.RunStatus runStatus) {}

    @Override
    public void ran(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ChangeSet.ExecType execType) {}

    @Override
    public void runFailed(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {}

    @Override
    public void rolledBack(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {}

    @Override
    public void willRollback(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {}

    @Override
    public void rollbackFailed(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {}

    @Override
    public void preconditionFailed(PreconditionFailedException error, PreconditionContainer.FailOption onFail) {}

    @Override
    public void preconditionErrored(PreconditionErrorException error, PreconditionContainer.ErrorOption onError) {}
}
