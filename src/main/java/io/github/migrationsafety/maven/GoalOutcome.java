package io.github.migrationsafety.maven;

import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.GoalReport;
import io.github.migrationsafety.report.ReportTable;
import io.github.migrationsafety.report.ReportWriter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The one way every goal turns its engine's result into a Maven outcome: write the reports, log the summary lines,
 * each warning and error with its rule id and the suppressed findings counted, then fail once with the result's
 * headline when it did not pass.
 *
 * @param goal   the goal name, e.g. {@code dedupe}, for the report's file names and messages
 * @param writer writes the JSON, JUnit XML, Markdown, SARIF and HTML reports
 * @param log    the goal's log, redacting every secret
 */
record GoalOutcome(String goal, ReportWriter writer, EngineLog log) {

    /** Reports {@code result}, of a run that started at {@code started}; fails the build when it did not pass. */
    void conclude(EngineResult result, Instant started, boolean failOnErrors)
            throws MojoExecutionException, MojoFailureException {
        conclude(result, started, Map.of(), List.of(), failOnErrors);
    }

    /**
     * As {@link #conclude(EngineResult, Instant, boolean)}, with figures the goal knows ({@code context}, shown first)
     * and tables another engine added to the result ({@code moreTables}, after the result's own).
     *
     * @param failOnErrors when {@code false}, errors are logged as warnings and the build goes on
     */
    void conclude(
            EngineResult result,
            Instant started,
            Map<String, Object> context,
            List<ReportTable> moreTables,
            boolean failOnErrors)
            throws MojoExecutionException, MojoFailureException {
        result.summaryLines().forEach(log::info);
        Map<String, Object> summary = new LinkedHashMap<>(context);
        summary.putAll(result.summary());
        List<ReportTable> tables = new ArrayList<>(result.tables());
        tables.addAll(moreTables);
        GoalReport report = new GoalReport(
                goal,
                started,
                Duration.between(started, Instant.now()),
                summary,
                result.findings(),
                result.checks(),
                tables);
        ReportWriter.Written written;
        try {
            written = writer.write(report);
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "Cannot write the " + goal + " report to " + writer.directory() + ": " + e.getMessage()
                            + ". Check that the directory is writable (parameter 'reportDirectory').",
                    e);
        }
        List<Finding> quiet = new ArrayList<>();
        for (Finding warning : report.warnings()) {
            if (result.summarized(warning)) {
                quiet.add(warning);
            } else {
                log.warn(warning.logLine());
            }
        }
        if (!quiet.isEmpty()) {
            log.warn(result.summaryLine(quiet, written.json()));
        }
        for (Finding error : report.errors()) {
            if (failOnErrors) {
                log.error(error.logLine());
            } else {
                log.warn(error.logLine());
            }
        }
        List<Finding> suppressed = report.suppressed();
        if (!suppressed.isEmpty()) {
            log.info(suppressed.size() + " finding" + (suppressed.size() == 1 ? "" : "s")
                    + " suppressed, each with its reason in the report: " + counts(suppressed));
        }
        log.info("Report: " + written.json() + " (page: " + written.html() + ")");
        if (!report.passed()) {
            String message = writer.redactor().redact(result.headline() + " - see " + written.json());
            if (failOnErrors) {
                throw new MojoFailureException(message);
            }
            log.warn(message);
        }
    }

    /** {@code smoke.impact.index-not-concurrent 2, smoke.lint.no-rollback 1}: how many findings of each rule. */
    static String counts(List<Finding> findings) {
        Map<String, Integer> byRule = new TreeMap<>();
        findings.forEach(f -> byRule.merge(f.rule(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        byRule.forEach((rule, count) -> parts.add(rule + " " + count));
        return String.join(", ", parts);
    }
}
