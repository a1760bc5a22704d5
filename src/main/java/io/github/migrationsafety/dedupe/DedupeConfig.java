package io.github.migrationsafety.dedupe;

import java.nio.file.Path;
import java.util.List;

/**
 * What to deduplicate and how.
 *
 * @param table           table name as configured ({@code name} or {@code schema.name})
 * @param keyColumns      columns whose equal values make rows duplicates
 * @param idColumn        unique row identifier; {@code null} = the single-column primary key
 * @param keep            which row of a group survives
 * @param apply           delete the other rows (after backing them up) instead of only reporting them
 * @param where           optional predicate limiting the rows considered, or {@code null}
 * @param onReferences    what to do with rows other tables reference
 * @param nullsDistinct   {@code true}: a NULL key column makes a row unique, like a standard unique constraint
 * @param reportFile      CSV report to write
 * @param backupDirectory where {@code apply} writes its backup directories
 * @param fetchSize       rows fetched per round trip while streaming
 * @param nearDuplicates  also look for keys that differ only by case or surrounding whitespace (a test of every row;
 *                        the one-transaction apply searches after its commit)
 */
public record DedupeConfig(
        String table,
        List<String> keyColumns,
        String idColumn,
        KeepRule keep,
        boolean apply,
        String where,
        OnReferences onReferences,
        boolean nullsDistinct,
        Path reportFile,
        Path backupDirectory,
        int fetchSize,
        boolean nearDuplicates) {

    public DedupeConfig {
        keyColumns = List.copyOf(keyColumns);
    }

    /** Defaults of the {@code dedupe} goal for the given table and keys. */
    public static DedupeConfig defaults(String table, List<String> keyColumns, Path reportFile, Path backupDirectory) {
        return new DedupeConfig(
                table,
                keyColumns,
                null,
                KeepRule.parse("lowest-id"),
                false,
                null,
                OnReferences.FAIL,
                true,
                reportFile,
                backupDirectory,
                10_000,
                true);
    }

    /**
     * Whether the {@code dedupe} goal searches near duplicates when {@code nearDuplicates} is not set: in the dry-run,
     * not with {@code apply}. The dry-run that goes before an apply reports them; the one-transaction apply's lock
     * blocks writers, and a search, whether under that lock or after it, only lengthens the run the apply is for.
     */
    public static boolean nearDuplicatesByDefault(boolean apply) {
        return !apply;
    }

    public DedupeConfig withApply(boolean value) {
        return new DedupeConfig(
                table,
                keyColumns,
                idColumn,
                keep,
                value,
                where,
                onReferences,
                nullsDistinct,
                reportFile,
                backupDirectory,
                fetchSize,
                nearDuplicates);
    }

    public DedupeConfig withKeep(KeepRule value) {
        return new DedupeConfig(
                table,
                keyColumns,
                idColumn,
                value,
                apply,
                where,
                onReferences,
                nullsDistinct,
                reportFile,
                backupDirectory,
                fetchSize,
                nearDuplicates);
    }

    public DedupeConfig withWhere(String value) {
        return new DedupeConfig(
                table,
                keyColumns,
                idColumn,
                keep,
                apply,
                value,
                onReferences,
                nullsDistinct,
                reportFile,
                backupDirectory,
                fetchSize,
                nearDuplicates);
    }

    public DedupeConfig withOnReferences(OnReferences value) {
        return new DedupeConfig(
                table,
                keyColumns,
                idColumn,
                keep,
                apply,
                where,
                value,
                nullsDistinct,
                reportFile,
                backupDirectory,
                fetchSize,
                nearDuplicates);
    }

    public DedupeConfig withNullsDistinct(boolean value) {
        return new DedupeConfig(
                table,
                keyColumns,
                idColumn,
                keep,
                apply,
                where,
                onReferences,
                value,
                reportFile,
                backupDirectory,
                fetchSize,
                nearDuplicates);
    }

    public DedupeConfig withNearDuplicates(boolean value) {
        return new DedupeConfig(
                table,
                keyColumns,
                idColumn,
                keep,
                apply,
                where,
                onReferences,
                nullsDistinct,
                reportFile,
                backupDirectory,
                fetchSize,
                value);
    }

    public DedupeConfig withIdColumn(String value) {
        return new DedupeConfig(
                table,
                keyColumns,
                value,
                keep,
                apply,
                where,
                onReferences,
                nullsDistinct,
                reportFile,
                backupDirectory,
                fetchSize,
                nearDuplicates);
    }
}
