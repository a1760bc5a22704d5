package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.BackupWriter;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.ValueCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's semi-join ranking ({@link RankingWay}): the rows of duplicate groups are found by a semi-join of the
 * table with itself on the keys, which PostgreSQL runs as a parallel hash join: every step but the numbering of the
 * few rows found runs in the parallel workers, where the window ranking over every row sorts in parallel but numbers
 * every row in one process. The near-duplicate search's test ({@link NearDuplicateSql#mayChange}) is part of the
 * join condition, so it runs in those workers on the one read of the table, and the search's own read and test are
 * left only for tables that have such rows. Needs the id to be the primary key (the rows found are looked up by it)
 * and NULL keys distinct (a join on {@code =} never pairs NULLs, as a unique constraint does not).
 */
record SemiJoinRanking(DedupeTarget target, DedupeConfig config) implements RankingWay {

    /** A row found alone with its key: a row normalisation may change, outside duplicate groups. */
    private static final String SINGLE = "x.ms_rank = 1 AND x.ms_next IS NULL";

    /** Whether the ranking tests the rows for the near-duplicate search: it is asked for and a key is text. */
    static boolean tests(DedupeTarget target, DedupeConfig config) {
        return config.nearDuplicates() && target.keys().stream().anyMatch(ValueCodec::isText);
    }

    @Override
    public String description() {
        return "by a semi-join that also marks the rows normalisation may change";
    }

    @Override
    public boolean searchesBeside() {
        return false;
    }

    @Override
    public void prepare(Connection connection) throws SQLException {
        PgCopy.canonicalText(connection);
        try (Statement statement = connection.createStatement()) {
            for (String setting : DedupeSql.rankingSettings(target)) {
                statement.execute(setting);
            }
        }
    }

    /**
     * The rows found, ranked: the id, the keys (and the keep rule's column) of every row of every duplicate group and
     * of every row normalisation may change ({@code ms_near}), with {@code ms_rank} and {@code ms_next} within its
     * key. Alias {@code x}.
     */
    private String ranked() {
        String mayChange = tests(target, config) ? "(" + NearDuplicateSql.changed(target, "a") + ")" : "FALSE";
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
        return "SELECT s.*, ROW_NUMBER() OVER w AS ms_rank, LEAD(1) OVER w AS ms_next FROM (" + found
                + ") s WINDOW w AS (PARTITION BY " + target.keyList("s") + " ORDER BY "
                + DedupeSql.keepOrder(target, config, "s") + ")";
    }

    /**
     * The report for {@code COPY} without its first field, the group number, which {@link #report} adds; instead each
     * record is led by its kind: {@code k} the kept row of a group, {@code d} a row to delete, in upper case when
     * normalisation may change the row's keys, and {@code N} a row alone with its key that normalisation may change,
     * which is no report row. In key and keep order, the window's order, so nothing is sorted after the lookups.
     */
    @Override
    public String reportSql() {
        // OFFSET 0 keeps the lookup a lookup: the planner, which expects far more rows from the semi-join than it
        // returns, would otherwise hash the whole table to join the few rows found
        return "SELECT CASE WHEN " + SINGLE + " THEN 'N' WHEN x.ms_rank = 1 THEN CASE WHEN x.ms_near THEN 'K' ELSE"
                + " 'k' END WHEN x.ms_near THEN 'D' ELSE 'd' END, "
                + DedupeSql.recordColumns(target, "x", "t") + " FROM (" + ranked()
                + ") x CROSS JOIN LATERAL (SELECT * FROM "
                + target.table().sql() + " t WHERE t." + target.id().sql() + " = x."
                + target.id().sql()
                + " OFFSET 0) t ORDER BY " + target.keyList("x") + ", " + DedupeSql.keepOrder(target, config, "x");
    }

    /**
     * Reads whole {@code COPY} records (one message per row, as the protocol says), numbers the groups in key order
     * (a group starts at its kept row), drops the rows alone with their key, and passes each report record, its group
     * number in front, on to the report's scanner. Hash joins stay allowed: the semi-join is one, and the statement
     * looks its rows up by key itself.
     */
    @Override
    public Ranking report(
            Connection connection,
            DedupeReport report,
            DedupeReport.RecordListener listener,
            BackupWriter.Directory backup)
            throws SQLException, IOException {
        boolean[] mayChange = {false};
        DedupeEngine.Streamed streamed = report.fromFeed(
                scanner -> {
                    long[] group = {0};
                    long[] singles = {0};
                    byte[][] line = {new byte[1 << 10]};
                    byte[][] number = {null};
                    long copied = PgCopy.copyOutRows(connection, reportSql(), record -> {
                        // the kind leads every record as one forced-quoted letter and a comma
                        if (record.length < 5 || record[0] != '"' || record[2] != '"' || record[3] != ',') {
                            throw new IOException("unexpected record from the ranking's COPY: "
                                    + new String(record, 0, Math.min(record.length, 40), StandardCharsets.UTF_8));
                        }
                        byte kind = record[1];
                        mayChange[0] |= kind == 'K' || kind == 'D' || kind == 'N';
                        if (kind == 'N') {
                            singles[0]++;
                            return;
                        }
                        if (kind == 'k' || kind == 'K' || number[0] == null) {
                            group[0]++;
                            number[0] = ("\"" + group[0] + "\",").getBytes(StandardCharsets.US_ASCII);
                        }
                        int length = number[0].length + record.length - 4;
                        if (line[0].length < length) {
                            line[0] = new byte[Math.max(length, 2 * line[0].length)];
                        }
                        System.arraycopy(number[0], 0, line[0], 0, number[0].length);
                        System.arraycopy(record, 4, line[0], number[0].length, record.length - 4);
                        scanner.write(line[0], 0, length);
                    });
                    return copied - singles[0];
                },
                backup,
                listener);
        return new Ranking(streamed, marks(mayChange[0]));
    }

    private Marks marks(boolean mayChange) {
        return !tests(target, config) || !mayChange ? Marks.NONE : Marks.SOME;
    }

    /**
     * Apply: the ids, group numbers and ranks of the rows found, and {@code ms_near}, as the report numbers them; plus
     * the first row found alone with its key, if any, with rank 0: a row normalisation may change outside duplicate
     * groups, which {@link #marks} reads and deletes.
     */
}
