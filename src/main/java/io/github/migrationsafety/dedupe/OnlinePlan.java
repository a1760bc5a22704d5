package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.HashingFile;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranking of an online apply: one read-only pass of the run's way of ranking ({@link RankingWay}), without a table
 * lock, that writes the report and, from the same stream, the plan file {@code plan-<round>.csv} of (id to delete, kept id) pairs in group order,
 * fsynced. Also the check of {@code onReferences=fail} over the whole plan before anything is deleted.
 */
final class OnlinePlan {

    private final Connection connection;
    private final EngineLog log;
    private final RankingWay way;
    private final DedupeTarget target;

    OnlinePlan(Connection connection, EngineLog log, RankingWay way) {
        this.connection = connection;
        this.log = log;
        this.way = way;
        this.target = way.target();
    }

    /** A written plan: its file, pairs, SHA-256, the report's counts and what the ranking found of near duplicates. */
    record Plan(Path file, long pairs, String sha256, DedupeEngine.Streamed streamed, RankingWay.Marks marks) {}

    Plan rank(Path directory, int round, Path reportFile) throws SQLException, IOException {
        // the final pass ranks the same rows without the near-duplicate test: the search uses the first ranking's
        // marks, and a resumed run that did not rank the first round searches in full
        RankingWay way = round == 1 ? this.way : this.way.withoutNearDuplicateTest();
        Path file = directory.resolve("plan-" + round + ".csv");
        Files.deleteIfExists(file);
        long started = System.nanoTime();
        log.info("dedupe: ranking the duplicates of " + target.subject()
                + (round == 1 ? "" : " again (final pass: rows inserted while the run went on)")
                + "; no lock is taken");
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try (HashingFile plan = new HashingFile(file)) {
            way.prepare(connection);
            DeletePlan pairs = new DeletePlan(plan.stream());
            long[] records = {0};
            Progress progress = new Progress(log, "dedupe: ranking, rows of duplicate groups streamed", -1);
            DedupeReport report = new DedupeReport(connection, log, target, reportFile);
            RankingWay.Ranking ranking = way.report(
                    connection,
                    report,
                    (id, keep) -> {
                        progress.at(++records[0]);
                        pairs.record(id, keep);
                    },
                    null);
            String sha = plan.finish();
            log.info("dedupe: " + pairs.pairs() + " rows to delete in "
                    + ranking.streamed().groups() + " duplicate groups, ranked in "
                    + DedupeEngine.millis(started) / 1000 + " s; plan " + file);
            return new Plan(file, pairs.pairs(), sha, ranking.streamed(), ranking.marks());
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
            connection.setAutoCommit(true);
        }
    }

    /** The references with rows pointing at a row of the plan, and how many; nothing is changed. */
    Map<Reference, Long> referenced(Plan plan, List<Reference> references) throws SQLException, IOException {
        Map<Reference, Long> counts = new LinkedHashMap<>();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(OnlineSql.createBatchTable(target));
            statement.execute(OnlineSql.clearBatch());
            try (InputStream in = Files.newInputStream(plan.file())) {
                PgCopy.copyIn(connection, OnlineSql.BATCH_COLUMNS, in);
            }
            statement.execute(OnlineSql.analyzeBatch());
            for (Reference reference : references) {
                try (ResultSet rs = statement.executeQuery(OnlineSql.referencedCount(reference))) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        counts.put(reference, rs.getLong(1));
                    }
                }
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
        return counts;
    }

    /** The error of {@code onReferences=fail}: each reference and its count. */
    Finding finding(Map<Reference, Long> referenced) {
        StringBuilder text = new StringBuilder("rows to delete are referenced by foreign keys; nothing was changed:");
        referenced.forEach((reference, count) -> text.append("\n - ")
                .append(reference.display())
                .append(" (")
                .append(reference.name())
                .append("): ")
                .append(count)
                .append(" row(s)"));
        return Finding.error("dedupe.referenced", target.subject(), text.toString())
                .withHint("set <onReferences>repoint</onReferences> to move these references to the kept row of each"
                        + " group (recorded in the backup), or fix the referencing rows first.");
    }
}
