package io.github.migrationsafety.impact;

import io.github.migrationsafety.impact.Catalog.Table;
import java.util.Map;
import java.util.Set;
import liquibase.change.Change;
import liquibase.change.core.RawSQLChange;
import liquibase.change.core.SQLFileChange;

/**
 * What one change of a changeset did, as PostgreSQL saw it: the catalog before and after it, what differs, and the
 * table locks held at its end (in a transaction: all those taken so far, kept until the commit; outside one: those
 * seen while it ran).
 *
 * @param position the change's place in its changeset, from 0
 * @param held     the strongest lock on each table (by oid) held when the change ended
 * @param taken    the locks this change took or strengthened, by table oid
 * @param worked   the tables (by oid) the change scanned in full or updated or deleted rows of, as the backend's
 *                 statistics count them (in a transaction)
 */
public record ChangeEffect(
        int position,
        Change change,
        long startedNanos,
        long endedNanos,
        Map<Long, LockMode> held,
        Map<Long, LockMode> taken,
        Set<Long> worked,
        Catalog before,
        Catalog after,
        CatalogDiff diff) {

    /** The lock held on the table when the change ended, or {@code null}. */
    public LockMode lockOn(Table table) {
        return held.get(table.oid());
    }

    /**
     * Whether the change is written as SQL ({@code <sql>}, {@code sqlFile}, a formatted-SQL changelog, a Flyway
     * migration, whose {@link #change()} is {@code null}).
     */
    public boolean isSql() {
        return change == null || change instanceof RawSQLChange || change instanceof SQLFileChange;
    }

    /** The table as it was before the change, or {@code null} when the change created it. */
    public Table tableBefore(long oid) {
        return before.tables().get(oid);
    }

    /** The name of the table with this oid, before or after the change; {@code null} when neither knows it. */
    public String tableName(long oid) {
        Table table = after.tables().get(oid);
        if (table == null) {
            table = before.tables().get(oid);
        }
        return table == null ? null : table.name();
    }

    /**
     * Whether the change did work that grows with a table's rows: read a table in full (a rewrite, a validation and
     * an unindexed update do), updated or deleted rows, or built or rebuilt an index. Adding a column without a
     * default, dropping or renaming one, {@code TRUNCATE}, or any other change to the catalog alone takes the same
     * time on any table.
     */
    public boolean worksOnRows() {
        return !worked.isEmpty()
                || !diff.newIndexes().isEmpty()
                || !diff.reindexed().isEmpty();
    }

    public long millis() {
        return (endedNanos - startedNanos) / 1_000_000;
    }
}
