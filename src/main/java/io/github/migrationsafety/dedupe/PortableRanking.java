package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.BackupWriter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The portable ranking ({@link RankingWay}) of H2 and other databases: the window ranking of {@link WindowRanking},
 * its whole rows read over JDBC and their values decoded in the JVM ({@code ValueCodec}), forward-only with the
 * fetch size. Sets nothing in the transaction.
 */
record PortableRanking(DedupeTarget target, DedupeConfig config) implements RankingWay {

    @Override
    public String description() {
        return "every row by a window, read over JDBC";
    }

    @Override
    public boolean searchesBeside() {
        return false;
    }

    @Override
    public void prepare(Connection connection) {
        // no settings: the statements are plain SQL
    }

    /** Whole ranked rows (table columns, then the ranks) in group and rank order. */
    @Override
    public String reportSql() {
        return "SELECT g.* FROM (" + WindowRanking.ranked(target, config, false) + ") g ORDER BY " + target.keyList("g")
                + ", g.ms_rank";
    }

    @Override
    public Ranking report(
            Connection connection,
            DedupeReport report,
            DedupeReport.RecordListener listener,
            BackupWriter.Directory backup)
            throws SQLException, IOException {
        return new Ranking(report.fromRows(reportSql(), config.fetchSize(), backup, listener), Marks.UNTESTED);
    }
}
