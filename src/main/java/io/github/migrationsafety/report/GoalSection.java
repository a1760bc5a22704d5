package io.github.migrationsafety.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The parts every goal's section of the HTML page has: its figures, tables of the structured summary values, its
 * findings with their fix, and its checks. A goal without a section of its own (connect, backup, restore, sign) is
 * shown with these alone.
 */
final class GoalSection {

    private GoalSection() {}

    /** A goal's section, with what its report says and nothing goal-specific. */
    static void write(Html out, Map<String, Object> report) {
        figures(out, Json.object(report, "summary"), Set.of());
        summaryTables(out, Json.object(report, "summary"), Set.of());
        findings(out, findingsOf(report), "Findings");
        checks(out, report, check -> true, "Checks");
    }

    /** The heading that opens a goal's section: its name and status as words. */
    static void heading(Html out, String goal, String status, int level, String id) {
        String tag = "h" + level;
        out.open(tag, "id", id).text(goal + ": ");
        HtmlTable.badge(out, status);
        out.close(tag).newline();
    }

    static void subheading(Html out, String title, int level) {
        out.element("h" + Math.min(level, 6), title).newline();
    }

    /** The summary's scalar figures and short lists as a two-column table, except the keys in {@code except}. */
    static void figures(Html out, Map<String, Object> summary, Set<String> except) {
        HtmlTable table =
                new HtmlTable("Figures", "figure", "value").rowHeaders().unsorted();
        for (Map.Entry<String, Object> entry : summary.entrySet()) {
            Object value = entry.getValue();
            if (except.contains(entry.getKey()) || value instanceof Map<?, ?> || isTableValue(value)) {
                continue;
            }
            String text = value instanceof Collection<?> list
                    ? String.join(", ", list.stream().map(String::valueOf).toList())
                    : String.valueOf(value);
            table.row(HtmlTable.text(entry.getKey()), HtmlTable.text(text));
        }
        if (!table.isEmpty()) {
            table.withClass("figures").write(out);
        }
    }

    /** Each summary value that is a list of records (e.g. dedupe's top groups) as a table of its own. */
    static void summaryTables(Html out, Map<String, Object> summary, Set<String> except) {
        for (Map.Entry<String, Object> entry : summary.entrySet()) {
            if (!except.contains(entry.getKey()) && isTableValue(entry.getValue())) {
                recordsTable(out, entry.getKey(), (List<?>) entry.getValue());
            }
        }
    }

    /** A list of JSON objects as a table whose columns are every key that occurs, nested values as text. */
    static void recordsTable(Html out, String caption, List<?> records) {
        Set<String> columns = new LinkedHashSet<>();
        records.forEach(r -> columns.addAll(asObject(r).keySet()));
        HtmlTable table = new HtmlTable(caption, columns.toArray(String[]::new));
        for (Object record : records) {
            Map<String, Object> object = asObject(record);
            table.row(columns.stream()
                    .map(c -> HtmlTable.text(object.get(c) == null ? "" : String.valueOf(object.get(c))))
                    .toArray(HtmlTable.Cell[]::new));
        }
        table.write(out);
    }

    /** Findings: severity as a word, rule, subject, what was found (expected/actual), where, and the fix. */
    static void findings(Html out, List<Map<String, Object>> findings, String title) {
        if (findings.isEmpty()) {
            return;
        }
        HtmlTable table = new HtmlTable(
                title + " (" + findings.size() + ")", "severity", "rule", "subject", "finding", "where", "fix");
        for (Map<String, Object> finding : findings) {
            table.row(
                    HtmlTable.status(Json.text(finding, "severity", "")),
                    HtmlTable.code(Json.text(finding, "rule", "")),
                    HtmlTable.text(Json.text(finding, "subject", "")),
                    HtmlTable.text(message(finding)),
                    HtmlTable.text(where(finding)),
                    HtmlTable.text(Json.text(finding, "hint", "")));
        }
        table.withClass("findings").write(out);
    }

    /** The checks that {@code include} accepts: group, name, outcome as a word, time, and the detail. */
    static boolean checks(Html out, Map<String, Object> report, Predicate<Map<String, Object>> include, String title) {
        HtmlTable table = new HtmlTable(title, "group", "name", "outcome", "time", "detail");
        for (Map<String, Object> check : objects(Json.array(report, "checks"))) {
            if (include.test(check)) {
                table.row(
                        HtmlTable.text(Json.text(check, "group", "")),
                        HtmlTable.text(Json.text(check, "name", "")),
                        HtmlTable.status(Json.text(check, "outcome", "")),
                        HtmlTable.text(HtmlTable.duration(number(check, "timeMillis"))),
                        detail(Json.text(check, "detail", "")));
            }
        }
        if (!table.isEmpty()) {
            table.write(out);
        }
        return !table.isEmpty();
    }

    /** Long or multi-line text (a schema difference, an error with its SQL) kept as written. */
    static HtmlTable.Cell detail(String text) {
        if (text.indexOf('\n') < 0) {
            return HtmlTable.text(text);
        }
        return out -> out.element("pre", text);
    }

    static String message(Map<String, Object> finding) {
        String message = Json.text(finding, "message", "");
        String expected = Json.text(finding, "expected", null);
        String actual = Json.text(finding, "actual", null);
        if (expected != null || actual != null) {
            message += " (expected " + expected + ", actual " + actual + ")";
        }
        Map<String, Object> suppressed = asObject(finding.get("suppressed"));
        if (!suppressed.isEmpty()) {
            message += " - suppressed (reason: " + Json.text(suppressed, "reason", "") + "; "
                    + Json.text(suppressed, "where", "") + ")";
        }
        return message;
    }

    static String where(Map<String, Object> finding) {
        String file = Json.text(finding, "file", "");
        String line = Json.text(finding, "line", "");
        return file.isEmpty() ? "" : line.isEmpty() ? file : file + ":" + line;
    }

    static List<Map<String, Object>> findingsOf(Map<String, Object> report) {
        return objects(Json.array(report, "findings"));
    }

    static int count(Map<String, Object> report, String severity) {
        return (int) findingsOf(report).stream()
                .filter(f -> severity.equals(f.get("severity")) && !f.containsKey("suppressed"))
                .count();
    }

    static List<Map<String, Object>> objects(List<?> values) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof Map<?, ?>) {
                objects.add(asObject(value));
            }
        }
        return objects;
    }

    static long number(Map<String, Object> object, String key) {
        return object.get(key) instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObject(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static boolean isTableValue(Object value) {
        return value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(v -> v instanceof Map<?, ?>);
    }
}
