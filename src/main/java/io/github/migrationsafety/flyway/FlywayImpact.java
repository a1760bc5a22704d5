package io.github.migrationsafety.flyway;

import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.impact.ImpactTracer;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
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

    FlywayImpact(
            FlywaySource source,
            ProductionBoundary boundary,
            List<Migration> migrations,
            FlywaySmokeReport report,
            EngineLog log) {
        this.source = source;
        this.boundary = boundary;
        migrations.forEach(m -> byKey.put(m.key(), m));
        this.report = report;
        this.log = log;
    }

    /**
     * What each migration did on PostgreSQL to the tables that existed before it (Flyway's history table left
     * out): the report's {@code impact} entries and one check each, as for changesets, and the
     * {@code smoke.impact.*} rules' findings.
     */
    void record(MigrationRunner.Result result) {
        String history = source.configure().getTable();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (ImpactTracer.ChangesetTrace trace : result.traces()) {
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
                                + (impact.scanned() ? "yes" : "no")));
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
    private void judge(List<ImpactTracer.ChangesetTrace> traces, String history) {
        Set<String> tables = null;
        if (boundary.known()) {
            tables = new HashSet<>(traces.stream()
                    .filter(trace -> boundary.judged(trace.changeset()))
                    .findFirst()
                    .map(ImpactTracer.ChangesetTrace::tablesBefore)
                    .orElse(Set.of()));
            tables.remove(history.toLowerCase(Locale.ROOT));
        }
        ImpactRules rules = new ImpactRules(null, tables);
        for (ImpactTracer.ChangesetTrace trace : traces) {
            Migration migration = byKey.get(trace.changeset());
            if (migration != null && boundary.judged(trace.changeset())) {
                rules.judgeMigration(migration.key(), migration.file(), trace).forEach(report::lint);
            }
        }
    }
}
