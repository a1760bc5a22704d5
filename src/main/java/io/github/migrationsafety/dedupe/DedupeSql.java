package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.TableRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL every way of ranking shares ({@link RankingWay}): the checks of the configuration, the report's columns,
 * apply's plan table, delete and references, and the transaction settings. Built from the validated
 * names of a {@link DedupeTarget} only. Pure: no connection, so each statement can be asserted as text. Each way's
 * ranking is in its own class, the near-duplicate search's statements in {@link NearDuplicateSql}.
 */
final class DedupeSql {

    /**
     * The temporary table apply loads its plan into: {@code ms_del}, the id of a row to delete, and {@code ms_kept},
     * the id of the row its group keeps, both typed like the id column.
     */
    static final String PLAN = "ms_dedupe_plan";
    /** Column list for loading {@link #PLAN} ({@code COPY ... FROM} or {@code INSERT}). */
    static final String PLAN_COLUMNS = PLAN + " (ms_del, ms_kept)";
    /** The ids of the rows apply deletes. */
    static final String TO_DELETE = "SELECT ms_del FROM " + PLAN;

    private DedupeSql() {}

    /** A row whose {@code id} is NULL or not unique, if any. */
    static String duplicateIds(TableRef table, ColumnRef id) {
        return "SELECT " + id.sql() + ", COUNT(*) FROM " + table.sql() + " GROUP BY " + id.sql()
                + " HAVING COUNT(*) > 1 OR " + id.sql() + " IS NULL";
    }

    /** Lets the database parse the {@code where} predicate without reading a row. */
    static String parseCheck(TableRef table, String where) {
        return "SELECT 1 FROM " + table.sql() + " WHERE (" + where + ") AND 1=0";
    }

    /** The keep rule as an {@code ORDER BY} list over the rows under {@code alias}: the kept row first. */
    static String keepOrder(DedupeTarget target, DedupeConfig config, String alias) {
        String id = alias + "." + target.id().sql();
        return switch (config.keep().kind()) {
            case LOWEST_ID -> id + " ASC";
            case HIGHEST_ID -> id + " DESC";
            case NEWEST -> alias + "." + target.keepColumn().sql() + " DESC NULLS LAST, " + id + " ASC";
            case OLDEST -> alias + "." + target.keepColumn().sql() + " ASC NULLS LAST, " + id + " ASC";
        };
    }

    /**
     * SQL select list of the report, in {@link DedupeReport#header} order, with {@code ms_group} and
     * {@code ms_rank} from {@code ranks} and the table's columns from {@code rows}: the group number and the action
     * are computed by the database so {@code COPY} can write the report directly.
     */
    static String reportColumns(DedupeTarget target, String ranks, String rows) {
        return ranks + ".ms_group, " + recordColumns(target, ranks, rows);
    }

    /** {@link #reportColumns} without the group number: the keys, id, action and other columns. */
    static String recordColumns(DedupeTarget target, String ranks, String rows) {
        List<String> select = new ArrayList<>();
        target.keys().forEach(k -> select.add(rows + "." + k.sql()));
        select.add(rows + "." + target.id().sql());
        select.add("CASE WHEN " + ranks + ".ms_rank = 1 THEN 'KEEP' ELSE 'DELETE' END");
        target.others().forEach(o -> select.add(rows + "." + o.sql()));
        return String.join(", ", select);
    }

    /** Apply: the empty temporary table {@link #PLAN}, dropped at the end of the transaction. */
    static String createPlan(DedupeTarget target) {
        String select = "SELECT t." + target.id().sql() + " AS ms_del, t."
                + target.id().sql() + " AS ms_kept FROM " + target.table().sql() + " t WHERE 1 = 0";
        if (target.dialect() == Dialect.H2) {
            // TRANSACTIONAL: H2 would otherwise commit the open transaction on CREATE TABLE
            return "CREATE LOCAL TEMPORARY TABLE " + PLAN + " ON COMMIT DROP TRANSACTIONAL AS " + select;
        }
        return "CREATE TEMPORARY TABLE " + PLAN + " ON COMMIT DROP AS " + select;
    }

    /** Apply over JDBC: one pair of the plan. */
    static String insertPair() {
        return "INSERT INTO " + PLAN_COLUMNS + " VALUES (?, ?)";
    }

    /** Apply: the delete of the planned rows, by id. */
    static String delete(DedupeTarget target) {
        if (target.dialect() == Dialect.POSTGRESQL) {
            return "DELETE FROM " + target.table().sql() + " t USING " + PLAN + " p WHERE t."
                    + target.id().sql() + " = p.ms_del";
        }
        return "DELETE FROM " + target.table().sql() + " WHERE " + target.id().sql() + " IN (" + TO_DELETE + ")";
    }

    /**
     * PostgreSQL plans the join of the ranked ids with the table as a hash join over the whole table, as if its
     * pages were on disk; with the primary key index, looking the few rows up is several times faster. Switched on
     * for the statements that join ranked ids with the table only (the window ranking's report and the delete), and only when the id
     * is the primary key: for a join on a column without an index, the hash join is the right plan. No statements
     * otherwise.
     */
    static List<String> preferIndexLookups(DedupeTarget target, boolean prefer) {
        if (target.dialect() != Dialect.POSTGRESQL || !target.idIsPrimaryKey()) {
            return List.of();
        }
        return List.of(
                "SET LOCAL enable_hashjoin = " + (prefer ? "off" : "on"),
                "SET LOCAL enable_mergejoin = " + (prefer ? "off" : "on"));
    }

    /**
     * PostgreSQL, for the dry-run's transaction: the ranking sorts only the id and key columns of every row. For rows
     * that narrow the planner's default cost of passing a row from a parallel worker (0.1) outweighs the sort it
     * would share, so it sorts in one process, where a hand-written query over whole rows gets the parallel sort. A
     * tenth of that cost lets the ranking use the parallel workers the server allows
     * ({@code max_parallel_workers_per_gather}); and no JIT compilation ({@link NearDuplicateSql#searchSettings} says why). Both change which plan runs and how,
     * never the result.
     */
    static List<String> rankingSettings(DedupeTarget target) {
        if (target.dialect() != Dialect.POSTGRESQL) {
            return List.of();
        }
        return List.of("SET LOCAL parallel_tuple_cost = 0.01", "SET LOCAL jit = off");
    }

    /** How many rows of {@code reference} point at a row apply deletes. */
    static String referencedCount(Reference reference) {
        return "SELECT COUNT(*) FROM " + reference.table().sql() + " r WHERE r."
                + reference.column().sql() + " IN (" + TO_DELETE + ")";
    }

    /** The row id (or the reference, without one) and the reference of the rows pointing at a row apply deletes. */
    static String referencedSamples(Reference reference) {
        String rowId = reference.rowId() == null
                ? "r." + reference.column().sql()
                : "r." + reference.rowId().sql();
        return "SELECT " + rowId + ", r." + reference.column().sql() + " FROM "
                + reference.table().sql() + " r WHERE r." + reference.column().sql() + " IN (" + TO_DELETE
                + ") ORDER BY 1";
    }

    /** Row id, old and new value of each reference a repoint moves, for the backup, by row id. */
    static String repoints(Reference reference) {
        return "SELECT r." + reference.rowId().sql() + ", r."
                + reference.column().sql() + ", p.ms_kept FROM "
                + reference.table().sql() + " r JOIN " + PLAN + " p ON r."
                + reference.column().sql()
                + " = p.ms_del ORDER BY 1";
    }

    /** Points the references at rows apply deletes to the kept row of their group. */
    static String repoint(Reference reference) {
        return "UPDATE " + reference.table().sql() + " SET "
                + reference.column().sql() + " = (SELECT p.ms_kept FROM "
                + PLAN + " p WHERE p.ms_del = " + reference.table().sql() + "."
                + reference.column().sql()
                + ") WHERE " + reference.column().sql() + " IN (" + TO_DELETE + ")";
    }
}
