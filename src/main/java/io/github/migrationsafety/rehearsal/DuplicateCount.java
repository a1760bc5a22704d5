package io.github.migrationsafety.rehearsal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The rows of production's duplicate groups under a new unique key, with the first N key values in the key's own
 * order: the data counts' longest query, a sort of every key. A large table's keys are counted in {@link #parts()}
 * parts, split by a hash of the first key column, each on a connection of its own ({@link DataCounts}); the parts'
 * figures are added up and their key values ordered again ({@link #merge}).
 *
 * @param table     the table, qualified and quoted
 * @param from      the {@code FROM} item, aliased {@code t}: the table, or its first rows under a row limit
 * @param whole     whether {@code from} is the whole table (no row limit)
 * @param columns   the key's columns with their types and collations, from production's catalog
 * @param rows      the table's row count by its statistics ({@code reltuples}; 0 or less when never analysed)
 * @param samples   how many key values the count keeps
 * @param splitRows from how many rows on the keys are counted in two parts ({@link #SPLIT_ROWS})
 */
record DuplicateCount(
        Effect.Unique unique,
        String table,
        String from,
        boolean whole,
        List<KeyCollation> columns,
        double rows,
        int samples,
        double splitRows) {

    /**
     * From this many rows on (by the statistics) the keys are counted in two parts. Below, one sort takes about a
     * second at most, and a part's own read of the table would add more than the second connection saves.
     */
    static final double SPLIT_ROWS = 1_000_000;

    /** The count of {@code unique}'s duplicates in production's {@code table}, with its columns and size read there. */
    static DuplicateCount of(
            SnapshotReads production,
            int major,
            Effect.Unique unique,
            String table,
            String from,
            boolean whole,
            int samples,
            double splitRows)
            throws SQLException {
        List<KeyCollation> columns = KeyCollation.of(production, major, table, unique);
        double rows = production.inSavepoint(connection -> {
            try (PreparedStatement statement =
                    connection.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = ?::regclass")) {
                statement.setString(1, table);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? rs.getDouble(1) : 0;
                }
            }
        });
        return new DuplicateCount(unique, table, from, whole, columns, rows, samples, splitRows);
    }

    /** What one part found: the rows in its duplicate groups and its first key values, each a list of columns. */
    record Part(long rows, List<List<String>> keys) {}

    /**
     * How many parts: two when the table is large, read whole (no row limit: two reads of "the first N rows" need not
     * read the same rows), every key column is in the catalog, and the first hashes alike whenever two values are
     * equal ({@link KeyCollation#hashesAsItCompares}; not, say, {@code numeric}: 1.0 = 1.00, apart as text).
     */
    int parts() {
        boolean hashable = columns.stream().allMatch(c -> c.type() != null)
                && columns.get(0).hashesAsItCompares();
        return hashable && rows >= splitRows && whole ? 2 : 1;
    }

    /** The statement that lists the duplicate groups, for the hint: the key as the table declares it. */
    String query() {
        return "SELECT " + keys() + ", count(*) AS n FROM " + table + " t WHERE " + where() + " GROUP BY " + keys()
                + " HAVING count(*) > 1";
    }

    /** Counts part {@code part} of {@code parts} (0 of 1: the whole key). */
    Part count(SnapshotReads production, int part, int parts) throws SQLException {
        String grouped = "SELECT "
                + IntStream.range(0, columns.size())
                        .mapToObj(i -> columns.get(i).grouped() + " AS " + alias(i))
                        .collect(Collectors.joining(", "))
                + ", count(*) AS n FROM " + from + " WHERE " + where()
                + (parts == 1 ? "" : " AND (hashtext(" + columns.get(0).sql() + ") & 1) = " + part)
                + " GROUP BY " + ordinals() + " HAVING count(*) > 1";
        // one pass: the first key values, each row carrying the number of rows in all duplicate groups
        String sql = "SELECT " + aliases() + ", sum(n) OVER () FROM (" + grouped + ") d ORDER BY " + ordered()
                + " LIMIT " + Math.max(1, samples);
        int width = columns.size();
        return production.inSavepoint(connection -> {
            List<String> settings = List.of(
                    "enable_hashagg", "parallel_setup_cost", "parallel_tuple_cost", "max_parallel_workers_per_gather");
            List<String> before = LocalSettings.read(connection, settings);
            // a key about to become unique has about as many groups as rows: hashing that many groups spills to disk
            // in batches that are written and read again, sorting them does not. One part alone sorts in parallel
            // workers too (parallel costs at 0), as many as the server's max_parallel_workers_per_gather allows; two
            // parts on two connections sort in one process each: the same cores without one process merging every
            // sorted row (Gather Merge). For this query only: a failure rolls the savepoint back, and with it the
            // settings
            LocalSettings.set(connection, settings, List.of("off", "0", "0", parts == 1 ? before.get(3) : "0"));
            long rows = 0;
            List<List<String>> keys = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    rows = rs.getLong(width + 1);
                    if (keys.size() < samples) {
                        keys.add(DataCheck.values(rs, width));
                    }
                }
            }
            LocalSettings.set(connection, settings, before);
            return new Part(rows, keys);
        });
    }

    /** The count of the parts together: their rows added up, their key values ordered again in the key's order. */
    DataCheck.Count merge(SnapshotReads production, List<Part> parts) throws SQLException {
        long rows = parts.stream().mapToLong(Part::rows).sum();
        List<List<String>> keys = parts.stream().flatMap(p -> p.keys().stream()).toList();
        if (parts.size() > 1 && keys.size() > 1) {
            keys = ordered(production, keys);
        }
        return new DataCheck.Count(
                unique,
                rows,
                DataCheck.keyName(unique.columns()),
                keys.stream().limit(samples).map(DataCheck::keyValue).toList(),
                query());
    }

    /** {@code keys} in the key's own order, by the database: a string's order is its collation's. */
    private List<List<String>> ordered(SnapshotReads production, List<List<String>> keys) throws SQLException {
        String row =
                columns.stream().map(c -> "CAST(? AS " + c.type() + ")").collect(Collectors.joining(", ", "(", ")"));
        String names =
                IntStream.rangeClosed(1, columns.size()).mapToObj(i -> "k" + i).collect(Collectors.joining(", "));
        String order = IntStream.range(0, columns.size())
                .mapToObj(i -> "k" + (i + 1)
                        + (columns.get(i).collation() == null
                                ? ""
                                : " COLLATE " + columns.get(i).collation()))
                .collect(Collectors.joining(", "));
        String sql = "SELECT * FROM (VALUES " + String.join(", ", Collections.nCopies(keys.size(), row)) + ") v("
                + names + ") ORDER BY " + order + " LIMIT " + samples;
        return production.inSavepoint(connection -> {
            List<List<String>> sorted = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int parameter = 1;
                for (List<String> key : keys) {
                    for (String value : key) {
                        statement.setString(parameter++, value);
                    }
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        sorted.add(DataCheck.values(rs, columns.size()));
                    }
                }
            }
            return sorted;
        });
    }

    private String keys() {
        return IntStream.range(0, unique.columns().size()).mapToObj(unique::key).collect(Collectors.joining(", "));
    }

    /** The grouped key's elements by name in the outer query: {@code k1}, {@code k2}, ... */
    private static String alias(int i) {
        return "k" + (i + 1);
    }

    private String aliases() {
        return IntStream.range(0, columns.size())
                .mapToObj(DuplicateCount::alias)
                .collect(Collectors.joining(", "));
    }

    private String where() {
        // a NULL key is never a duplicate, unless the key is NULLS NOT DISTINCT
        String notNull = unique.nullsEqual()
                ? "true"
                : IntStream.range(0, unique.columns().size())
                        .mapToObj(i -> unique.key(i) + " IS NOT NULL")
                        .collect(Collectors.joining(" AND "));
        return notNull + (unique.predicate() == null ? "" : " AND (" + unique.predicate() + ")");
    }

    private String ordinals() {
        return IntStream.rangeClosed(1, columns.size())
                .mapToObj(Integer::toString)
                .collect(Collectors.joining(", "));
    }

    private String ordered() {
        return IntStream.range(0, columns.size())
                .mapToObj(i -> columns.get(i).ordered(alias(i)))
                .collect(Collectors.joining(", "));
    }
}
