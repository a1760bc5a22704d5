package io.github.migrationsafety.impact;

/**
 * What one changeset did to one table that existed before it, as traced on PostgreSQL.
 *
 * @param changeset  {@code path::id::author}
 * @param table      the table
 * @param lock       the strongest lock the changeset's transaction held on it
 * @param heldMillis how long that lock was held: from the start of the change that took it to the commit
 * @param rewrite    whether the table was rewritten (its relfilenode changed)
 * @param scanned    whether the table was read in full (sequential scans in the transaction)
 */
public record TableImpact(
        String changeset, String table, LockMode lock, long heldMillis, boolean rewrite, boolean scanned) {}
