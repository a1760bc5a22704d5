package io.github.migrationsafety.report;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one goal run did, as written to the JSON, JUnit XML and Markdown reports.
 *
 * @param goal      goal name, e.g. {@code dedupe}
 * @param startedAt when the run started
 * @param duration  how long it took
 * @param summary   goal-specific figures (counts, paths, fingerprints), in display order
 * @param findings  everything the goal found, errors and warnings, suppressed ones included (marked)
 * @param checks    units of work for the JUnit view
 * @param tables    tables for the Markdown summary, after the figures
 */
public record GoalReport(
        String goal,
        Instant startedAt,
        Duration duration,
        Map<String, Object> summary,
        List<Finding> findings,
        List<Check> checks,
        List<ReportTable> tables) {

    public GoalReport {
        summary = new LinkedHashMap<>(summary);
        findings = List.copyOf(findings);
        checks = List.copyOf(checks);
        tables = List.copyOf(tables);
    }

    public GoalReport(
            String goal,
            Instant startedAt,
            Duration duration,
            Map<String, Object> summary,
            List<Finding> findings,
            List<Check> checks) {
        this(goal, startedAt, duration, summary, findings, checks, List.of());
    }

    /** The report of an engine's {@code result}, of a run of {@code goal} that started at {@code startedAt}. */
    public static GoalReport of(String goal, Instant startedAt, Duration duration, EngineResult result) {
        return new GoalReport(
                goal, startedAt, duration, result.summary(), result.findings(), result.checks(), result.tables());
    }

    public boolean passed() {
        return errors().isEmpty() && checks.stream().noneMatch(c -> c.outcome() == Check.Outcome.FAILED);
    }

    public String status() {
        return passed() ? "passed" : "failed";
    }

    /** The errors nobody suppressed: they fail the goal. */
    public List<Finding> errors() {
        return findings.stream()
                .filter(f -> f.severity() == Severity.ERROR && !f.isSuppressed())
                .toList();
    }

    /** The warnings nobody suppressed. */
    public List<Finding> warnings() {
        return findings.stream()
                .filter(f -> f.severity() == Severity.WARNING && !f.isSuppressed())
                .toList();
    }

    /** The findings a team accepted, each with its reason: reported, never failing, never printed one by one. */
    public List<Finding> suppressed() {
        return findings.stream().filter(Finding::isSuppressed).toList();
    }
}
