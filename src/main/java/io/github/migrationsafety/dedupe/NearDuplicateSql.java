package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.ValueCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of the near-duplicate search ({@link NearDuplicates}) and its test of the rows normalisation may
 * change, which the semi-join ranking also runs ({@link SemiJoinRanking}). Built from the validated names of a {@link
 * DedupeTarget} only; pure, so each statement can be asserted as text.
 */
final class NearDuplicateSql {

    private NearDuplicateSql() {}

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
     * PostgreSQL: the number of rows normalisation may change; when it is zero, the grouping query does not run.
     */
    static String count(DedupeTarget target) {
        return "SELECT COUNT(*)" + scope(target) + " AND (" + changed(target, "t") + ")";
    }

    /**
     * The sets of distinct key tuples with one normalised form ({@code LOWER(TRIM(..))} of the text keys), largest
     * first: {@code COUNT(*)}, then {@code MIN} and {@code MAX} of each key. Only the rows normalisation may change
     * ({@code ms_changed}) and the rows whose tuple equals one of their normalised forms are grouped.
     */
    static String groups(DedupeTarget target) {
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
        String rows = scope(target);
        return "WITH ms_changed AS (SELECT " + target.keyList("t") + rows + " AND (" + changed(target, "t")
                + ")) SELECT COUNT(*), " + String.join(", ", variants) + " FROM (SELECT " + target.keyList("c")
                + " FROM ms_changed c UNION SELECT " + target.keyList("t") + rows
                + " AND EXISTS (SELECT 1 FROM ms_changed c WHERE " + String.join(" AND ", sameTuple) + ")) d GROUP BY "
                + String.join(", ", groupBy) + " HAVING COUNT(*) > 1 ORDER BY " + String.join(", ", order);
    }

    /** {@code FROM} the table, the rows whose keys are all non-NULL, in the {@code where} scope. */
    private static String scope(DedupeTarget target) {
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
    static String changed(DedupeTarget target, String alias) {
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
}
