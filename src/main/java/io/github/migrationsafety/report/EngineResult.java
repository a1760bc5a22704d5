package io.github.migrationsafety.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What every engine returns, whatever it checked: figures for the report, findings, checks and the one line a
 * failed run ends with. The goals turn any of them into a Maven outcome the same way: the reports are written, the
 * summary lines logged, each warning and error logged with its rule id, the suppressed findings counted, and the goal
 * fails once, with {@link #headline()}, when {@link #passed()} is false.
 */
public interface EngineResult {

    /** Figures for the JSON report's summary (counts, paths, fingerprints), in display order. */
    Map<String, Object> summary();

    /** Everything the engine found, errors and warnings, suppressed ones included (marked). */
    List<Finding> findings();

    /** The units of work, one JUnit test case each, with their own time. */
    List<Check> checks();

    /** The first line of the failure when the run did not pass, e.g. "3 duplicate group(s) in model_metadata...". */
    String headline();

    /** Tables for the Markdown summary, after the figures. */
    default List<ReportTable> tables() {
        return List.of();
    }

    /** What the log says about the run before its findings, one info line each. */
    default List<String> summaryLines() {
        return List.of();
    }

    /**
     * Whether a warning is printed as part of one {@link #summaryLine} rather than on a line of its own (it stays in
     * every report either way).
     */
    default boolean summarized(Finding warning) {
        return false;
    }

    /** The one console line for the warnings {@link #summarized} picks; {@code report} is the JSON report. */
    default String summaryLine(List<Finding> summarized, Path report) {
        return summarized.size() + " warning(s) - see " + report;
    }

    /** No unsuppressed error and no failed check. */
    default boolean passed() {
        return errors().isEmpty() && checks().stream().noneMatch(c -> c.outcome() == Check.Outcome.FAILED);
    }

    /** The errors nobody suppressed: they fail the goal. */
    default List<Finding> errors() {
        return findings().stream()
                .filter(f -> f.severity() == Severity.ERROR && !f.isSuppressed())
                .toList();
    }
}
