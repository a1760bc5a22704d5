package io.github.migrationsafety.smoke;

import io.github.migrationsafety.impact.ChangesetTrace;
import io.github.migrationsafety.impact.ImpactEstimate;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.Finding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What happened on one database.
 *
 * @param name     the database as the user reads it ("H2", "PostgreSQL")
 * @param product  product name and version, as the server reports them
 * @param runs     each changeset that ran or failed, keyed by {@code path::id::author}, in order
 * @param errors   each failed changeset's error, explained
 * @param findings what the run found: update failures, seeds, expectations, rollback
 * @param checks   what the run checked: expectations, rollback
 * @param impacts  on PostgreSQL, what each changeset did to tables that existed before it; elsewhere empty
 * @param estimates on PostgreSQL, lock-held times at production size; empty without production sizes
 * @param traces   on PostgreSQL, the trace of each changeset with an impact, by key: what the estimate of its locks
 *                 reads of it (the foreign keys it added); elsewhere empty
 * @param noChangesetForIt the changelog has no changeset for this database: each names others in {@code dbms}
 */
record DatabaseRun(
        String name,
        String product,
        Map<String, ChangesetRun> runs,
        Map<String, String> errors,
        List<Finding> findings,
        List<Check> checks,
        List<TableImpact> impacts,
        List<ImpactEstimate> estimates,
        Map<String, ChangesetTrace> traces,
        boolean noChangesetForIt) {

    DatabaseRun {
        runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
        errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        findings = List.copyOf(findings);
        checks = List.copyOf(checks);
        impacts = List.copyOf(impacts);
        estimates = List.copyOf(estimates);
        traces = Map.copyOf(traces);
    }

    /** This run with production-size estimates and the findings they raise. */
    DatabaseRun withEstimates(List<ImpactEstimate> estimated, List<Finding> raised) {
        List<Finding> all = new ArrayList<>(findings);
        all.addAll(raised);
        return new DatabaseRun(name, product, runs, errors, all, checks, impacts, estimated, traces, noChangesetForIt);
    }

    /** One check per traced changeset and table, for the JUnit view: the lock held, as its time, and what it did. */
    List<Check> impactChecks() {
        List<Check> list = new ArrayList<>();
        for (TableImpact impact : impacts) {
            String detail = (impact.lock() == null
                            ? "no lock"
                            : impact.lock().pgName() + " (blocks "
                                    + impact.lock().blocks() + ")")
                    + ", rewrite " + (impact.rewrite() ? "yes" : "no") + ", full scan "
                    + (impact.scanned() ? "yes" : "no");
            ImpactEstimate e = estimateOf(impact);
            if (e != null) {
                detail += e.checkDetail();
            }
            list.add(new Check(
                    "impact." + group(),
                    impact.changeset() + " " + impact.table(),
                    Duration.ofMillis(impact.heldMillis()),
                    Check.Outcome.PASSED,
                    detail));
        }
        return list;
    }

    /** The production-size estimate of this traced lock, or {@code null} when it was not estimated. */
    ImpactEstimate estimateOf(TableImpact impact) {
        for (ImpactEstimate estimate : estimates) {
            if (estimate.changeset().equals(impact.changeset())
                    && estimate.table().equals(impact.table())) {
                return estimate;
            }
        }
        return null;
    }

    String group() {
        return name.toLowerCase(Locale.ROOT);
    }
}
