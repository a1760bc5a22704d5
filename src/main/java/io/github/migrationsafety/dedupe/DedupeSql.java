package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.TableRef;
import io.github.migrationsafety.db.ValueCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Every SQL statement a dedupe run sends, built from the validated names of a {@link DedupeTarget} only. Pure: no
 * connection, so each statement can be asserted as text.
 */
final class DedupeSql {

    /** The temporary table apply ranks the duplicate rows into: {@code ms_id}, {@code ms_group}, {@code ms_rank}. */
    static final String TEMP = "ms_dedupe_rows";
    /** Join condition from a ranked row {@code d} to the kept row {@code k} of its group. */
    static final String KEPT = "k.ms_group = d.ms_group AND k.ms_rank = 1";
    /** The ids of the rows apply deletes. */
    static final String TO_DELETE = "SELECT ms_id FROM " + TEMP + " WHERE ms_rank > 1";
    /** How many rows apply deletes. */
    static final String COUNT_TO_DELETE = "SELECT COUNT(*) FROM " + TEMP + " WHERE ms_rank > 1";
    /** PostgreSQL: a temporary table has no statistics until analyzed; without them the join and delete plans guess. */
    static final String ANALYZE_TEMP = "ANALYZE " + TEMP;

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

    /**
     * Every row of every duplicate group with its group number (by key order) and rank within the group
     * (1 = kept). Columns: the table's columns in table order ({@code narrow}: the id and key columns), then
     * {@code ms_rank}, {@code ms_next} and {@code ms_group}.
     *
     * <p>One sort of the table: {@code ROW_NUMBER} and {@code LEAD} share one window, and a row is in a duplicate
     * group when it is not the first of its group or has a successor. {@code COUNT(*) OVER} the group, the obvious
     * test, makes PostgreSQL hold every group back until its end; the kept id is not carried along with a {@code
     * FIRST_VALUE} but looked up by group where a repoint needs it. Only the rows of duplicate groups reach the
     * outer {@code DENSE_RANK}, whose input is already in key order.
     */
    static String ranked(DedupeTarget target, DedupeConfig config, boolean narrow) {
        List<String> filters = new ArrayList<>();
        if (config.nullsDistinct()) {
            for (ColumnRef key : target.keys()) {
                filters.add("t." + key.sql() + " IS NOT NULL");
            }
        }
        if (target.where() != null) {
            filters.add("(" + target.where() + ")");
        }
        String window = "(PARTITION BY " + target.keyList("t") + " ORDER BY " + keepOrder(target, config, "t") + ")";
        String rows = narrow ? "t." + target.id().sql() + ", " + target.keyList("t") : "t.*";
        String inner = "SELECT " + rows + ", ROW_NUMBER() OVER " + window + " AS ms_rank, LEAD(1) OVER " + window
                + " AS ms_next FROM "
                + target.table().sql() + " t" + (filters.isEmpty() ? "" : " WHERE " + String.join(" AND ", filters));
        String columns =
                narrow ? "s." + target.id().sql() + ", " + target.keyList("s") + ", s.ms_rank, s.ms_next" : "s.*";
        return "SELECT " + columns + ", DENSE_RANK() OVER (ORDER BY " + target.keyList("s") + ") AS ms_group FROM ("
                + inner + ") s WHERE s.ms_rank > 1 OR s.ms_next IS NOT NULL";
    }

    private static String keepOrder(DedupeTarget target, DedupeConfig config, String alias) {
        String id = alias + "." + target.id().sql();
        return switch (config.keep().kind()) {
            case LOWEST_ID -> id + " ASC";
            case HIGHEST_ID -> id + " DESC";
            case NEWEST -> alias + "." + target.keepColumn().sql() + " DESC NULLS LAST, " + id + " ASC";
            case OLDEST -> alias + "." + target.keepColumn().sql() + " ASC NULLS LAST, " + id + " ASC";
        };
    }

    /**
     * Dry-run on PostgreSQL: the report for {@code COPY}, ordered by the keys (the order {@code ms_group} is
     * numbered in, so PostgreSQL reuses the window's sort order). When the id is the primary key, only the id and
     * key columns of every row are ranked (a far smaller sort than whole rows) and the few rows of duplicate groups
     * are looked up by primary key, as in apply.
     */
    static String dryRunCopy(DedupeTarget target, DedupeConfig config) {
        if (target.idIsPrimaryKey()) {
            return "SELECT " + reportColumns(target, "d", "t") + " FROM (" + ranked(target, config, true)
                    + ") d JOIN " + target.table().sql() + " t ON t."
                    + target.id().sql() + " = d."
                    + target.id().sql() + " ORDER BY " + target.keyList("d") + ", d.ms_rank";
        }
        return "SELECT " + reportColumns(target, "g", "g") + " FROM (" + ranked(target, config, false) + ") g ORDER BY "
                + target.keyList("g") + ", g.ms_rank";
    }

    /**
     * Whether the PostgreSQL dry-run ranks with {@link #dryRunCopyMarked}: the id is the primary key (the report's
     * rows are looked up by it) and NULL keys are distinct (a join on {@code =} never pairs NULLs, as a unique
     * constraint does not).
     */
    static boolean ranksBySemiJoin(DedupeTarget target, DedupeConfig config) {
        return target.dialect() == Dialect.POSTGRESQL && target.idIsPrimaryKey() && config.nullsDistinct();
    }

    /**
     * PostgreSQL: of the text keys' values in the table's statistics ({@code pg_stats}: the most common values and
     * histogram bounds of a sample {@code ANALYZE} took), how many normalisation may change ({@link #mayChange}),
     * and how many there are. Parameters: schema, table, the text keys' names (a text array).
     */
    static String statisticsSample() {
        return "SELECT COUNT(*) FILTER (WHERE " + mayChange("v") + "), COUNT(*) FROM pg_stats s CROSS JOIN LATERAL"
                + " unnest(COALESCE(s.most_common_vals::text::text[], '{}') || COALESCE(s.histogram_bounds::text::text[],"
                + " '{}')) v WHERE s.schemaname = ? AND s.tablename = ? AND s.attname = ANY (?)";
    }

    /**
     * Dry-run on PostgreSQL ({@link #ranksBySemiJoin}): the report for {@code COPY}, each record led by one more
     * field, its kind: {@code R} a report row, {@code M} a report row normalisation may change, {@code N} no report
     * row but the first row outside duplicate groups that normalisation may change (at most one). The caller
     * strips the field and writes {@code R} and {@code M} records.
     *
     * <p>The rows of duplicate groups are found by a semi-join of the table with itself on the keys, which
     * PostgreSQL runs as a parallel hash join: every step but the numbering of the few rows found runs in the
     * parallel workers, where the window ranking over every row sorts in parallel but numbers every row in one
     * process. The near-duplicate search's test ({@link #mayChange}) is part of the join condition, so it runs in
     * those workers on the one read of the table, and the search's own read and test are left only for tables that
     * have such rows ({@link NearDuplicates#groups}). Group numbers count the groups in key order, as {@code
     * DENSE_RANK} over the report rows does.
     */
    static String dryRunCopyMarked(DedupeTarget target, DedupeConfig config) {
        boolean search = config.nearDuplicates() && target.keys().stream().anyMatch(ValueCodec::isText);
        String mayChange = search ? "(" + changed(target, "a") + ")" : "FALSE";
        List<String> columns = new ArrayList<>(List.of("a." + target.id().sql()));
        List<String> sameKeys = new ArrayList<>();
        List<String> scope = new ArrayList<>();
        for (ColumnRef key : target.keys()) {
            columns.add("a." + key.sql());
            sameKeys.add("b." + key.sql() + " = a." + key.sql());
            scope.add("a." + key.sql() + " IS NOT NULL");
        }
        ColumnRef keep = target.keepColumn();
        if (keep != null
                && !keep.name().equals(target.id().name())
                && target.keys().stream().noneMatch(k -> k.name().equals(keep.name()))) {
            columns.add("a." + keep.sql());
        }
        String where = target.where() == null ? "" : " AND (" + target.where() + ")";
        String found = "SELECT " + String.join(", ", columns) + ", " + mayChange + " AS ms_near FROM "
                + target.table().sql() + " a WHERE " + String.join(" AND ", scope) + where
                + " AND EXISTS (SELECT 1 FROM " + target.table().sql() + " b WHERE " + String.join(" AND ", sameKeys)
                + where + " AND (b." + target.id().sql() + " <> a."
                + target.id().sql() + " OR " + mayChange + "))";
        String ranked = "SELECT s.*, ROW_NUMBER() OVER w AS ms_rank, LEAD(1) OVER w AS ms_next FROM (" + found
                + ") s WINDOW w AS (PARTITION BY " + target.keyList("s") + " ORDER BY "
                + keepOrder(target, config, "s") + ")";
        String numbered = "SELECT r.*, COUNT(*) FILTER (WHERE r.ms_rank = 1 AND r.ms_next IS NOT NULL) OVER o AS"
                + " ms_group, COUNT(*) FILTER (WHERE r.ms_rank = 1 AND r.ms_next IS NULL) OVER o AS ms_singles FROM ("
                + ranked + ") r WINDOW o AS (ORDER BY " + target.keyList("r") + ", " + keepOrder(target, config, "r")
                + " ROWS UNBOUNDED PRECEDING)";
        String single = "x.ms_rank = 1 AND x.ms_next IS NULL";
        // OFFSET 0 keeps the lookup a lookup: the planner, which expects far more rows from the semi-join than it
        // returns, would otherwise hash the whole table to join the few rows found
        return "SELECT CASE WHEN " + single + " THEN 'N' WHEN x.ms_near THEN 'M' ELSE 'R' END, "
                + reportColumns(target, "x", "t") + " FROM (" + numbered + ") x CROSS JOIN LATERAL (SELECT * FROM "
                + target.table().sql() + " t WHERE t." + target.id().sql() + " = x."
                + target.id().sql()
                + " OFFSET 0) t WHERE NOT (" + single + ") OR x.ms_singles = 1 ORDER BY " + target.keyList("x")
                + ", x.ms_rank";
    }

    /** Dry-run over JDBC: whole ranked rows (table columns, then the ranks) in group and rank order. */
    static String dryRunRows(DedupeTarget target, DedupeConfig config) {
        return "SELECT g.* FROM (" + ranked(target, config, false) + ") g ORDER BY " + target.keyList("g")
                + ", g.ms_rank";
    }

    /**
     * SQL select list of the report, in {@link DedupeReport#header} order, with {@code ms_group} and
     * {@code ms_rank} from {@code ranks} and the table's columns from {@code rows}: the group number and the action
     * are computed by the database so {@code COPY} can write the report directly.
     */
    static String reportColumns(DedupeTarget target, String ranks, String rows) {
        List<String> select = new ArrayList<>();
        select.add(ranks + ".ms_group");
        target.keys().forEach(k -> select.add(rows + "." + k.sql()));
        select.add(rows + "." + target.id().sql());
        select.add("CASE WHEN " + ranks + ".ms_rank = 1 THEN 'KEEP' ELSE 'DELETE' END");
        target.others().forEach(o -> select.add(rows + "." + o.sql()));
        return String.join(", ", select);
    }

    /**
     * Apply: the ranking goes into a narrow temporary table (id, group, rank): sorting only the id and key
     * columns of every row is what makes the ranking as fast as a hand-written {@code ROW_NUMBER}; the whole rows
     * of the few duplicates are joined in afterwards for the report and backup.
     */
    static String createTemp(DedupeTarget target, DedupeConfig config) {
        String select = "SELECT r." + target.id().sql() + " AS ms_id, r.ms_group, r.ms_rank FROM ("
                + ranked(target, config, true) + ") r";
        if (target.dialect() == Dialect.H2) {
            // TRANSACTIONAL: H2 would otherwise commit the open transaction on CREATE TABLE
            return "CREATE LOCAL TEMPORARY TABLE " + TEMP + " ON COMMIT DROP TRANSACTIONAL AS " + select;
        }
        return "CREATE TEMPORARY TABLE " + TEMP + " ON COMMIT DROP AS " + select;
    }

    /** Apply on PostgreSQL: the report for {@code COPY}, whole rows joined from the table, in group and rank order. */
    static String applyCopy(DedupeTarget target) {
        return "SELECT " + reportColumns(target, "d", "t") + " FROM " + TEMP + " d JOIN "
                + target.table().sql() + " t ON t." + target.id().sql() + " = d.ms_id ORDER BY d.ms_group, d.ms_rank";
    }

    /** Apply over JDBC: whole rows (table columns, then the ranks) joined from the table, in group and rank order. */
    static String applyRows(DedupeTarget target) {
        return "SELECT t.*, d.ms_group, d.ms_rank FROM " + TEMP + " d JOIN "
                + target.table().sql() + " t ON t." + target.id().sql() + " = d.ms_id ORDER BY d.ms_group, d.ms_rank";
    }

    /** Apply: the delete, by joining the temporary table. */
    static String delete(DedupeTarget target) {
        if (target.dialect() == Dialect.POSTGRESQL) {
            return "DELETE FROM " + target.table().sql() + " t USING " + TEMP + " d WHERE t."
                    + target.id().sql() + " = d.ms_id AND d.ms_rank > 1";
        }
        return "DELETE FROM " + target.table().sql() + " WHERE " + target.id().sql() + " IN (" + TO_DELETE + ")";
    }

    /**
     * PostgreSQL plans the join of the ranked ids with the table as a hash join over the whole table, as if its
     * pages were on disk; with the primary key index, looking the few rows up is several times faster. Switched on
     * for the statements that join ranked ids with the table only (the reports and the delete), and only when the id
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
     * ({@code max_parallel_workers_per_gather}). Plus {@link #searchSettings}. Both change which plan runs and how,
     * never the result.
     */
    static List<String> rankingSettings(DedupeTarget target) {
        if (target.dialect() != Dialect.POSTGRESQL) {
            return List.of();
        }
        return List.of("SET LOCAL parallel_tuple_cost = 0.01", "SET LOCAL jit = off");
    }

    /**
     * PostgreSQL, for a transaction that searches near duplicates: no JIT compilation. The plans of a table this
     * size pass the server's JIT cost thresholds, and every parallel worker compiles the same simple expressions
     * again, which costs more than compiled code saves on a scan and a sort.
     */
    static List<String> searchSettings(DedupeTarget target) {
        if (target.dialect() != Dialect.POSTGRESQL) {
            return List.of();
        }
        return List.of("SET LOCAL jit = off");
    }

    /**
     * PostgreSQL, for the near-duplicate search beside the ranking ({@link NearDuplicatesBeside}): {@link
     * #searchSettings}, and no parallel workers. The ranking's parallel sort keeps the cores busy at first; after it,
     * the ranking runs in one process. A search in one process fits beside that; a parallel one takes cores from
     * the sort and delays the goal by most of its own time.
     */
    static List<String> besideSettings(DedupeTarget target) {
        if (target.dialect() != Dialect.POSTGRESQL) {
            return List.of();
        }
        List<String> settings = new ArrayList<>(searchSettings(target));
        settings.add("SET LOCAL max_parallel_workers_per_gather = 0");
        return settings;
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

    /** Row id, old and new value of each reference a repoint moves, for the backup. */
    static String repoints(Reference reference) {
        return "SELECT r." + reference.rowId().sql() + ", r."
                + reference.column().sql() + ", k.ms_id FROM "
                + reference.table().sql() + " r JOIN " + TEMP + " d ON r."
                + reference.column().sql()
                + " = d.ms_id JOIN " + TEMP + " k ON " + KEPT + " WHERE d.ms_rank > 1";
    }

    /** Points the references at rows apply deletes to the kept row of their group. */
    static String repoint(Reference reference) {
        return "UPDATE " + reference.table().sql() + " SET "
                + reference.column().sql() + " = (SELECT k.ms_id FROM "
                + TEMP + " d JOIN " + TEMP + " k ON " + KEPT + " WHERE d.ms_id = "
                + reference.table().sql() + "." + reference.column().sql()
                + ") WHERE " + reference.column().sql() + " IN (" + TO_DELETE + ")";
    }

    /**
     * PostgreSQL: the number of rows normalisation may change (see {@link NearDuplicates}); when it is zero, the
     * grouping query does not run.
     */
    static String nearDuplicateCount(DedupeTarget target) {
        return "SELECT COUNT(*)" + nearDuplicateScope(target) + " AND (" + changed(target, "t") + ")";
    }

    /**
     * The sets of distinct key tuples with one normalised form ({@code LOWER(TRIM(..))} of the text keys), largest
     * first: {@code COUNT(*)}, then {@code MIN} and {@code MAX} of each key. Only the rows normalisation may change
     * ({@code ms_changed}) and the rows whose tuple equals one of their normalised forms are grouped.
     */
    static String nearDuplicateGroups(DedupeTarget target) {
        List<String> sameTuple = new ArrayList<>();
        List<String> variants = new ArrayList<>();
        List<String> order = new ArrayList<>(List.of("COUNT(*) DESC"));
        List<String> groupBy = new ArrayList<>();
        for (ColumnRef key : target.keys()) {
            sameTuple.add(normalized(key, "c") + " = t." + key.sql());
            variants.add("MIN(d." + key.sql() + ")");
            variants.add("MAX(d." + key.sql() + ")");
            groupBy.add(normalized(key, "d"));
        }
        for (int column = 2; column <= 1 + variants.size(); column++) {
            order.add(Integer.toString(column));
        }
        String rows = nearDuplicateScope(target);
        return "WITH ms_changed AS (SELECT " + target.keyList("t") + rows + " AND (" + changed(target, "t")
                + ")) SELECT COUNT(*), " + String.join(", ", variants) + " FROM (SELECT " + target.keyList("c")
                + " FROM ms_changed c UNION SELECT " + target.keyList("t") + rows
                + " AND EXISTS (SELECT 1 FROM ms_changed c WHERE " + String.join(" AND ", sameTuple) + ")) d GROUP BY "
                + String.join(", ", groupBy) + " HAVING COUNT(*) > 1 ORDER BY " + String.join(", ", order);
    }

    /** {@code FROM} the table, the rows whose keys are all non-NULL, in the {@code where} scope. */
    private static String nearDuplicateScope(DedupeTarget target) {
        List<String> scope = new ArrayList<>();
        for (ColumnRef key : target.keys()) {
            scope.add("t." + key.sql() + " IS NOT NULL");
        }
        if (target.where() != null) {
            scope.add("(" + target.where() + ")");
        }
        return " FROM " + target.table().sql() + " t WHERE " + String.join(" AND ", scope);
    }

    /** True for the rows (of the table under {@code alias}) whose text keys normalisation may change. */
    private static String changed(DedupeTarget target, String alias) {
        List<String> changed = new ArrayList<>();
        for (ColumnRef key : target.keys()) {
            if (ValueCodec.isText(key)) {
                changed.add(
                        target.dialect() == Dialect.POSTGRESQL
                                ? mayChange(alias + "." + key.sql())
                                : normalized(key, alias) + " <> " + alias + "." + key.sql());
            }
        }
        return String.join(" OR ", changed);
    }

    /**
     * PostgreSQL: true for every value that {@code LOWER(TRIM(value))} changes, and for a few more. In a database
     * whose collation is not C, {@code LOWER} converts each value to wide characters and back, which costs more than
     * this whole test: lower-casing in the C collation only maps ASCII letters (no conversion), so values with other
     * characters, which {@code LOWER} may change, are caught by their byte length; {@code TRIM} only strips spaces.
     */
    static String mayChange(String column) {
        String c = column + " COLLATE \"C\"";
        return "LOWER(" + c + ") <> " + column + " OR OCTET_LENGTH(" + column + ") <> CHAR_LENGTH(" + column + ") OR "
                + c + " LIKE ' %' OR " + c + " LIKE '% '";
    }

    private static String normalized(ColumnRef key, String alias) {
        return ValueCodec.isText(key) ? "LOWER(TRIM(" + alias + "." + key.sql() + "))" : alias + "." + key.sql();
    }
}
