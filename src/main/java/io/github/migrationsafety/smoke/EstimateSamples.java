package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.smoke.EstimateSample.Measurement;
import io.github.migrationsafety.smoke.EstimateSample.Parent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * The synthetic samples of one estimate. A changeset that runs in a transaction is measured on one sample that
 * grows from size to size, each run rolled back; any other (or one whose rollback did not undo it) on a fresh
 * sample per run.
 */
final class EstimateSamples implements AutoCloseable {
    private final SmokeConfig config;
    private final TrackingResourceAccessor accessor;
    private final EngineLog log;
    private final Connection connection;
    private final StallProbe.Connector connector;
    private final int position;
    private final TableImpact impact;
    private final List<Parent> parents;
    private boolean undoable;
    private EstimateSample shared;

    EstimateSamples(
            SmokeConfig config,
            TrackingResourceAccessor accessor,
            EngineLog log,
            Connection connection,
            StallProbe.Connector connector,
            int position,
            TableImpact impact,
            List<Parent> parents,
            boolean undoable) {
        this.config = config;
        this.accessor = accessor;
        this.log = log;
        this.connection = connection;
        this.connector = connector;
        this.position = position;
        this.impact = impact;
        this.parents = parents;
        this.undoable = undoable;
    }

    Measurement measure(long rows) throws Exception {
        if (!undoable) {
            try (EstimateSample sample = open()) {
                return sample == null ? null : measure(sample, rows, false);
            }
        }
        if (shared == null || shared.rows() > rows) {
            close();
            shared = open();
            if (shared == null) {
                return null;
            }
        }
        Measurement measured = measure(shared, rows, true);
        if (shared.spent()) { // it committed something by itself: measured again as it runs, on a fresh sample
            undoable = false;
            close();
            return measure(rows);
        }
        return measured;
    }

    private Measurement measure(EstimateSample sample, long rows, boolean undo) throws Exception {
        long[] at = {System.nanoTime()};
        long from = sample.rows();
        sample.growTo(rows);
        long fill = ImpactEstimator.lap(at);
        Measurement measured = sample.run(undo);
        log.debug(String.format(
                Locale.ROOT,
                "Estimate of %s at %,d rows: fill and vacuum analyze %d ms (from %,d rows%s), the change with the"
                        + " probe %d ms (%s)",
                impact.changeset(),
                rows,
                fill,
                from,
                sample.parentSizes().isEmpty() ? "" : "; parents " + sample.parentSizes(),
                ImpactEstimator.lap(at),
                undo ? "rolled back" : "committed"));
        return measured;
    }

    private EstimateSample open() throws Exception {
        long[] at = {System.nanoTime()};
        EstimateSample sample =
                EstimateSample.open(config, accessor, log, connection, connector, impact, position, parents);
        log.debug("Estimate of " + impact.changeset() + ": a fresh schema with the changesets before it "
                + ImpactEstimator.lap(at) + " ms");
        return sample;
    }

    @Override
    public void close() throws SQLException {
        if (shared != null) {
            EstimateSample closing = shared;
            shared = null;
            closing.close();
        }
    }
}
