package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.smoke.SmokeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings and checks for the pending changesets' run on production's schema, each failure with its
 * {@link FailureCause}, beside the changeset's status in the smoke from an empty database.
 */
final class PendingVerdicts {

    private final RehearsalConfig config;
    private final EngineLog log;
    private final SmokeResult smoke;
    private final RehearsalFindings results;
    private final String tool;
    private final String subject;
    private final Terms terms;

    /**
     * @param smoke   the smoke's result, whose {@code changesets} summary holds the run on an empty database
     * @param tool    the migration tool, as messages name it
     * @param subject what the rehearsal-wide findings name: the changelog, the migrations' locations
     * @param terms   how messages name what the tool runs
     */
    PendingVerdicts(
            RehearsalConfig config,
            EngineLog log,
            SmokeResult smoke,
            RehearsalFindings results,
            String tool,
            String subject,
            Terms terms) {
        this.tool = tool;
        this.subject = subject;
        this.terms = terms;
        this.config = config;
        this.log = log;
        this.smoke = smoke;
        this.results = results;
    }

    void judge(ChangelogOnCopy.Update update, List<Drift> drifts) {
        List<Map<String, Object>> pending = new ArrayList<>();
        results.put("pending", pending);
        if (update.refused() != null) {
            results.add(Finding.error(
                            RehearsalEngine.FAILED,
                            subject,
                            tool + " refused the update on production's schema: " + update.refused())
                    .withHint("fix what Liquibase names; production's own update would stop there too"));
        }
        int passed = 0;
        int failed = 0;
        for (ChangelogOnCopy.Outcome outcome : update.pending()) {
            String empty = emptyStatus(outcome.key());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("changeset", outcome.key());
            entry.put("empty", empty);
            entry.put("rehearsal", outcome.status());
            if (outcome.error() != null) {
                entry.put("error", outcome.error());
            }
            pending.add(entry);
            if (outcome.status().equals("passed")) {
                passed++;
                results.add(Check.passed("rehearsal", outcome.key(), Duration.ZERO));
            } else if (outcome.status().equals("failed")) {
                failed++;
                FailureCause cause = outcome.ranLater().isEmpty()
                        ? FailureCause.of(update, outcome.changeSet(), drifts, outcome.error(), terms)
                        : FailureCause.ranLater(outcome.ranLater());
                if (cause.general() && empty.equals("passed") && FailureCause.rowBreaksConstraint(outcome.error())) {
                    // the copy has production's schema and history, not its rows: a changeset that writes rows it
                    // selects from reference data earlier changesets inserted breaks a constraint there only
                    String message = "fails on the rehearsal's copy with a row that breaks a constraint, and passed on"
                            + " an empty database: " + outcome.error() + " - it reads rows that production has and"
                            + " the copy does not (the copy holds production's schema and history, not its rows), so"
                            + " the rehearsal cannot judge it"
                            + (update.pending().size() > 1 ? ", nor the pending " + terms.units() + " after it" : "");
                    entry.put("cause", "needs production's rows");
                    results.add(new Check("rehearsal", outcome.key(), Duration.ZERO, Check.Outcome.SKIPPED, message));
                    results.add(Finding.warning(RehearsalEngine.NEEDS_ROWS, outcome.key(), message)
                            .withHint("check what its SQL reads (the rows it selects, the keys it refers to) against"
                                    + " production's rows; the data counts still cover what the pending "
                                    + terms.units()
                                    + " add to production's tables")
                            .at(outcome.file(), 0));
                    continue;
                }
                entry.put("cause", cause.text());
                String message = "fails on production's schema"
                        + (empty.equals("passed") ? " but passed on an empty database" : "") + ": "
                        + outcome.error() + " - " + cause.text();
                results.add(Check.failed("rehearsal", outcome.key(), Duration.ZERO, message));
                results.add(Finding.error(RehearsalEngine.FAILED, outcome.key(), message)
                        .withHint(cause.hint())
                        .at(outcome.file(), 0));
            } else {
                results.add(new Check(
                        "rehearsal",
                        outcome.key(),
                        Duration.ZERO,
                        Check.Outcome.SKIPPED,
                        "not run: the update stopped at an earlier failure"));
            }
        }
        log.info("Rehearsal: " + terms.count(update.pending().size(), "pending") + " on production's schema: " + passed
                + " passed, "
                + failed + " failed"
                + (update.pending().size() > passed + failed
                        ? ", " + (update.pending().size() - passed - failed) + " not run"
                        : "")
                + " (" + results.millis("update") + " ms)");
    }

    /** The changeset's status in the smoke from an empty database: PostgreSQL's when it ran there, else H2's. */
    private String emptyStatus(String key) {
        for (Object value : (List<?>) smoke.summary().get("changesets")) {
            Map<?, ?> entry = (Map<?, ?>) value;
            if (key.equals(entry.get("changeset"))) {
                Object run = entry.get("postgresql") != null ? entry.get("postgresql") : entry.get("h2");
                return run instanceof Map<?, ?> status ? String.valueOf(status.get("status")) : "skipped";
            }
        }
        return "not in the smoke";
    }
}
