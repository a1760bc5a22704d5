package io.github.migrationsafety.smoke;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.ReportTable;
import io.github.migrationsafety.report.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a smoke run found.
 *
 * @param summary  figures for the report: fingerprint, dialect, databases, per-changeset results
 * @param findings lint findings and failures
 * @param checks   one per changeset and database, expectation, rollback round trip and lint warning
 */
public record SmokeResult(Map<String, Object> summary, List<Finding> findings, List<Check> checks)
        implements EngineResult {

    /** {@code impactJudgedBy} when nothing said what production is: the impact warnings are summarized. */
    public static final String NO_BOUNDARY = Production.NO_BOUNDARY;

    /**
     * What was read from the production database ({@code url}), and the production impact on PostgreSQL, one row per
     * changeset and table it touched; none without PostgreSQL.
     */
    @Override
    public List<ReportTable> tables() {
        List<ReportTable> tables = new ArrayList<>(production());
        Object impact = summary.get("impact");
        if (!(impact instanceof List<?> entries) || entries.isEmpty()) {
            return tables;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Object value : entries) {
            Map<?, ?> entry = (Map<?, ?>) value;
            Map<?, ?> estimate = (Map<?, ?>) entry.get("productionEstimate");
            rows.add(List.of(
                    String.valueOf(entry.get("changeset")),
                    String.valueOf(entry.get("table")),
                    String.valueOf(entry.get("lock")),
                    String.valueOf(entry.get("blocks")),
                    Boolean.TRUE.equals(entry.get("rewrite")) ? "yes" : "no",
                    Boolean.TRUE.equals(entry.get("scan")) ? "yes" : "no",
                    entry.get("heldMillis") + " ms",
                    estimate == null
                            ? "no production size given"
                            : estimate.get("estimatedMillis") + " ms at "
                                    + estimate.get("productionRows") + " rows (longest probe read "
                                    + estimate.get("longestReadStallMillis") + " ms, write "
                                    + estimate.get("longestWriteStallMillis") + " ms)"));
        }
        tables.add(new ReportTable(
                "Production impact on PostgreSQL",
                List.of(
                        "changeset",
                        "table",
                        "strongest lock",
                        "blocks",
                        "rewrite",
                        "full scan",
                        "lock held (measured)",
                        "estimated at production size"),
                rows));
        return tables;
    }

    /** The sizes read from the production database's statistics, and the changesets pending there. */
    private List<ReportTable> production() {
        if (!(summary.get("production") instanceof Map<?, ?> production)) {
            return List.of();
        }
        List<List<String>> rows = new ArrayList<>();
        if (production.get("sizes") instanceof List<?> sizes) {
            for (Object value : sizes) {
                Map<?, ?> size = (Map<?, ?>) value;
                rows.add(List.of(
                        String.valueOf(size.get("table")),
                        String.valueOf(size.get("rows")),
                        String.valueOf(size.get("source"))));
            }
        }
        Object pending = production.get("pending");
        List<List<String>> pendingRows = new ArrayList<>();
        if (pending instanceof List<?> keys) {
            keys.forEach(key -> pendingRows.add(List.of(String.valueOf(key))));
        }
        return List.of(
                new ReportTable(
                        "Production database " + production.get("url") + " (" + production.get("product")
                                + ", read only): " + production.get("changesetsRan") + " changesets ran, "
                                + (pending instanceof List<?> keys ? keys.size() : "all") + " pending",
                        List.of("table", "rows", "from"),
                        rows),
                new ReportTable(
                        "Changesets pending in production",
                        List.of("changeset"),
                        pending instanceof List<?>
                                ? pendingRows
                                : List.of(List.of("all (no " + "DATABASECHANGELOG in production)"))));
    }

    /**
     * Whether the impact rules judged with nothing saying what production is (no {@code url}, no
     * {@code productionRows}, no release boundary): their warnings are then a survey of the whole history, shown on
     * the console as one {@link #impactSummaryLine} and kept, one by one, in the reports.
     */
    public boolean impactJudgedWithoutProduction() {
        return Production.NO_BOUNDARY.equals(summary.get("impactJudgedBy"));
    }

    /** Whether a finding is one of those {@link #impactJudgedWithoutProduction()} summarizes. */
    @Override
    public boolean summarized(Finding finding) {
        return impactJudgedWithoutProduction() && finding.rule().startsWith("smoke.impact.");
    }

    /** The one console line for the impact warnings {@link #summarized} picks, in the words of the smoke's source. */
    @Override
    public String summaryLine(List<Finding> summarized, Path report) {
        return "flyway".equals(summary.get("migrationSource"))
                ? migrationImpactSummaryLine(summarized, report)
                : impactSummaryLine(summarized, report);
    }

    /** The one console line for the impact warnings judged without production facts, counted per rule. */
    public static String impactSummaryLine(List<Finding> warnings, Path report) {
        return impactSummaryLine(
                warnings,
                report,
                "changeset",
                "Give 'url' (or 'productionRows') or a release boundary ('releasedChecksums', or a tagDatabase"
                        + " changeset)");
    }

    /** {@link #impactSummaryLine(List, Path)} for Flyway migrations. */
    public static String migrationImpactSummaryLine(List<Finding> warnings, Path report) {
        return impactSummaryLine(
                warnings, report, "migration", "Give 'url' or a release boundary ('releasedChecksums')");
    }

    private static String impactSummaryLine(List<Finding> warnings, Path report, String unit, String fix) {
        Map<String, Integer> byRule = new TreeMap<>();
        Set<String> subjects = new HashSet<>();
        for (Finding warning : warnings) {
            byRule.merge(warning.rule(), 1, Integer::sum);
            subjects.add(warning.subject());
        }
        List<String> counts = new ArrayList<>();
        byRule.forEach((rule, count) -> counts.add(rule + " " + count));
        return warnings.size() + " production-impact warning" + (warnings.size() == 1 ? "" : "s") + " on "
                + subjects.size() + " " + unit + (subjects.size() == 1 ? "" : "s") + " ("
                + String.join(", ", counts) + "), judged with every table an earlier " + unit + " created counted as"
                + " in production - see " + report + ". " + fix + " to judge only what production will run.";
    }

    /** "smoke failed: 2 error(s) in db/changelog/db.changelog-master.yaml" style headline. */
    @Override
    public String headline() {
        long errors = findings.stream()
                .filter(f -> f.severity() == Severity.ERROR && !f.isSuppressed())
                .count();
        return "Migration smoke test failed: " + errors + " error" + (errors == 1 ? "" : "s") + " in "
                + summary.get("changeLogFile");
    }
}
