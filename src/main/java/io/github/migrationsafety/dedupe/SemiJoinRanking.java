package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.BackupWriter;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.ValueCodec;
import java.io.IOException;
import java.io.OutputStream;
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

    /** Whether the ranking tests the rows for the near-duplicate search: it is asked for and a key is text. */
    static boolean tests(DedupeTarget target, DedupeConfig config) {
        return config.nearDuplicates() && target.keys().stream().anyMatch(ValueCodec::isText);
    }

    @Override
    public String description() {
        return tests(target, config)
                ? "by a semi-join that also marks the rows normalisation may change"
                : "by a semi-join that does not test the rows for near duplicates";
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
     * of every row normalisation may change ({@code ms_near}), with {@code ms_rank} within its key. Alias {@code x}.
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
        return "SELECT s.*, ROW_NUMBER() OVER w AS ms_rank FROM (" + found
                + ") s WINDOW w AS (PARTITION BY " + target.keyList("s") + " ORDER BY "
                + DedupeSql.keepOrder(target, config, "s") + ")";
    }

    /**
     * The report for {@code COPY} without its first field, the group number, which {@link #report} adds; instead each
     * record is led by its kind: {@code k} the first row of its key (kept, when the key has more rows), {@code d} a row
     * to delete, in upper case when normalisation may change the row's keys. In key and keep order, the window's
     * order, so nothing is sorted after the lookups.
     */
    @Override
    public String reportSql() {
        // OFFSET 0 keeps the lookup a lookup: the planner, which expects far more rows from the semi-join than it
        // returns, would otherwise hash the whole table to join the few rows found
        return "SELECT CASE WHEN x.ms_rank = 1 THEN CASE WHEN x.ms_near THEN 'K' ELSE 'k' END WHEN x.ms_near THEN 'D'"
                + " ELSE 'd' END, " + DedupeSql.recordColumns(target, "x", "t") + " FROM (" + ranked()
                + ") x CROSS JOIN LATERAL (SELECT * FROM "
                + target.table().sql() + " t WHERE t." + target.id().sql() + " = x."
                + target.id().sql()
                + " OFFSET 0) t ORDER BY " + target.keyList("x") + ", " + DedupeSql.keepOrder(target, config, "x");
    }

    /**
     * Reads whole {@code COPY} records (one message per row, as the protocol says) through {@link Groups}, which
     * passes each report record, its group number in front, on to the report's scanner. Hash joins stay allowed: the
     * semi-join is one, and the statement looks its rows up by key itself.
     */
    @Override
    public Ranking report(
            Connection connection,
            DedupeReport report,
            DedupeReport.RecordListener listener,
            BackupWriter.Directory backup)
            throws SQLException, IOException {
        Groups[] groups = {null};
        DedupeEngine.Streamed streamed = report.fromFeed(
                scanner -> {
                    groups[0] = new Groups(scanner);
                    long copied = PgCopy.copyOutRows(connection, reportSql(), groups[0]);
                    return copied - groups[0].finish();
                },
                backup,
                listener);
        return new Ranking(streamed, marks(groups[0].mayChange));
    }

    /**
     * The semi-join's records made report records: a key's first row starts a group only when a row to delete
     * follows it; otherwise it was found alone, a row normalisation may change, and is no report row. Groups are
     * numbered upwards in key order, as {@code DENSE_RANK} over the report rows numbers them. Holds one record.
     */
    private static final class Groups implements PgCopy.RowSink {
        private final OutputStream scanner;
        private byte[] line = new byte[1 << 10];
        private byte[] held;
        private long group;
        private byte[] number;
        private long alone;
        private boolean mayChange;

        Groups(OutputStream scanner) {
            this.scanner = scanner;
        }

        @Override
        public void row(byte[] record) throws IOException {
            // the kind leads every record as one forced-quoted letter and a comma
            if (record.length < 5 || record[0] != '"' || record[2] != '"' || record[3] != ',') {
                throw new IOException("unexpected record from the ranking's COPY: "
                        + new String(record, 0, Math.min(record.length, 40), StandardCharsets.UTF_8));
            }
            byte kind = record[1];
            mayChange |= kind == 'K' || kind == 'D';
            if (kind == 'k' || kind == 'K') {
                single();
                held = record;
                return;
            }
            if (held != null) {
                group++;
                number = ("\"" + group + "\",").getBytes(StandardCharsets.US_ASCII);
                emit(held);
                held = null;
            }
            if (number == null) {
                throw new IOException("the ranking's COPY sent a row to delete before the first row of its key");
            }
            emit(record);
        }

        /** A record held is the only one of its key: a row normalisation may change, outside duplicate groups. */
        private void single() {
            if (held != null) {
                alone++;
                mayChange = true;
                held = null;
            }
        }

        /** Ends the stream; returns how many records were no report rows. */
        long finish() {
            single();
            return alone;
        }

        private void emit(byte[] record) throws IOException {
            int length = number.length + record.length - 4;
            if (line.length < length) {
                line = new byte[Math.max(length, 2 * line.length)];
            }
            System.arraycopy(number, 0, line, 0, number.length);
            System.arraycopy(record, 4, line, number.length, record.length - 4);
            scanner.write(line, 0, length);
        }
    }

    private Marks marks(boolean mayChange) {
        return !tests(target, config) || !mayChange ? Marks.NONE : Marks.SOME;
    }
}
