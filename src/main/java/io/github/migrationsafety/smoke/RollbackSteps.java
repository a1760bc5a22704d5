package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import liquibase.change.Change;
import liquibase.change.core.AddAutoIncrementChange;
import liquibase.change.core.AddColumnChange;
import liquibase.change.core.AddDefaultValueChange;
import liquibase.change.core.AddForeignKeyConstraintChange;
import liquibase.change.core.AddNotNullConstraintChange;
import liquibase.change.core.AddPrimaryKeyChange;
import liquibase.change.core.AddUniqueConstraintChange;
import liquibase.change.core.CreateIndexChange;
import liquibase.change.core.CreateTableChange;
import liquibase.change.core.DeleteDataChange;
import liquibase.change.core.DropColumnChange;
import liquibase.change.core.DropDefaultValueChange;
import liquibase.change.core.DropForeignKeyConstraintChange;
import liquibase.change.core.DropIndexChange;
import liquibase.change.core.DropNotNullConstraintChange;
import liquibase.change.core.DropPrimaryKeyChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.DropUniqueConstraintChange;
import liquibase.change.core.EmptyChange;
import liquibase.change.core.InsertDataChange;
import liquibase.change.core.LoadDataChange;
import liquibase.change.core.ModifyDataTypeChange;
import liquibase.change.core.OutputChange;
import liquibase.change.core.RenameColumnChange;
import liquibase.change.core.RenameTableChange;
import liquibase.change.core.TagDatabaseChange;
import liquibase.change.core.UpdateDataChange;
import liquibase.changelog.ChangeSet;

/**
 * Checks a whole-changelog rollback one changeset at a time. During the update it records the schema each
 * changeset started from; during the rollback it compares the schema after each changeset's rollback with that
 * record.
 *
 * <p>Why not compare only the end of the rollback with the empty start: the usual changelog creates a table and
 * then changes it, and rolling back the table's creation drops whatever a later changeset's no-op rollback left
 * on it (an index, a constraint), so the end looks right. Checking after each step names the changeset whose
 * rollback is wrong, in one rollback pass instead of a rollback and a re-apply per changeset.
 *
 * <p>The schema is kept per table, and after a step only the tables it can have changed are read again: those
 * its changes name (for the rollback, its rollback's changes, or the changes themselves when Liquibase inverts
 * them), the tables whose foreign keys reference one of those, and any table that appeared. A step with a change
 * that names no table this way ({@code sql}, {@code customChange}, a change in another schema, ...) or with
 * {@code modifySql} reads the whole schema, as does the first step of the rollback. Reading every table after
 * every step grew with the changelog's length times its number of tables.
 */
final class RollbackSteps {

    /** A changeset whose rollback left the schema different from the one it started from. */
    record Mismatch(String changeset, List<String> differences) {}

    /** A changeset the update recorded in DATABASECHANGELOG, and whether it really ran or was only marked ran. */
    record Recorded(ChangeSet changeSet, boolean markedRan) {}

    private final SchemaTables tables;
    private final Map<String, Map<String, List<String>>> startedFrom = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private final List<Recorded> recorded = new ArrayList<>();
    private final List<Mismatch> mismatches = new ArrayList<>();
    /** The lines of each table (as the database spells its name) now; a new map after each step. */
    private Map<String, List<String>> current;

    private boolean recording = true;
    private boolean readAllNext;

    RollbackSteps(Connection connection) throws SQLException {
        this.tables = new SchemaTables(connection);
        this.current = tables.read(Map.of(), null);
    }

    /** Called after a changeset ran during the first update. */
    void ran(ChangeSet changeSet, ChangeSet.ExecType execType) throws SQLException {
        if (!recording) {
            return;
        }
        boolean executed = execType == ChangeSet.ExecType.EXECUTED || execType == ChangeSet.ExecType.RERAN;
        if (executed || execType == ChangeSet.ExecType.MARK_RAN) {
            recorded.add(new Recorded(changeSet, !executed));
        }
        startedFrom.put(ChangesetKey.of(changeSet), current);
        if (executed) {
            current = tables.read(current, readAllNext ? null : tablesChangedBy(changeSet, changeSet.getChanges()));
            readAllNext = false;
        } else if (execType != ChangeSet.ExecType.MARK_RAN) {
            readAllNext = true; // a changeset that failed and went on may have changed any table before it failed
        }
    }

    /** What the update recorded, newest first: the order a rollback undoes it in. */
    List<Recorded> newestFirst() {
        List<Recorded> list = new ArrayList<>(recorded);
        Collections.reverse(list);
        return list;
    }

    /** Stops recording: later updates (the re-apply after the rollback) are checked otherwise. */
    void stopRecording() {
        recording = false;
        readAllNext = true; // what happened between the update and the rollback is read once, in full
    }

    /** Called after a changeset's rollback ran, before it commits. */
    void rolledBack(ChangeSet changeSet) throws SQLException {
        Map<String, List<String>> expected = startedFrom.get(ChangesetKey.of(changeSet));
        if (expected == null) {
            return;
        }
        List<Change> rollback = changeSet.getRollback().getChanges();
        current = tables.read(
                current,
                readAllNext
                        ? null
                        : tablesChangedBy(changeSet, rollback.isEmpty() ? changeSet.getChanges() : rollback));
        readAllNext = false;
        List<String> differences = differences(current, expected);
        // a difference already blamed on a later changeset is still there, not this changeset's doing
        List<String> own =
                differences.stream().filter(d -> !reported.contains(d)).toList();
        reported.addAll(differences);
        if (!own.isEmpty()) {
            mismatches.add(new Mismatch(ChangesetKey.of(changeSet), own));
        }
    }

    List<Mismatch> mismatches() {
        return mismatches;
    }

    /** The schema as this check sees it now: the same lines as {@link SchemaSnapshot#of}. */
    SchemaSnapshot current() {
        return new SchemaSnapshot(lines(current));
    }

    /** "- line" for each line of {@code expected} missing now, then "+ line" for each extra one, each sorted. */
    private static List<String> differences(Map<String, List<String>> now, Map<String, List<String>> expected) {
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        Set<String> tables = new HashSet<>(now.keySet());
        tables.addAll(expected.keySet());
        for (String table : tables) {
            List<String> a = now.getOrDefault(table, List.of());
            List<String> e = expected.getOrDefault(table, List.of());
            if (a == e) {
                continue; // the same lines (see SchemaTables#read)
            }
            Set<String> aSet = new HashSet<>(a);
            Set<String> eSet = new HashSet<>(e);
            e.stream().filter(line -> !aSet.contains(line)).forEach(missing::add);
            a.stream().filter(line -> !eSet.contains(line)).forEach(extra::add);
        }
        if (missing.isEmpty() && extra.isEmpty()) {
            return List.of();
        }
        // two spellings of one name (a quoted "T" and T) give lines that the schema-wide set holds once
        SortedSet<String> nowLines = lines(now);
        SortedSet<String> expectedLines = lines(expected);
        List<String> out = new ArrayList<>();
        new TreeSet<>(missing).stream().filter(l -> !nowLines.contains(l)).forEach(l -> out.add("- " + l));
        new TreeSet<>(extra).stream().filter(l -> !expectedLines.contains(l)).forEach(l -> out.add("+ " + l));
        return out;
    }

    private static SortedSet<String> lines(Map<String, List<String>> tables) {
        SortedSet<String> lines = new TreeSet<>();
        tables.values().forEach(lines::addAll);
        return lines;
    }

    /**
     * The tables (lower case) that {@code changes} of {@code changeSet} can change, or {@code null} when that is
     * not known from the changes alone.
     */
    static Set<String> tablesChangedBy(ChangeSet changeSet, List<Change> changes) {
        if (!changeSet.getSqlVisitors().isEmpty()) {
            return null;
        }
        Set<String> tables = new HashSet<>();
        for (Change change : changes) {
            List<String> named = tablesNamedBy(change);
            if (named == null || named.stream().anyMatch(t -> t == null)) {
                return null;
            }
            named.forEach(t -> tables.add(t.toLowerCase(Locale.ROOT)));
        }
        return tables;
    }

    /**
     * The tables a change in the default schema names, or {@code null} for a change whose tables are not named
     * that way (SQL, custom changes, views, procedures, ...).
     */
    private static List<String> tablesNamedBy(Change change) {
        if (change instanceof EmptyChange || change instanceof TagDatabaseChange || change instanceof OutputChange) {
            return List.of();
        }
        if (change instanceof AddForeignKeyConstraintChange c) {
            return c.getReferencedTableCatalogName() != null || c.getReferencedTableSchemaName() != null
                    ? null
                    : inDefaultSchema(
                            c.getBaseTableCatalogName(),
                            c.getBaseTableSchemaName(),
                            c.getBaseTableName(),
                            c.getReferencedTableName());
        }
        if (change instanceof DropForeignKeyConstraintChange c) {
            return inDefaultSchema(c.getBaseTableCatalogName(), c.getBaseTableSchemaName(), c.getBaseTableName());
        }
        if (change instanceof RenameTableChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getOldTableName(), c.getNewTableName());
        }
        if (change instanceof CreateTableChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof DropTableChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof AddColumnChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof DropColumnChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof RenameColumnChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof ModifyDataTypeChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof AddNotNullConstraintChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof DropNotNullConstraintChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof AddDefaultValueChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof DropDefaultValueChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof AddAutoIncrementChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof CreateIndexChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof DropIndexChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof AddPrimaryKeyChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof DropPrimaryKeyChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof AddUniqueConstraintChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof DropUniqueConstraintChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof InsertDataChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof UpdateDataChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof DeleteDataChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        if (change instanceof LoadDataChange c) {
            return inDefaultSchema(c.getCatalogName(), c.getSchemaName(), c.getTableName());
        }
        return null;
    }

    private static List<String> inDefaultSchema(String catalog, String schema, String... tables) {
        return catalog != null || schema != null ? null : Arrays.asList(tables);
    }
}
