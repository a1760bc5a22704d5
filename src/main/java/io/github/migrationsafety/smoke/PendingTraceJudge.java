package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.impact.ChangesetTrace;
import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.impact.ImpactTracer;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.changelog.DatabaseChangeLog;

/**
 * Judges a database run's production-impact trace: only the changesets pending in production, against the tables
 * production has. Apart from {@link DatabaseRunner}, which applies the changelog and hands the trace over.
 */
final class PendingTraceJudge {

    /**
     * What the judging found, the table impacts of the pending changesets, in changelog order, and the traces of the
     * changesets with an impact, by key (what the estimate at production size reads of them).
     */
    record Judged(List<Finding> findings, List<TableImpact> impacts, Map<String, ChangesetTrace> traces) {}

    private final Production production;
    private final TrackingResourceAccessor accessor;
    private final EngineLog log;

    PendingTraceJudge(Production production, TrackingResourceAccessor accessor, EngineLog log) {
        this.production = production;
        this.accessor = accessor;
        this.log = log;
    }

    Judged judge(ImpactTracer tracer, DatabaseChangeLog changeLog) {
        List<Finding> findings = new ArrayList<>();
        List<TableImpact> impacts = new ArrayList<>();
        // the tables in production: those of the production database, or those given sizes; with a release
        // boundary, those that exist once the released changesets ran; without any, every table that an
        // earlier changeset created counts, so the rules still judge a changelog alone. Only the changesets
        // pending in production are judged.
        ImpactRules rules = new ImpactRules(
                new ChangesetLocator(accessor.root()), productionTables(tracer.traces()), production.lockTimeout());
        List<ChangesetTrace> pending = tracer.traces().stream()
                .filter(trace -> production.pending(trace.changeset()))
                .toList();
        rules.concurrentlyInTransaction(changeLog).stream()
                .filter(f -> production.pending(f.subject()))
                .forEach(findings::add);
        findings.addAll(rules.judge(changeLog, pending));
        Map<String, ChangesetTrace> traces = new HashMap<>();
        for (ChangesetTrace trace : pending) {
            impacts.addAll(trace.tables());
            if (!trace.tables().isEmpty()) {
                traces.put(trace.changeset(), trace);
            }
        }
        for (String problem : tracer.problems()) {
            log.warn("The production-impact trace is incomplete for " + problem);
        }
        return new Judged(findings, impacts, traces);
    }

    /**
     * The tables production has: known from {@code url} or {@code productionRows}; with a release boundary, those
     * that existed before the first changeset after it ran; {@code null} when nothing says.
     */
    private Set<String> productionTables(List<ChangesetTrace> traces) {
        if (production.tables() != null || production.released() == null) {
            return production.tables();
        }
        return traces.stream()
                .filter(trace -> production.pending(trace.changeset()))
                .findFirst()
                .map(ChangesetTrace::tablesBefore)
                .orElse(Set.of());
    }
}
