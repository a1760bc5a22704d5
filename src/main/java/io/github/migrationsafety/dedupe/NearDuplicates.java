package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.ValueCodec;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Key values that differ only by case or surrounding whitespace pass a unique constraint, but usually name the
 * same model: reported as warnings, one per set of distinct key tuples with the same normalised form
 * ({@code LOWER(TRIM(..))} of the text keys), compared set-based in the database.
 *
 * <p>Such a set always holds a tuple that normalisation changes: of distinct tuples with one normalised form, at
 * most one can already be in that form. So only the rows normalisation changes are collected ({@code
 * ms_changed}, usually few), and the rows whose tuple equals one of their normalised forms are added by a hash
 * lookup; grouping those few rows gives the same sets as grouping every distinct tuple of the table, which
 * needs a sort or hash of the whole table. Any wider choice of rows gives the same sets too (its extra tuples
 * are alone in their normalised form), which lets PostgreSQL use a cheaper test than {@code LOWER(TRIM(..))} on
 * every row: see {@link NearDuplicateSql#mayChange}.
 *
 * <p>On PostgreSQL a count of those rows comes first: it is the one query here the planner runs with parallel
 * workers (its result is one row), and when it is zero, as in tables whose keys are all lower case and trimmed,
 * there are no near duplicates and the grouping query does not run.
 */
final class NearDuplicates {

    private static final int SHOWN = 10;

    private final Connection connection;
    private final EngineLog log;
    /** The statement running now, so a search running beside the ranking can be cancelled from another thread. */
    private volatile Statement running;
    /** Set by {@link #cancel}: a statement not yet started then does not start. */
    private volatile boolean cancelled;

    NearDuplicates(Connection connection, EngineLog log) {
        this.connection = connection;
        this.log = log;
    }

    /** Asks the database to stop the statement running now, if any. */
    void cancel() {
        cancelled = true;
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException e) {
                log.debug("dedupe: could not cancel the near-duplicate search: " + e.getMessage());
            }
        }
    }

    /**
     * PostgreSQL: whether the table's statistics sample its text keys and normalisation changes none of the values
     * sampled. Then rows it may change are few if any, and the ranking may test every row ({@link
     * SemiJoinRanking}): a ranking that marks such rows passes each of them through its sort, cheap for a
     * few, far dearer than a search of its own when most keys are, say, mixed case. Without statistics (a table
     * never analyzed) or when sampled values may change, the search tests the rows itself. Either way the findings
     * are the same; only the time differs.
     */
    static boolean statisticsShowNormalisedKeys(Connection connection, DedupeTarget target) throws SQLException {
        Object[] textKeys = target.keys().stream()
                .filter(ValueCodec::isText)
                .map(ColumnRef::name)
                .toArray();
        if (textKeys.length == 0) {
            return true;
        }
        try (PreparedStatement statement = connection.prepareStatement(NearDuplicateSql.statisticsSample())) {
            statement.setString(1, target.table().schema());
            statement.setString(2, target.table().name());
            statement.setArray(3, connection.createArrayOf("text", textKeys));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(2) > 0 && rs.getLong(1) == 0;
            }
        }
    }

    /**
     * The near-duplicate warnings when {@code config} asks for them, after a ranking that left {@code marks}: none
     * when it tested every row and normalisation changes none, the grouping alone when it may change some, the whole
     * search when the ranking did not test the rows. Timed.
     */
    List<Finding> after(RankingWay.Marks marks, DedupeTarget target, DedupeConfig config) throws SQLException {
        if (!config.nearDuplicates()) {
            return List.of();
        }
        return switch (marks) {
            case NONE -> List.of();
            case SOME -> groups(target);
            case UNTESTED -> search(target, config);
        };
    }

    /** The near-duplicate warnings when {@code config} asks for them, timed; none otherwise. */
    List<Finding> search(DedupeTarget target, DedupeConfig config) throws SQLException {
        if (!config.nearDuplicates()) {
            return List.of();
        }
        long started = System.nanoTime();
        List<Finding> findings = find(target);
        log.debug("dedupe: near-duplicate search took " + DedupeEngine.millis(started) + " ms");
        return findings;
    }

    List<Finding> find(DedupeTarget target) throws SQLException {
        if (target.keys().stream().noneMatch(ValueCodec::isText)) {
            return List.of();
        }
        if (target.dialect() == Dialect.POSTGRESQL) {
            try (Statement statement = started(connection.createStatement());
                    ResultSet rs = statement.executeQuery(NearDuplicateSql.count(target))) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return List.of();
                }
            }
        }
        return groupsFound(target);
    }

    /**
     * The near-duplicate warnings, without first counting the rows normalisation may change: for a caller that
     * already knows there are some ({@link SemiJoinRanking}). Timed.
     */
    List<Finding> groups(DedupeTarget target) throws SQLException {
        long started = System.nanoTime();
        List<Finding> findings = groupsFound(target);
        log.debug("dedupe: near-duplicate grouping took " + DedupeEngine.millis(started) + " ms");
        return findings;
    }

    private List<Finding> groupsFound(DedupeTarget target) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        long total = 0;
        try (Statement statement = started(connection.createStatement());
                ResultSet rs = statement.executeQuery(NearDuplicateSql.groups(target))) {
            while (rs.next()) {
                total++;
                if (findings.size() < SHOWN) {
                    List<String> min = new ArrayList<>();
                    List<String> max = new ArrayList<>();
                    for (int k = 0; k < target.keys().size(); k++) {
                        min.add(quoted(rs.getString(2 + 2 * k)));
                        max.add(quoted(rs.getString(3 + 2 * k)));
                    }
                    findings.add(Finding.warning(
                                    "dedupe.near-duplicate",
                                    target.subject(),
                                    rs.getLong(1)
                                            + " key values differ only by case or surrounding whitespace, e.g. ("
                                            + String.join(", ", min) + ") and (" + String.join(", ", max)
                                            + "); a unique constraint accepts them, but they probably name the same thing")
                            .withHint("normalise these values before adding the constraint if they are the same."));
                }
            }
        }
        if (total > SHOWN) {
            findings.add(Finding.warning(
                    "dedupe.near-duplicate",
                    target.subject(),
                    (total - SHOWN) + " more near-duplicate key sets not shown"));
        }
        return findings;
    }

    private Statement started(Statement statement) throws SQLException {
        running = statement;
        if (cancelled) {
            statement.close();
            throw new SQLException("the near-duplicate search was cancelled");
        }
        return statement;
    }

    private static String quoted(String value) {
        return value == null ? "NULL" : "'" + value + "'";
    }
}
