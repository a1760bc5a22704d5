package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ColumnRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of an online (batched) apply on PostgreSQL, built from validated names only. Each batch loads its
 * (id to delete, kept id) pairs into the session's temporary table {@value #BATCH}; every statement joins it.
 */
final class OnlineSql {

    /** The temporary table of one batch's pairs: {@code ms_del}, {@code ms_kept}, typed like the id column. */
    static final String BATCH = "ms_online_batch";
    /** Column list for {@code COPY ... FROM} into {@link #BATCH}. */
    static final String BATCH_COLUMNS = BATCH + " (ms_del, ms_kept)";

    private OnlineSql() {}

    /** Created once per session, outside the batches: typed exactly like the id column. */
    static String createBatchTable(DedupeTarget target) {
        return "CREATE TEMPORARY TABLE IF NOT EXISTS " + BATCH + " AS SELECT t."
                + target.id().sql() + " AS ms_del, t." + target.id().sql() + " AS ms_kept FROM "
                + target.table().sql() + " t WITH NO DATA";
    }

    static String clearBatch() {
        return "DELETE FROM " + BATCH;
    }

    static String analyzeBatch() {
        return "ANALYZE " + BATCH;
    }

    /**
     * Locks the rows of the batch against writers until commit, the rows to delete {@code FOR UPDATE} and their kept
     * twins {@code FOR SHARE} (so no one deletes or changes a kept row before the delete commits), and drops the pairs
     * whose row is gone, whose kept twin is gone, or whose keys no longer equal: a row is only deleted while a row with
     * its key that this run keeps is there, and locked. One statement: the pairs are locked where their keys still
     * equal (a row changed meanwhile is read again, as it is when the lock is granted, and judged by its new keys), and
     * every pair not locked is dropped. {@code NOT IN} makes that a hashed lookup of the locked ids even with hash joins
     * switched off for the batch ({@link DedupeSql#preferIndexLookups}); {@code ms_del} is never NULL.
     */
    static String lockAndPrune(DedupeTarget target) {
        List<String> same = new ArrayList<>();
        for (ColumnRef key : target.keys()) {
            same.add("d." + key.sql() + " IS NOT DISTINCT FROM k." + key.sql());
        }
        return "WITH ms_locked AS (SELECT b.ms_del FROM " + BATCH + " b JOIN "
                + target.table().sql() + " d ON d."
                + target.id().sql() + " = b.ms_del JOIN " + target.table().sql() + " k ON k."
                + target.id().sql()
                + " = b.ms_kept WHERE " + String.join(" AND ", same) + " FOR UPDATE OF d FOR SHARE OF k) DELETE FROM "
                + BATCH + " WHERE ms_del NOT IN (SELECT ms_del FROM ms_locked)";
    }

    /** The delete, returning the deleted rows in table column order for {@code COPY ... TO}: the backup. */
    static String deleteReturning(DedupeTarget target) {
        return "DELETE FROM " + target.table().sql() + " d USING " + BATCH + " b WHERE d."
                + target.id().sql() + " = b.ms_del RETURNING d.*";
    }

    /** How many rows of {@code reference} point at a row of the batch. */
    static String referencedCount(Reference reference) {
        return "SELECT COUNT(*) FROM " + reference.table().sql() + " r WHERE r."
                + reference.column().sql() + " IN (SELECT ms_del FROM " + BATCH + ")";
    }

    /** Row id, old and new value of each reference a repoint moves, locked until commit. */
    static String repoints(Reference reference) {
        return "SELECT r." + reference.rowId().sql() + ", r."
                + reference.column().sql() + ", b.ms_kept FROM "
                + reference.table().sql() + " r JOIN " + BATCH + " b ON r."
                + reference.column().sql()
                + " = b.ms_del FOR UPDATE OF r";
    }

    /** Points the references at rows of the batch to their kept twins. */
    static String repoint(Reference reference) {
        return "UPDATE " + reference.table().sql() + " r SET "
                + reference.column().sql() + " = b.ms_kept FROM " + BATCH + " b WHERE r."
                + reference.column().sql() + " = b.ms_del";
    }
}
