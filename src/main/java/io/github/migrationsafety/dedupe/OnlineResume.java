package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.backup.OnlineJournal;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/** Finding the unfinished online apply of a table in the backup directory, which the next apply resumes. */
final class OnlineResume {

    private OnlineResume() {}

    /**
     * Whether apply runs online: {@code batchSize} is set, or an unfinished online run of the table is in the backup
     * directory (it is finished first, whatever {@code batchSize} says). Online apply needs PostgreSQL.
     */
    static boolean wanted(DedupeTarget target, DedupeConfig config, OnlineOptions options) throws DatabaseException {
        boolean unfinished = target.dialect() == Dialect.POSTGRESQL
                && !unfinished(config, target).isEmpty();
        if (options.online() && target.dialect() != Dialect.POSTGRESQL) {
            throw new DatabaseException("Parameter 'batchSize' (" + options.batchSize() + ") needs PostgreSQL: online"
                    + " apply relies on its row locks, lock_timeout and txid_status. On "
                    + target.dialect().name().toLowerCase(Locale.ROOT)
                    + " leave 'batchSize' out to delete in one transaction.");
        }
        return options.online() || unfinished;
    }

    /** The unfinished online runs on this table in {@code backupDirectory}, oldest first. */
    static List<Path> unfinished(DedupeConfig config, DedupeTarget target) {
        Path root = config.backupDirectory();
        if (root == null || !Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(OnlineJournal::unfinished)
                    .filter(dir -> sameTable(dir, target))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean sameTable(Path directory, DedupeTarget target) {
        try {
            BackupManifest manifest = BackupManifest.read(directory);
            return target.table().name().equals(manifest.tableName())
                    && Objects.equals(target.table().schema(), manifest.schema());
        } catch (IOException e) {
            return false;
        }
    }

    static void checkSameKeys(DedupeTarget target, DedupeConfig config, BackupManifest manifest, Path directory)
            throws DatabaseException {
        List<String> keys = target.keys().stream().map(ColumnRef::name).toList();
        if (!keys.equals(manifest.keyColumns()) || !config.keep().toString().equals(manifest.keepRule())) {
            throw new DatabaseException("An unfinished online dedupe of "
                    + target.table().display() + " in "
                    + directory + " ran with keyColumns " + manifest.keyColumns() + " and keep " + manifest.keepRule()
                    + ", not " + keys + " and " + config.keep() + ". Run again with those to finish it, or put its"
                    + " rows back with migration-safety:restore -Dmigration-safety.backup=" + directory);
        }
    }
}
