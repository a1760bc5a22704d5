package io.github.migrationsafety.flyway;

import io.github.migrationsafety.impact.ChangesetTrace;
import io.github.migrationsafety.impact.ImpactEstimate;
import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.smoke.ImpactEstimator;
import io.github.migrationsafety.smoke.ImpactSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each migration did on PostgreSQL to the tables that existed before it, and the {@code smoke.impact.*} rules'
 * judgement of the migrations production has not run.
 */
final class FlywayImpact {

    private final FlywaySource source;
    private final ProductionBoundary boundary;
    private final Map<String, Migration> byKey = new LinkedHashMap<>();
    private final FlywaySmokeReport report;
    private final EngineLog log;
    private final ImpactSettings estimate;

    /**
     * @param estimate the sample sizes, {@code maxBlockingSeconds} and the production row counts (from
     *                 {@code productionRows} and production's statistics) of the estimate at production size
     */
    FlywayImpact(
            FlywaySource source,
            ProductionBoundary boundary,
            List<Migration> migrations,
            FlywaySmokeReport report,
            EngineLog log,
            ImpactSettings estimate) {
        this.source = source;
        this.boundary = boundary;
        migrations.forEach(m -> byKey.put(m.key(), m));
        this.report = report;
        this.log = log;
        this.estimate = estimate;
    }

    /**
     * The lock-held time at production size of each traced lock of a migration production has not run, on a table
     * whose production size is known: measured on synthetic rows at two sizes, in schemas of their own on the smoke's
     * PostgreSQL database, as for changesets ({@link ImpactEstimator}); {@code smoke.impact.blocking} for each above
     * {@code maxBlockingSeconds}.
     *
     * @param connection to the smoke's PostgreSQL database, after Flyway's migrate
     * @param monitor    opens more connections to it
     */
    List<ImpactEstimate> estimate(MigrationRunner.Result result, Connection connection, StallProbe.Connector monitor)
            throws SQLException {
        return estimate(result, connection, monitor, ImpactEstimator.LONG_ENOUGH_MILLIS);
    }

    /** @param longEnoughMillis the samples grow while the larger holds the lock under this ({@link ImpactEstimator}) */
    List<ImpactEstimate> estimate(
            MigrationRunner.Result result, Connection connection, StallProbe.Connector monitor, long longEnoughMillis)
            throws SQLException {
        String history = source.configure().getTable();
        List<TableImpact> impacts = result.traces().stream()
                .filter(trace -> boundary.judged(trace.changeset()))
                .flatMap(trace -> trace.tables().stream())
                .filter(impact -> !impact.table().equalsIgnoreCase(history))
                .toList();
        if (estimate.rows().isEmpty() || impacts.isEmpty()) {
            return List.of();
        }
        List<ImpactEstimate> estimates;
        try {
            estimates = new ImpactEstimator(
                            estimate,
                            table -> estimate.rows().get(table.toLowerCase(Locale.ROOT)),
                            new FlywayEstimateSteps(source, List.copyOf(byKey.values()), result.traces(), monitor),
                            log,
                            connection,
                            monitor,
                            longEnoughMillis)
                    .estimate(impacts);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e.getMessage(), e);
        }
        for (Finding finding : ImpactEstimator.overLimit(estimates, estimate.maxBlockingSeconds())) {
            Migration migration = byKey.get(finding.subject());
            report.add(migration == null ? finding : finding.at(migration.file(), 1));
        }
        return estimates;
    }

    /**
     * What each migration did on PostgreSQL to the tables that existed before it (Flyway's history table left
     * out): the report's {@code impact} entries and one check each, as for changesets, and the
     * {@code smoke.impact.*} rules' findings.
     */
    void record(MigrationRunner.Result result, List<ImpactEstimate> estimates) {
        String history = source.configure().getTable();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (ChangesetTrace trace : result.traces()) {
            for (TableImpact impact : trace.tables()) {
                if (impact.table().equalsIgnoreCase(history)) {
                    continue;
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("changeset", impact.changeset());
                entry.put("table", impact.table());
                entry.put("lock", impact.lock() == null ? "" : impact.lock().pgName());
                entry.put(
                        "blocks",
                        impact.lock() == null ? "nothing" : impact.lock().blocks());
                entry.put("rewrite", impact.rewrite());
                entry.put("scan", impact.scanned());
                entry.put("heldMillis", impact.heldMillis());
                ImpactEstimate estimated = estimates.stream()
                        .filter(e -> e.changeset().equals(impact.changeset())
                                && e.table().equals(impact.table()))
                        .findFirst()
                        .orElse(null);
                if (estimated != null) {
                    entry.put("productionEstimate", estimated.reportEntry());
                }
                entries.add(entry);
                report.check(new Check(
                        "impact.postgresql",
                        impact.changeset() + " " + impact.table(),
                        Duration.ofMillis(impact.heldMillis()),
                        Check.Outcome.PASSED,
                        (impact.lock() == null
                                        ? "no lock"
                                        : impact.lock().pgName() + " (blocks "
                                                + impact.lock().blocks() + ")")
                                + ", rewrite " + (impact.rewrite() ? "yes" : "no") + ", full scan "
                                + (impact.scanned() ? "yes" : "no")
                                + (estimated == null ? "" : estimated.checkDetail())));
            }
        }
        report.put("impact", entries);
        judge(result.traces(), history);
        for (String problem : result.problems()) {
            log.warn("The production-impact trace is incomplete for " + problem);
        }
    }

    /**
     * The {@code smoke.impact.*} rules over each migration production has not run, by its trace. The tables in
     * production: with a boundary ({@code url}, {@code releasedChecksums}), those that exist before the first
     * migration it leaves pending; without one, every table an earlier migration created. Judged like the lint:
     * they warn, and {@code failOn} decides.
     */
    private void judge(List<ChangesetTrace> traces, String history) {
        Set<String> tables = null;
        if (boundary.known()) {
            tables = new HashSet<>(traces.stream()
                    .filter(trace -> boundary.judged(trace.changeset()))
                    .findFirst()
                    .map(ChangesetTrace::tablesBefore)
                    .orElse(Set.of()));
            tables.remove(history.toLowerCase(Locale.ROOT));
        }
        ImpactRules rules = new ImpactRules(null, tables);
        for (ChangesetTrace trace : traces) {
            Migration migration = byKey.get(trace.changeset());
            if (migration != null && boundary.judged(trace.changeset())) {
                rules.judgeMigration(migration.key(), migration.file(), trace).forEach(report::lint);
            }
        }
    }
}
