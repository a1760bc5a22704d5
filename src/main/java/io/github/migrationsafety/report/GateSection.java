package io.github.migrationsafety.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The gate's section: one row per report it required, with what it asked of it and what it found. */
final class GateSection {

    private GateSection() {}

    static void write(Html out, Map<String, Object> report) {
        Map<String, Object> summary = Json.object(report, "summary");
        GoalSection.figures(out, summary, Set.of());
        List<Map<String, Object>> findings = GoalSection.findingsOf(report);
        List<String> required = new ArrayList<>();
        required.add("smoke");
        Json.array(summary, "requiredReports").forEach(goal -> required.add(String.valueOf(goal)));
        HtmlTable table = new HtmlTable(
                        "What the gate required and what it found", "report", "required", "found", "result")
                .rowHeaders()
                .unsorted();
        for (String goal : required) {
            List<Map<String, Object>> about = findings.stream()
                    .filter(f -> goal.equals(Json.text(f, "subject", "")))
                    .toList();
            String found = about.isEmpty()
                    ? "a passing " + goal + " report" + (goal.equals("smoke") ? " for this changelog" : "")
                    : about.stream().map(GateSection::describe).collect(Collectors.joining("; "));
            table.row(
                    HtmlTable.text(goal),
                    HtmlTable.text(requirement(goal, summary)),
                    HtmlTable.text(found),
                    HtmlTable.status(
                            about.stream().anyMatch(f -> "error".equals(f.get("severity"))) ? "failed" : "passed"));
        }
        table.withClass("required").write(out);
        GoalSection.findings(out, findings, "All findings");
        GoalSection.checks(out, report, check -> true, "Checks");
    }

    private static String requirement(String goal, Map<String, Object> summary) {
        if (!goal.equals("smoke")) {
            return "a " + goal + " report with status passed";
        }
        return "a smoke report with status passed, for " + Json.text(summary, "changeLogFile", "the changelog")
                + " with fingerprint " + Json.text(summary, "fingerprint", "?") + ", SQL for "
                + Json.text(summary, "dialect", "?");
    }

    private static String describe(Map<String, Object> finding) {
        String hint = Json.text(finding, "hint", null);
        return GoalSection.message(finding) + (hint == null ? "" : ". Fix: " + hint);
    }
}
