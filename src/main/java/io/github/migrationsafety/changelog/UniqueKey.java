package io.github.migrationsafety.changelog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import liquibase.change.AddColumnConfig;
import liquibase.change.Change;
import liquibase.change.core.AddUniqueConstraintChange;
import liquibase.change.core.CreateIndexChange;
import liquibase.changelog.ChangeSet;

/**
 * One unique key a changeset adds: an {@code addUniqueConstraint} or a {@code createIndex unique="true"}.
 *
 * @param changeSetId   changeset id
 * @param author        changeset author
 * @param changeLogPath changelog path as Liquibase records it (relative to the changelog directory)
 * @param table         table name as written in the changelog
 * @param columns       column names as written
 * @param change        {@code addUniqueConstraint} or {@code createIndex}
 */
public record UniqueKey(
        String changeSetId, String author, String changeLogPath, String table, List<String> columns, String change) {

    public UniqueKey {
        columns = List.copyOf(columns);
    }

    /** The unique keys {@code changeSet} adds, in the order of its changes. */
    public static List<UniqueKey> addedBy(ChangeSet changeSet) {
        List<UniqueKey> keys = new ArrayList<>();
        for (Change change : changeSet.getChanges()) {
            if (change instanceof AddUniqueConstraintChange unique) {
                keys.add(new UniqueKey(
                        changeSet.getId(),
                        changeSet.getAuthor(),
                        changeSet.getFilePath(),
                        unique.getTableName(),
                        split(unique.getColumnNames()),
                        "addUniqueConstraint"));
            } else if (change instanceof CreateIndexChange index && Boolean.TRUE.equals(index.isUnique())) {
                keys.add(new UniqueKey(
                        changeSet.getId(),
                        changeSet.getAuthor(),
                        changeSet.getFilePath(),
                        index.getTableName(),
                        index.getColumns().stream()
                                .map(AddColumnConfig::getName)
                                .toList(),
                        "createIndex"));
            }
        }
        return keys;
    }

    /** {@code id::author::path}, Liquibase's identity of the changeset. */
    public String changeSet() {
        return changeSetId + "::" + author + "::" + changeLogPath;
    }

    /** {@code table(column, column)}. */
    public String display() {
        return table + "(" + String.join(", ", columns) + ")";
    }

    private static List<String> split(String columns) {
        return columns == null
                ? List.of()
                : Arrays.stream(columns.split(","))
                        .map(String::strip)
                        .filter(c -> !c.isEmpty())
                        .toList();
    }
}
