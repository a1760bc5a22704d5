package io.github.migrationsafety.smoke;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.Scope;
import liquibase.change.AddColumnConfig;
import liquibase.change.Change;
import liquibase.change.core.AddUniqueConstraintChange;
import liquibase.change.core.CreateIndexChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParser;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * The unique keys a Liquibase changelog adds — {@code addUniqueConstraint} and {@code createIndex unique="true"}
 * changes — with the changeset that adds each, so {@code dedupe} can look for rows that would make that changeset
 * fail. A small, self-contained API of {@code smoke} that {@code dedupe} depends on (one way).
 *
 * <p>Parsing runs in a Liquibase child scope with analytics off; nothing connects to a database.
 */
public final class ChangelogUniqueKeys {

    /**
     * One unique key a changeset adds.
     *
     * @param changeSetId     changeset id
     * @param author          changeset author
     * @param changeLogPath   changelog path as Liquibase records it (relative to the root directory)
     * @param table           table name as written in the changelog
     * @param columns         column names as written
     * @param change          {@code addUniqueConstraint} or {@code createIndex}
     */
    public record UniqueKey(String changeSetId, String author, String changeLogPath, String table, List<String> columns,
            String change) {

        /** {@code id::author::path}, Liquibase's identity of the changeset. */
        public String changeSet() {
            return changeSetId + "::" + author + "::" + changeLogPath;
        }
    }

    /** The changelog cannot be read or parsed; the message names the file and says what to fix. */
    public static final class ChangelogException extends Exception {
        public ChangelogException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ChangelogUniqueKeys() {
    }

    /**
     * Reads {@code changeLogFile} (relative to {@code rootDirectory}, as the application resolves it at runtime).
     */
    public static List<UniqueKey> read(Path rootDirectory, String changeLogFile) throws ChangelogException {
        if (!Files.isRegularFile(rootDirectory.resolve(changeLogFile))) {
            throw new ChangelogException("Parameter 'changeLogFile': " + rootDirectory.resolve(changeLogFile).toAbsolutePath()
                    + " does not exist. Point 'changeLogFile' (relative to 'changeLogDirectory' " + rootDirectory
                    + ") at the master changelog.", null);
        }
        Logger liquibaseLogger = Logger.getLogger("liquibase");
        Level previous = liquibaseLogger.getLevel();
        // Liquibase logs through java.util.logging to the console; parsing has nothing the user needs to see
        liquibaseLogger.setLevel(Level.WARNING);
        try {
            return Scope.child(Map.of("liquibase.analytics.enabled", Boolean.FALSE), () -> {
                ResourceAccessor accessor = new DirectoryResourceAccessor(rootDirectory.toFile());
                ChangeLogParser parser = ChangeLogParserFactory.getInstance().getParser(changeLogFile, accessor);
                DatabaseChangeLog changeLog = parser.parse(changeLogFile, new ChangeLogParameters(), accessor);
                List<UniqueKey> keys = new ArrayList<>();
                for (ChangeSet changeSet : changeLog.getChangeSets()) {
                    for (Change change : changeSet.getChanges()) {
                        if (change instanceof AddUniqueConstraintChange unique) {
                            keys.add(new UniqueKey(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath(),
                                    unique.getTableName(), split(unique.getColumnNames()), "addUniqueConstraint"));
                        } else if (change instanceof CreateIndexChange index && Boolean.TRUE.equals(index.isUnique())) {
                            keys.add(new UniqueKey(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath(),
                                    index.getTableName(), index.getColumns().stream().map(AddColumnConfig::getName).toList(),
                                    "createIndex"));
                        }
                    }
                }
                return keys;
            });
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            throw new ChangelogException("Cannot read the changelog " + rootDirectory.resolve(changeLogFile).toAbsolutePath()
                    + ": " + reason + ". Fix the changelog or 'changeLogFile'.", e);
        } finally {
            liquibaseLogger.setLevel(previous);
        }
    }

    private static List<String> split(String columns) {
        return columns == null ? List.of() : Arrays.stream(columns.split(",")).map(String::strip)
                .filter(c -> !c.isEmpty()).toList();
    }
}
