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

    private final ProductionSession production;
    private final Catalog catalog;
    private final int samples;
    private final Long rowLimit;

    /** @param catalog production's schema (as copied), for the primary keys that name rows */
    DataCheck(ProductionSession production, Catalog catalog, int samples, Long rowLimit) {
        this.production = production;
        this.catalog = catalog;
        this.samples = samples;
        this.rowLimit = rowLimit;
    }

    Count count(Effect effect) throws SQLException {
        String table = qualified(effect.table());
        String from = rowLimit == null ? table + " t" : "(SELECT * FROM " + table + " LIMIT " + rowLimit + ") t";
        List<String> pk = catalog.tables().get(effect.table()).primaryKey();
        if (effect instanceof Effect.NotNull n) {
            return rows(effect, from, quote(n.column()) + " IS NULL", pk);
        } else if (effect instanceof Effect.Check c) {
            return rows(effect, from, "NOT " + c.expression(), pk);
        } else if (effect instanceof Effect.ForeignKey f) {
            return rows(effect, from, orphan(f), pk);
        } else if (effect instanceof Effect.TypeChange t) {
            return cast(t, from, pk);
        }
        return duplicates((Effect.Unique) effect, from);
    }

    /** Rows matching {@code condition}: their count and the first primary keys. */
    private Count rows(Effect effect, String from, String condition, List<String> pk) throws SQLException {
        String where = " FROM " + from + " WHERE " + condition;
        long count = single("SELECT count(*)" + where);
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

    private Count duplicates(Effect.Unique unique, String from) throws SQLException {
        String keys = unique.columns().stream().map(DataCheck::quote).collect(Collectors.joining(", "));
        String notNull =
                unique.columns().stream().map(c -> quote(c) + " IS NOT NULL").collect(Collectors.joining(" AND "));
        String where = notNull + (unique.predicate() == null ? "" : " AND (" + unique.predicate() + ")");
        String groups = "SELECT " + keys + ", count(*) AS n FROM " + from + " WHERE " + where + " GROUP BY " + keys
                + " HAVING count(*) > 1";
        // one pass: the first key values, each row carrying the number of rows in all duplicate groups
        String sql = "SELECT " + keys + ", sum(n) OVER () FROM (" + groups + ") d ORDER BY " + keys + " LIMIT "
                + Math.max(1, samples);
        int width = unique.columns().size();
        long[] count = {0};
        List<String> sample = production.inSavepoint(connection -> {
            List<String> values = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                String hashAgg;
                try (ResultSet rs = statement.executeQuery("SELECT current_setting('enable_hashagg')")) {
                    rs.next();
                    hashAgg = rs.getString(1);
                }
                // a key about to become unique has about as many groups as rows: hashing that many groups spills
                // to disk in batches that are written and read again, sorting them does not. For this query only: a
                // failure rolls the savepoint back, and with it the setting
                statement.execute("SET LOCAL enable_hashagg = off");
                try (ResultSet rs = statement.executeQuery(sql)) {
                    while (rs.next()) {
                        count[0] = rs.getLong(width + 1);
                        if (values.size() < samples) {
                            values.add(key(rs, width));
                        }
                    }
                }
                statement.execute("SET LOCAL enable_hashagg = " + (hashAgg.equals("off") ? "off" : "on"));
            }
            return values;
        });
        return new Count(
                unique,
                count[0],
                keyName(unique.columns()),
                sample,
                groups.replace(from, qualified(unique.table()) + " t"));
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

    /**
     * Values that do not convert: PostgreSQL 16 and later say so per value ({@code pg_input_is_valid}); before, a
     * shorter {@code varchar(n)} and the integer types are checked by length and pattern, and any other type by
     * converting every value once, which tells only whether at least one fails.
     */
    private Count cast(Effect.TypeChange change, String from, List<String> pk) throws SQLException {
        String column = quote(change.column());
        if (production.major() >= 16) {
            return rows(
                    change,
                    from,
                    column + " IS NOT NULL AND NOT pg_input_is_valid(" + column + "::text, '"
                            + change.to().replace("'", "''") + "')",
                    pk);
        }
        Matcher varchar = VARCHAR.matcher(change.to());
        if (varchar.matches()) {
            return rows(change, from, "length(" + column + "::text) > " + varchar.group(1), pk);
        }
        if (INTEGER.matcher(change.to()).matches()
                && !INTEGER.matcher(change.from()).matches()) {
            return rows(change, from, column + " IS NOT NULL AND " + column + "::text !~ '^\\s*[-+]?[0-9]+\\s*$'", pk);
        }
        String probe = "SELECT count(" + column + "::" + change.to() + ") FROM " + from;
        try {
            single(probe);
            return new Count(change, 0, keyName(pk), List.of(), probe);
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState())) { // query_canceled: the timeout, not a bad value
                throw e;
            }
            return new Count(change, -1, keyName(pk), List.of(), probe);
        }
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
        List<String> key = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
            key.add(String.valueOf(rs.getString(i)));
        }
        return columns == 1 ? key.get(0) : "(" + String.join(", ", key) + ")";
    }

    private String qualified(String table) {
        return quote(catalog.schema()) + "." + quote(table);
    }

    private static String keyName(List<String> columns) {
        return columns.size() == 1 ? columns.get(0) : "(" + String.join(", ", columns) + ")";
    }

    static String quote(String identifier) {
        return ProductionSession.quote(identifier);
    }
}
