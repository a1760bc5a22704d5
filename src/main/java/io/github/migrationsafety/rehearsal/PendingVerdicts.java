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
            String empty = emptyStatus(smoke, outcome.key());
            boolean onRebuild = update.onRebuild().contains(outcome.key());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("changeset", outcome.key());
            entry.put("empty", empty);
            entry.put("rehearsal", outcome.status());
            if (onRebuild) {
                entry.put("judgedOn", "the applied " + terms.units() + "' rebuild");
            }
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
                        // the rebuild has no drift: production's drifted objects explain nothing that fails there
                        ? FailureCause.of(
                                update, outcome.changeSet(), onRebuild ? List.of() : drifts, outcome.error(), terms)
                        : FailureCause.ranLater(outcome.ranLater());
                if (needsRows(cause, empty, outcome)) {
                    // the copy has production's schema and history, not its rows: a changeset that writes rows it
                    // selects from reference data earlier changesets inserted breaks a constraint there only
                    String message = onRebuild
                            ? "fails with a row that breaks a constraint on the rehearsal's copy and on the applied "
                                    + terms.units() + "' rebuild, and passed on an empty database: " + outcome.error()
                                    + " - it reads rows that production has and neither holds (the copy holds"
                                    + " production's schema, the rebuild only the rows the " + terms.units()
                                    + " insert), so the rehearsal cannot judge it"
                            : "fails on the rehearsal's copy with a row that breaks a constraint, and passed on"
                                    + " an empty database: " + outcome.error() + " - it reads rows that production"
                                    + " has and the copy does not (the copy holds production's schema and history,"
                                    + " not its rows), so the rehearsal cannot judge it";
                    message += update.pending().size() > 1 ? ", nor the pending " + terms.units() + " after it" : "";
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
                String message = (onRebuild
                                ? "fails after production's applied " + terms.units() + " (on their rebuild: the"
                                        + " schema they make, with the rows they insert)"
                                : "fails on production's schema")
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

    /**
     * A failure the copy cannot judge: a row breaks a constraint, nothing in production's schema explains it, and it
     * passed from empty, so it reads rows production has and the copy does not.
     */
    private static boolean needsRows(FailureCause cause, String empty, ChangelogOnCopy.Outcome outcome) {
        return cause.general() && empty.equals("passed") && FailureCause.rowBreaksConstraint(outcome.error());
    }

    /**
     * The pending changeset at which the copy's update stopped for want of production's rows, as far as the update
     * alone tells (drift, found later, may explain it instead); {@code null} when it did not.
     */
    static String needsRowsAt(ChangelogOnCopy.Update update, SmokeResult smoke, Terms terms) {
        for (ChangelogOnCopy.Outcome outcome : update.pending()) {
            if (outcome.status().equals("failed") && outcome.ranLater().isEmpty()) {
                FailureCause cause = FailureCause.of(update, outcome.changeSet(), List.of(), outcome.error(), terms);
                return needsRows(cause, emptyStatus(smoke, outcome.key()), outcome) ? outcome.key() : null;
            }
        }
        return null;
    }

    /** The changeset's status in the smoke from an empty database: PostgreSQL's when it ran there, else H2's. */
    private static String emptyStatus(SmokeResult smoke, String key) {
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
