package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.BackupWriter;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.PgCopy;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's window ranking ({@link RankingWay}): one window over every row of the table ranks the rows of each
 * group; rows come back by {@code COPY}. Taken when the id is not the primary key, NULL keys are equal, or the
 * table's statistics sample key values normalisation may change; the near-duplicate search then tests the rows
 * itself, beside the dry-run's ranking.
 */
record WindowRanking(DedupeTarget target, DedupeConfig config) implements RankingWay {

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
        String window =
                "(PARTITION BY " + target.keyList("t") + " ORDER BY " + DedupeSql.keepOrder(target, config, "t") + ")";
        String rows = narrow ? "t." + target.id().sql() + ", " + target.keyList("t") : "t.*";
        String inner = "SELECT " + rows + ", ROW_NUMBER() OVER " + window + " AS ms_rank, LEAD(1) OVER " + window
                + " AS ms_next FROM "
                + target.table().sql() + " t" + (filters.isEmpty() ? "" : " WHERE " + String.join(" AND ", filters));
        String columns =
                narrow ? "s." + target.id().sql() + ", " + target.keyList("s") + ", s.ms_rank, s.ms_next" : "s.*";
        return "SELECT " + columns + ", DENSE_RANK() OVER (ORDER BY " + target.keyList("s") + ") AS ms_group FROM ("
                + inner + ") s WHERE s.ms_rank > 1 OR s.ms_next IS NOT NULL";
    }

    @Override
    public String description() {
        return "every row by a window; the near-duplicate search tests the rows itself";
    }

    @Override
    public boolean searchesBeside() {
        return true;
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
     * The report for {@code COPY}, ordered by the keys (the order {@code ms_group} is numbered in, so PostgreSQL
     * reuses the window's sort order). When the id is the primary key, only the id and key columns of every row are
     * ranked (a far smaller sort than whole rows) and the few rows of duplicate groups are looked up by primary key.
     */
    @Override
    public String reportSql() {
        if (target.idIsPrimaryKey()) {
            return "SELECT " + DedupeSql.reportColumns(target, "d", "t") + " FROM (" + ranked(target, config, true)
                    + ") d JOIN " + target.table().sql() + " t ON t."
                    + target.id().sql() + " = d."
                    + target.id().sql() + " ORDER BY " + target.keyList("d") + ", d.ms_rank";
        }
        return "SELECT " + DedupeSql.reportColumns(target, "g", "g") + " FROM (" + ranked(target, config, false)
                + ") g ORDER BY " + target.keyList("g") + ", g.ms_rank";
    }

    @Override
    public Ranking report(
            Connection connection,
            DedupeReport report,
            DedupeReport.RecordListener listener,
            BackupWriter.Directory backup)
            throws SQLException, IOException {
        return new Ranking(report.fromCopy(reportSql(), backup, listener), Marks.UNTESTED);
    }
}
