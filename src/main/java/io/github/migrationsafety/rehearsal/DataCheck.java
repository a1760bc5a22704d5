package io.github.migrationsafety.rehearsal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Counts, on production and read only, the rows that would make one {@link Effect} fail, and samples up to N of
 * their key values: the primary key of the offending rows, or the duplicated key itself, never another column.
 * Names come from the catalog and are quoted; with a row limit, only the first rows of each table are read and a
 * count is a lower bound.
 */
final class DataCheck {

    /**
     * @param count   rows (for a unique key: rows in duplicate groups) that break the effect; {@code -1} when a
     *                cast check could only tell that at least one exists
     * @param keyName what {@code samples} are, e.g. {@code id} or {@code (name, version)}
     * @param samples up to N key values
     * @param query   the SQL that lists the offending rows, for the hint
     */
    record Count(Effect effect, long count, String keyName, List<String> samples, String query) {}

    private static final Pattern VARCHAR = Pattern.compile("character(?: varying)?\\((\\d+)\\)");
    private static final Pattern INTEGER = Pattern.compile("smallint|integer|bigint");

    /**
     * An effect a scan of its table alone decides, with the condition a breaking row meets in that scan: several of
     * one table are counted in one scan ({@link #countInOneScan}).
     */
    record Scannable(Effect effect, String condition) {}

    private final SnapshotReads production;
    private final int major;
    private final Catalog catalog;
    private final int samples;
    private final Long rowLimit;
    private final double splitRows;

    /**
     * @param production where the queries run: a connection on the rehearsal's snapshot of production
     * @param major      production's major version
     * @param catalog    production's schema (as copied), for the primary keys that name rows
     */
    DataCheck(SnapshotReads production, int major, Catalog catalog, int samples, Long rowLimit) {
        this(production, major, catalog, samples, rowLimit, DuplicateCount.SPLIT_ROWS);
    }

    /** @param splitRows from how many rows on a unique key's duplicates may be counted in parts ({@link DuplicateCount}) */
    DataCheck(SnapshotReads production, int major, Catalog catalog, int samples, Long rowLimit, double splitRows) {
        this.production = production;
        this.major = major;
        this.catalog = catalog;
        this.samples = samples;
        this.rowLimit = rowLimit;
        this.splitRows = splitRows;
    }

    /** Counts the rows that break {@code effect}, in a query of its own. */
    Count count(Effect effect) throws SQLException {
        if (effect instanceof Effect.TypeChange change) {
            requireCast(change);
        }
        if (effect instanceof Effect.Unique unique) {
            DuplicateCount duplicates = duplicates(unique);
            return duplicates.merge(production, List.of(duplicates.count(production, 0, 1)));
        }
        String condition = condition(effect);
        if (condition == null) {
            return probe((Effect.TypeChange) effect, from(effect.table()), primaryKey(effect));
        }
        String from = from(effect.table());
        return rows(
                effect, condition, primaryKey(effect), single("SELECT count(*) FROM " + from + " WHERE " + condition));
    }

    /**
     * How a scan of {@code effect}'s table alone counts the rows that break it, or {@code null} when it takes more: a
     * unique key (its rows are grouped by the key), a type change only a conversion of every value probes, and a
     * foreign key whose referenced table PostgreSQL would not hash in memory for this scan (then the anti-join of
     * {@link #count} reads it, instead of a lookup per row). A foreign key's orphans are counted in the scan as
     * {@code (key) NOT IN (SELECT referenced key ...)} over the referenced table's non-NULL keys, which with a
     * non-NULL key is exactly {@code NOT EXISTS}; PostgreSQL's plan ({@code EXPLAIN}, nothing run) says whether it
     * hashes that subquery.
     */
    Scannable scannable(Effect effect) throws SQLException {
        if (effect instanceof Effect.ForeignKey key && catalog.tables().containsKey(key.refTable())) {
            String condition = notIn(key);
            // VERBOSE: an aggregate's FILTER, where the plan says whether it hashes the subquery, shows only then
            String plan = explain("SELECT count(*) FILTER (WHERE " + condition + ") FROM " + from(key.table()));
            return plan.contains("hashed SubPlan") ? new Scannable(effect, condition) : null;
        }
        if (effect instanceof Effect.TypeChange change) {
            try {
                requireCast(change);
            } catch (SQLException e) {
                return null; // the count of its own says why
            }
        }
        // a unique key groups, an exclusion constraint joins the table with itself: a count of its own each
        String condition =
                effect instanceof Effect.Unique || effect instanceof Effect.Exclusion ? null : condition(effect);
        return condition == null ? null : new Scannable(effect, condition);
    }

    /**
     * Throws PostgreSQL's {@code cannot_coerce} ({@link #NO_CAST}) when no cast converts the old type to the new one:
     * the migration that passed then converts with an expression of its own ({@code USING}), which neither a cast
     * of each value nor {@code pg_input_is_valid} stands for.
     */
    private void requireCast(Effect.TypeChange change) throws SQLException {
        explain("SELECT CAST(NULL::" + change.from() + " AS " + change.to() + ")");
    }

    /** PostgreSQL's {@code cannot_coerce}: no cast from one type to the other. */
    static final String NO_CAST = "42846";

    /**
     * Counts several effects on one table in one scan ({@code count(*) FILTER (WHERE ...)} per effect), then takes
     * the key samples of each effect that rows break; the same figures as {@link #count} of each, one read of the
     * table instead of one per effect.
     */
    List<Count> countInOneScan(List<Scannable> effects) throws SQLException {
        String table = effects.get(0).effect().table();
        String sql = effects.stream()
                        .map(e -> "count(*) FILTER (WHERE " + e.condition() + ")")
                        .collect(Collectors.joining(", ", "SELECT ", " FROM "))
                + from(table);
        long[] counts = production.inSavepoint(connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                long[] values = new long[effects.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getLong(i + 1);
                }
                return values;
            }
        });
        List<Count> result = new ArrayList<>();
        for (int i = 0; i < effects.size(); i++) {
            Effect effect = effects.get(i).effect();
            result.add(rows(effect, condition(effect), primaryKey(effect), counts[i]));
        }
        return result;
    }

    /**
     * The condition a row that breaks {@code effect} meets, as the count of its own, the samples and the hint use it;
     * {@code null} for a unique key and for a type change only a conversion probes.
     */
    private String condition(Effect effect) {
        if (effect instanceof Effect.NotNull n) {
            return quote(n.column()) + " IS NULL";
        } else if (effect instanceof Effect.Check c) {
            return "NOT " + c.expression();
        } else if (effect instanceof Effect.ForeignKey f) {
            return orphan(f);
        } else if (effect instanceof Effect.TypeChange t) {
            return castCondition(t);
        } else if (effect instanceof Effect.Exclusion x) {
            return conflict(x);
        }
        return null;
    }

    /**
     * A row that another row conflicts with under the exclusion constraint {@code x}: every element's operator holds
     * between them ({@code t.room = b.room AND t.during && b.during}). A join of the table with itself: a large table
     * without an index for it meets the statement timeout, and then the count says it was cut off.
     */
    private String conflict(Effect.Exclusion x) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < x.columns().size(); i++) {
            pairs.add("t." + quote(x.columns().get(i)) + " OPERATOR("
                    + x.operators().get(i) + ") b." + quote(x.columns().get(i)));
        }
        String notNull =
                x.columns().stream().map(c -> "t." + quote(c) + " IS NOT NULL").collect(Collectors.joining(" AND "));
        String predicate = x.predicate() == null ? "" : " AND (" + x.predicate() + ")";
        return notNull + predicate + " AND EXISTS (SELECT 1 FROM " + qualified(x.table()) + " b WHERE b.ctid <> t.ctid"
                + predicate + " AND " + String.join(" AND ", pairs) + ")";
    }

    /** {@code count} rows matching {@code condition}, with the first primary keys when there are any. */
    private Count rows(Effect effect, String condition, List<String> pk, long count) throws SQLException {
        String where = " FROM " + from(effect.table()) + " WHERE " + condition;
        String keys = pk.isEmpty() ? null : pk.stream().map(DataCheck::quote).collect(Collectors.joining(", "));
        List<String> sample = count == 0 || keys == null
                ? List.of()
                : sample("SELECT " + keys + where + " ORDER BY " + keys + " LIMIT " + samples, pk.size());
        return new Count(
                effect,
                count,
                pk.isEmpty() ? "(no primary key)" : keyName(pk),
                sample,
                "SELECT " + (keys == null ? "*" : keys) + " FROM " + qualified(effect.table()) + " t WHERE "
                        + condition);
    }

    private String from(String name) {
        String table = qualified(name);
        return rowLimit == null ? table + " t" : "(SELECT * FROM " + table + " LIMIT " + rowLimit + ") t";
    }

    private List<String> primaryKey(Effect effect) {
        return catalog.tables().get(effect.table()).primaryKey();
    }

    /** The count of {@code unique}'s duplicates, to run whole ({@link #count}) or in parts side by side. */
    DuplicateCount duplicates(Effect.Unique unique) throws SQLException {
        return DuplicateCount.of(
                production,
                major,
                unique,
                qualified(unique.table()),
                from(unique.table()),
                rowLimit == null,
                samples,
                splitRows);
    }

    private String orphan(Effect.ForeignKey key) {
        String notNull = key.columns().stream()
                .map(c -> "t." + quote(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        if (!catalog.tables().containsKey(key.refTable())) {
            return notNull; // the referenced table is new: every non-NULL key is an orphan
        }
        List<String> match = new ArrayList<>();
        for (int i = 0; i < key.columns().size(); i++) {
            match.add("r." + quote(key.refColumns().get(i)) + " = t."
                    + quote(key.columns().get(i)));
        }
        return notNull + " AND NOT EXISTS (SELECT 1 FROM " + qualified(key.refTable()) + " r WHERE "
                + String.join(" AND ", match) + ")";
    }

    /** {@code t.a IS NOT NULL AND (t.a) NOT IN (SELECT r.x FROM ref r WHERE r.x IS NOT NULL)}: hashable. */
    private String notIn(Effect.ForeignKey key) {
        String notNull = key.columns().stream()
                .map(c -> "t." + quote(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        String columns = key.columns().stream().map(c -> "t." + quote(c)).collect(Collectors.joining(", "));
        String refColumns = key.refColumns().stream().map(c -> "r." + quote(c)).collect(Collectors.joining(", "));
        String refNotNull = key.refColumns().stream()
                .map(c -> "r." + quote(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        return notNull + " AND (" + columns + ") NOT IN (SELECT " + refColumns + " FROM " + qualified(key.refTable())
                + " r WHERE " + refNotNull + ")";
    }

    /**
     * Values that do not convert: PostgreSQL 16 and later say so per value ({@code pg_input_is_valid}); before, a
     * shorter {@code varchar(n)} and the integer types are checked by length and pattern ({@code null} for any other
     * type: {@link #probe} converts every value once, which tells only whether at least one fails).
     */
    private String castCondition(Effect.TypeChange change) {
        String column = quote(change.column());
        if (major >= 16) {
            return column + " IS NOT NULL AND NOT pg_input_is_valid(" + column + "::text, '"
                    + change.to().replace("'", "''") + "')";
        }
        Matcher varchar = VARCHAR.matcher(change.to());
        if (varchar.matches()) {
            return "length(" + column + "::text) > " + varchar.group(1);
        }
        if (INTEGER.matcher(change.to()).matches()
                && !INTEGER.matcher(change.from()).matches()) {
            return column + " IS NOT NULL AND " + column + "::text !~ '^\\s*[-+]?[0-9]+\\s*$'";
        }
        return null;
    }

    /** Converts every value of the column once: a count of 0, or -1 when at least one value does not convert. */
    private Count probe(Effect.TypeChange change, String from, List<String> pk) throws SQLException {
        String probe = "SELECT count(" + quote(change.column()) + "::" + change.to() + ") FROM " + from;
        try {
            single(probe);
            return new Count(change, 0, keyName(pk), List.of(), probe);
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState()) || NO_CAST.equals(e.getSQLState())) { // the timeout; no cast at all
                throw e;
            }
            return new Count(change, -1, keyName(pk), List.of(), probe);
        }
    }

    private String explain(String sql) throws SQLException {
        return production.inSavepoint(connection -> {
            StringBuilder plan = new StringBuilder();
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("EXPLAIN (VERBOSE) " + sql)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        });
    }

    private long single(String sql) throws SQLException {
        return production.inSavepoint(connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private List<String> sample(String sql, int columns) throws SQLException {
        return production.inSavepoint((Connection connection) -> {
            List<String> values = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    values.add(key(rs, columns));
                }
            }
            return values;
        });
    }

    /** The first {@code columns} values of the current row, as a key value: {@code v} or {@code (v1, v2)}. */
    private static String key(ResultSet rs, int columns) throws SQLException {
        return keyValue(values(rs, columns));
    }

    /** The first {@code columns} values of the current row, as text. */
    static List<String> values(ResultSet rs, int columns) throws SQLException {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
            values.add(rs.getString(i));
        }
        return values;
    }

    /** Values of a key as a report shows them: {@code v} or {@code (v1, v2)}. */
    static String keyValue(List<String> values) {
        List<String> shown = values.stream().map(String::valueOf).toList();
        return shown.size() == 1 ? shown.get(0) : "(" + String.join(", ", shown) + ")";
    }

    private String qualified(String table) {
        return catalog.qualified(table);
    }

    static String keyName(List<String> columns) {
        return columns.size() == 1 ? columns.get(0) : "(" + String.join(", ", columns) + ")";
    }

    static String quote(String identifier) {
        return ProductionSession.quote(identifier);
    }
}
