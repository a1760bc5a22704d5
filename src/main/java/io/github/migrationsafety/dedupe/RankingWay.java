package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.BackupWriter;
import io.github.migrationsafety.db.Dialect;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a dedupe run finds the rows of duplicate groups, numbers the groups and ranks their rows: one choice made once
 * per run from the facts ({@link #choose}), used alike by the dry-run, the one-transaction apply and the online
 * apply. Each way owns its SQL and the decoding of what that SQL sends back:
 *
 * <ul>
 *   <li>{@link SemiJoinRanking}: PostgreSQL, the id is the primary key, NULL keys are distinct and the table's
 *       statistics sample no key value normalisation may change. A parallel semi-join of the table with itself on
 *       the keys finds the rows of duplicate groups and, on the same read, marks the rows normalisation may change.
 *   <li>{@link WindowRanking}: PostgreSQL otherwise. A window over every row of the table; the near-duplicate search
 *       tests the rows itself, beside the dry-run's ranking.
 *   <li>{@link PortableRanking}: H2 and other databases. The window ranking, its rows read over JDBC.
 * </ul>
 *
 * <p>Every way numbers the groups in key order and ranks the rows of a group by the keep rule (1 = kept), so every
 * way writes the same report, byte for byte, and apply, which deletes the rows its report marks {@code DELETE},
 * deletes the same rows and backs them up alike.
 */
sealed interface RankingWay permits SemiJoinRanking, WindowRanking, PortableRanking {

    /** What a ranking found out about the rows normalisation may change, the near-duplicate search's start. */
    enum Marks {
        /** The ranking did not test the rows: the search tests them itself. */
        UNTESTED,
        /**
         * There are no near duplicates: the ranking tested every row and normalisation changes none, or there is
         * nothing to search (no text key, or the search is off).
         */
        NONE,
        /** The ranking tested every row and normalisation may change some: the search groups them. */
        SOME
    }

    /** The counts of a written report, and what the ranking found out about near duplicates. */
    record Ranking(DedupeEngine.Streamed streamed, Marks marks) {}

    /**
     * The way for {@code target} and {@code config}. On PostgreSQL, when the semi-join would test the rows for the
     * near-duplicate search, the table's statistics are read first ({@link NearDuplicates#statisticsShowNormalisedKeys}).
     */
    static RankingWay choose(Connection connection, DedupeTarget target, DedupeConfig config) throws SQLException {
        if (target.dialect() != Dialect.POSTGRESQL) {
            return of(target, config, false);
        }
        boolean semiJoin = target.idIsPrimaryKey() && config.nullsDistinct();
        return of(
                target,
                config,
                semiJoin
                        && (!SemiJoinRanking.tests(target, config)
                                || NearDuplicates.statisticsShowNormalisedKeys(connection, target)));
    }

    /**
     * The way for the facts: the dialect, whether the id is the primary key (the semi-join's rows are looked up by
     * it), whether NULL keys are distinct (a join on {@code =} never pairs NULLs, as a unique constraint does not),
     * and {@code keysLookNormalised}: the statistics sample no key value normalisation may change, or the ranking
     * need not test for it. A ranking that marks such rows passes each of them through its sort: cheap for a few,
     * far dearer than a search of its own when most keys are, say, mixed case.
     */
    static RankingWay of(DedupeTarget target, DedupeConfig config, boolean keysLookNormalised) {
        if (target.dialect() != Dialect.POSTGRESQL) {
            return new PortableRanking(target, config);
        }
        if (target.idIsPrimaryKey() && config.nullsDistinct() && keysLookNormalised) {
            return new SemiJoinRanking(target, config);
        }
        return new WindowRanking(target, config);
    }

    /** The validated names the way ranks. */
    DedupeTarget target();

    /** The run's parameters: keep rule, scope, NULL semantics, near-duplicate search. */
    DedupeConfig config();

    /**
     * The same way, ranking the same rows, without testing them for the near-duplicate search ({@link Marks#NONE}
     * comes back): the online apply's final pass, whose search uses the first ranking's marks.
     */
    default RankingWay withoutNearDuplicateTest() {
        DedupeConfig untested = config().withNearDuplicates(false);
        if (this instanceof SemiJoinRanking) {
            return new SemiJoinRanking(target(), untested);
        }
        if (this instanceof WindowRanking) {
            return new WindowRanking(target(), untested);
        }
        return new PortableRanking(target(), untested);
    }

    /** What the {@code -X} log says after "dedupe: ranking ". */
    String description();

    /** Whether a dry-run searches near duplicates beside this ranking, on a second connection. */
    boolean searchesBeside();

    /** Sets up the current transaction for this way's statements ({@code SET LOCAL} only). */
    void prepare(Connection connection) throws SQLException;

    /** The statement of the dry-run's report. */
    String reportSql();

    /**
     * Writes the report of every row of every duplicate group, in group and rank order, telling {@code listener} (when
     * given) about each record; with {@code backup}, the rows to delete also go into its {@code rows.csv}, in table
     * column order, from the same stream. The dry-run, the online plan and the one-transaction apply all call this.
     * Runs in the caller's transaction, {@link #prepare}d.
     */
    Ranking report(
            Connection connection,
            DedupeReport report,
            DedupeReport.RecordListener listener,
            BackupWriter.Directory backup)
            throws SQLException, IOException;
}
