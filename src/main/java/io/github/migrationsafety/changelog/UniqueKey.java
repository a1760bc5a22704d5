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
 * One unique key a migration adds: a Liquibase changeset's {@code addUniqueConstraint} or
 * {@code createIndex unique="true"}, or a Flyway migration's {@code ALTER TABLE ... ADD UNIQUE} or
 * {@code CREATE UNIQUE INDEX}.
 *
 * @param kind      what adds it: {@link #CHANGESET} or {@link #MIGRATION}
 * @param migration its name: the changeset's {@code id::author::path}, or the Flyway migration's key
 *                  ({@code db/migration/V2__unique_model.sql})
 * @param table     table name as written in the migration ({@code schema.table}, quoted parts with their quotes)
 * @param columns   column names as written (quoted ones with their quotes)
 * @param change    {@code addUniqueConstraint}, {@code createIndex}, {@code ADD UNIQUE} or {@code CREATE UNIQUE INDEX}
 * @param file      the file that adds it, for the findings, or {@code null} (a changeset's findings point to its CSV
 *                  report)
 * @param line      the line of the statement in {@code file}, or 0
 * @param nullsNotDistinct the key says {@code NULLS NOT DISTINCT}: rows with NULL key values are duplicates too,
 *                  whatever the goal's {@code nullsDistinct}
 */
public record UniqueKey(
        String kind,
        String migration,
        String table,
        List<String> columns,
        String change,
        String file,
        int line,
        boolean nullsNotDistinct) {

    public static final String CHANGESET = "changeset";
    public static final String MIGRATION = "migration";

    public UniqueKey {
        columns = List.copyOf(columns);
    }

    /** A key a Liquibase changeset adds. */
    public static UniqueKey ofChangeSet(
            String changeSetId,
            String author,
            String changeLogPath,
            String table,
            List<String> columns,
            String change) {
        return new UniqueKey(
                CHANGESET, changeSetId + "::" + author + "::" + changeLogPath, table, columns, change, null, 0, false);
    }

    /** The unique keys {@code changeSet} adds, in the order of its changes. */
    public static List<UniqueKey> addedBy(ChangeSet changeSet) {
        List<UniqueKey> keys = new ArrayList<>();
        for (Change change : changeSet.getChanges()) {
            if (change instanceof AddUniqueConstraintChange unique) {
                keys.add(ofChangeSet(
                        changeSet.getId(),
                        changeSet.getAuthor(),
                        changeSet.getFilePath(),
                        unique.getTableName(),
                        split(unique.getColumnNames()),
                        "addUniqueConstraint"));
            } else if (change instanceof CreateIndexChange index && Boolean.TRUE.equals(index.isUnique())) {
                keys.add(ofChangeSet(
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

    /** "changeset id::author::path" or "migration db/migration/V2__unique.sql". */
    public String origin() {
        return kind + " " + migration;
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
