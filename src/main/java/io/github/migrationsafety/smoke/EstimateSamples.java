package io.github.migrationsafety.smoke;

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
 * The synthetic samples of one estimate. A step (changeset, migration) that runs in a transaction is measured on one sample that
 * grows from size to size, each run rolled back; any other (or one whose rollback did not undo it) on a fresh
 * sample per run.
 */
final class EstimateSamples implements AutoCloseable {
    private final EngineLog log;
    private final Connection connection;
    private final StallProbe.Connector connector;
    private final TableImpact impact;
    private final EstimateSteps.Step step;
    private final List<Parent> parents;
    private boolean undoable;
    private EstimateSample shared;

    EstimateSamples(
            EngineLog log,
            Connection connection,
            StallProbe.Connector connector,
            TableImpact impact,
            EstimateSteps.Step step,
            List<Parent> parents) {
        this.log = log;
        this.connection = connection;
        this.connector = connector;
        this.impact = impact;
        this.step = step;
        this.parents = parents;
        this.undoable = step.runsInTransaction();
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
        EstimateSample sample = EstimateSample.open(log, connection, connector, impact, step, parents);
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
