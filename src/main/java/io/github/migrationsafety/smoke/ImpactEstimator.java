package io.github.migrationsafety.smoke;

import io.github.migrationsafety.impact.ImpactEstimate;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.smoke.EstimateSample.Measurement;
import io.github.migrationsafety.smoke.EstimateSample.Parent;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Estimates, for each traced step (changeset, migration) that locks a table with a known production size, how long it
 * holds that lock in production. In a schema of its own on the same PostgreSQL it applies the steps before it, fills
 * the table with synthetic rows, runs the step under the trace with a live-client probe, and does that at two sizes;
 * the lock-held time is extrapolated to the production row count. The runs of one step share one sample where a
 * rollback undoes them ({@link EstimateSamples}). What is the migration tool's own, applying and running the steps,
 * is {@link EstimateSteps}': Liquibase's or Flyway's.
 */
public final class ImpactEstimator {

    public static final String BLOCKING = "smoke.impact.blocking";
    private static final long SHORT_LOCK_MILLIS = 1000;
    /** The larger sample must hold the lock at least this long, or the samples grow. */
    public static final long LONG_ENOUGH_MILLIS = 150;
    /** How many times the samples may grow fourfold: 200,000 rows become at most 3,200,000. */
    public static final int MAX_GROWTH = 2;
    /** The largest sample a foreign key's validation is measured at when production is larger still. */
    static final long MAX_JOIN_SAMPLE = 1_000_000;

    private final ImpactSettings settings;
    private final Function<String, Long> productionRows;
    private final EstimateSteps steps;
    private final EngineLog log;
    private final Connection connection;
    private final StallProbe.Connector connector;
    private final long longEnoughMillis;

    /**
     * @param settings         the sample sizes and {@code maxBlockingSeconds}
     * @param productionRows   a table's production row count, or {@code null} when not known (not estimated)
     * @param steps            the migration tool's side: applying the steps before the measured one, running it
     * @param connection       to the smoke's PostgreSQL database, where the samples' schemas are made
     * @param connector        opens more connections to that database (the probe, the lock watcher)
     * @param longEnoughMillis the lock-held time at the larger sample below which the samples grow ({@link
     *                         #LONG_ENOUGH_MILLIS}); 0 keeps the samples as configured, {@link Long#MAX_VALUE} grows
     *                         them as far as they may grow, whatever this machine's speed
     */
    public ImpactEstimator(
            ImpactSettings settings,
            Function<String, Long> productionRows,
            EstimateSteps steps,
            EngineLog log,
            Connection connection,
            StallProbe.Connector connector,
            long longEnoughMillis) {
        this.settings = settings;
        this.productionRows = productionRows;
        this.steps = steps;
        this.log = log;
        this.connection = connection;
        this.connector = connector;
        this.longEnoughMillis = longEnoughMillis;
    }

    /** As above, with the samples growing below {@link #LONG_ENOUGH_MILLIS}. */
    public ImpactEstimator(
            ImpactSettings settings,
            Function<String, Long> productionRows,
            EstimateSteps steps,
            EngineLog log,
            Connection connection,
            StallProbe.Connector connector) {
        this(settings, productionRows, steps, log, connection, connector, LONG_ENOUGH_MILLIS);
    }

    /** Estimates for every traced lock on a table whose production size is known, in the order given. */
    public List<ImpactEstimate> estimate(List<TableImpact> impacts) throws Exception {
        List<ImpactEstimate> estimates = new ArrayList<>();
        for (TableImpact impact : impacts) {
            Long rows = productionRows.apply(impact.table());
            if (rows == null || impact.lock() == null) {
                continue;
            }
            EstimateSteps.Step step = steps.step(impact);
            if (step == null) {
                continue;
            }
            List<Parent> parents = new ArrayList<>();
            step.referencedTables()
                    .forEach((parent, columns) ->
                            parents.add(new Parent(parent, List.copyOf(columns), productionRows.apply(parent))));
            long begun = System.nanoTime();
            Sizes sizes;
            try (EstimateSamples samples = new EstimateSamples(log, connection, connector, impact, step, parents)) {
                sizes = measureGrowing(samples, impact, rows, !parents.isEmpty());
            }
            log.debug("Estimate of " + impact.changeset() + " on " + impact.table() + " took "
                    + (System.nanoTime() - begun) / 1_000_000 + " ms");
            if (sizes == null) {
                continue;
            }
            Measurement small = sizes.small();
            Measurement large = sizes.large();
            long estimated = estimate(small, large, rows, !parents.isEmpty());
            ImpactEstimate estimate = new ImpactEstimate(
                    impact.changeset(),
                    impact.table(),
                    impact.lock(),
                    rows,
                    small.rows(),
                    small.heldMillis(),
                    large.rows(),
                    large.heldMillis(),
                    estimated,
                    large.readStall(),
                    large.writeStall());
            log.info("Impact of " + impact.changeset() + " on " + impact.table() + ": "
                    + impact.lock().pgName()
                    + " held " + small.heldMillis() + " ms at " + small.rows() + " rows, "
                    + large.heldMillis() + " ms at " + large.rows() + " rows; estimated " + estimated
                    + " ms at " + rows + " rows; longest probe read " + large.readStall() + " ms, write "
                    + large.writeStall() + " ms"
                    + (sizes.settled() == null
                            ? ""
                            : "; from samples that held it under " + longEnoughMillis
                                    + " ms, which can be off 2-3x; not grown further: " + sizes.settled()));
            estimates.add(estimate);
        }
        return estimates;
    }

    /** {@code smoke.impact.blocking} for each estimate above {@code maxBlockingSeconds} of a lock that blocks. */
    public static List<Finding> overLimit(List<ImpactEstimate> estimates, Double maxBlockingSeconds) {
        List<Finding> findings = new ArrayList<>();
        if (maxBlockingSeconds == null) {
            return findings;
        }
        for (ImpactEstimate e : estimates) {
            if ((e.lock().blocksWrites()) && e.estimatedMillis() > maxBlockingSeconds * 1000) {
                findings.add(Finding.error(
                                BLOCKING,
                                e.changeset(),
                                String.format(
                                        Locale.ROOT,
                                        "holds %s on %s,"
                                                + " which blocks %s, for an estimated %.1f s at %,d rows (measured %d ms at %,d rows and %d"
                                                + " ms at %,d rows), above maxBlockingSeconds=%s",
                                        e.lock().pgName(),
                                        e.table(),
                                        e.lock().blocks(),
                                        e.estimatedMillis() / 1000.0,
                                        e.productionRows(),
                                        e.smallMillis(),
                                        e.smallRows(),
                                        e.largeMillis(),
                                        e.largeRows(),
                                        maxBlockingSeconds))
                        .withHint("use the smoke.impact hint for this changeset to take a weaker lock, or run it in a"
                                + " maintenance window and raise maxBlockingSeconds"));
            }
        }
        return findings;
    }

    /** @param settled why the samples stopped growing before their lock was held long enough, or {@code null} */
    private record Sizes(Measurement small, Measurement large, String settled) {}

    /**
     * The two measurements the estimate is drawn through. A lock held only briefly at the larger sample size is
     * mostly fixed cost and noise, and the slope through two such points misses the production time by 2-3x either
     * way: the samples then grow fourfold (the larger becomes the smaller), up to {@link #MAX_GROWTH} times and never
     * past the production size, until the larger holds the lock at least {@link #LONG_ENOUGH_MILLIS} (or the
     * constructor's {@code longEnoughMillis}), or until growing cannot change the verdict of {@code
     * maxBlockingSeconds} ({@link #settled}).
     */
    private Sizes measureGrowing(EstimateSamples samples, TableImpact impact, long productionRows, boolean joins)
            throws Exception {
        long largeRows = settings.largeSample();
        long smallRows = settings.smallSample();
        if (productionRows < largeRows) { // a table smaller than the samples is measured at its own size
            largeRows = Math.max(4, productionRows);
            smallRows = Math.max(1, largeRows * settings.smallSample() / settings.largeSample());
        }
        if (joins && productionRows / 4 > largeRows) {
            // validating a foreign key joins both tables; once the join outgrows work_mem (between 200,000 and
            // 2,000,000 rows at PostgreSQL's default 4 MB) each row costs more than the small samples show: the
            // samples are taken nearer production, the larger at a quarter of it (at most MAX_JOIN_SAMPLE rows)
            largeRows = Math.min(productionRows / 4, Math.max(MAX_JOIN_SAMPLE, largeRows));
            smallRows = Math.max(1, largeRows * settings.smallSample() / settings.largeSample());
        }
        Measurement small = fastest(samples, smallRows);
        Measurement large = small == null ? null : fastest(samples, largeRows);
        String settled = null;
        for (int grown = 0;
                large != null
                        && large.heldMillis() < longEnoughMillis
                        && grown < MAX_GROWTH
                        && large.rows() < productionRows;
                grown++) {
            settled = settled(impact, estimate(small, large, productionRows, joins));
            if (settled != null) {
                break;
            }
            Measurement larger = fastest(samples, Math.min(large.rows() * 4, productionRows));
            if (larger == null) {
                break;
            }
            small = large;
            large = larger;
        }
        return small == null || large == null ? null : new Sizes(small, large, settled);
    }

    /**
     * Why growing the samples further cannot change the verdict of {@code maxBlockingSeconds}, or {@code null} when it
     * can (or no limit is set: then the samples grow for the estimate's own precision). An estimate from samples that
     * hold the lock this briefly can be off 2-3x either way: below a quarter of the limit, or above four times it, no
     * such error reaches it.
     */
    private String settled(TableImpact impact, long estimated) {
        Double limit = settings.maxBlockingSeconds();
        if (limit == null) {
            return null;
        }
        if (!impact.lock().blocksWrites()) {
            return "maxBlockingSeconds does not apply to a lock that blocks no writes";
        }
        if (estimated * 4 <= limit * 1000) {
            return "the estimate is below a quarter of maxBlockingSeconds=" + limit;
        }
        if (estimated >= limit * 1000 * 4) {
            return "the estimate is above four times maxBlockingSeconds=" + limit;
        }
        return null;
    }

    private static long estimate(Measurement small, Measurement large, long rows, boolean joins) {
        return joins
                ? ImpactEstimate.extrapolateGrowing(
                        small.rows(), small.heldMillis(), large.rows(), large.heldMillis(), rows)
                : ImpactEstimate.extrapolate(small.rows(), small.heldMillis(), large.rows(), large.heldMillis(), rows);
    }

    /**
     * A lock held for under a second is at the mercy of scheduling delays and checkpoints on a busy machine, and the
     * slope between the two sizes with it (a 30 % slower smaller run moves a tenfold extrapolation by as much): such
     * runs are repeated and the fastest kept, the one least disturbed.
     */
    private Measurement fastest(EstimateSamples samples, long rows) throws Exception {
        Measurement best = samples.measure(rows);
        for (int again = 0; best != null && best.heldMillis() < SHORT_LOCK_MILLIS && again < 2; again++) {
            Measurement next = samples.measure(rows);
            if (next != null && next.heldMillis() < best.heldMillis()) {
                best = next;
            }
        }
        return best;
    }

    /** Milliseconds since {@code at[0]}, which moves to now. */
    static long lap(long[] at) {
        long now = System.nanoTime();
        long millis = (now - at[0]) / 1_000_000;
        at[0] = now;
        return millis;
    }
}
