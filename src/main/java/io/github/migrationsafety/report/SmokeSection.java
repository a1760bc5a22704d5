package io.github.migrationsafety.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The smoke's section, in the order a reviewer reads it: each changeset with its file and line, its status and time on
 * each database, the error and the SQL it ran, and the lint and impact findings about it with their fix; the
 * production impact (a timeline and a table); the rollback round trip and the expectations; the other findings and
 * checks; the figures.
 */
final class SmokeSection {

    private static final Set<String> SHOWN_ELSEWHERE = Set.of("changesets", "impact", "rehearsal");

    private SmokeSection() {}

    static void write(Html out, Map<String, Object> report, int level, String id) {
        Map<String, Object> summary = Json.object(report, "summary");
        List<Map<String, Object>> findings = GoalSection.findingsOf(report);
        List<Map<String, Object>> changesets = GoalSection.objects(Json.array(summary, "changesets"));
        if (!changesets.isEmpty()) {
            changesetTable(out, changesets, databases(changesets), findings);
        }
        List<Map<String, Object>> impact = GoalSection.objects(Json.array(summary, "impact"));
        if (!impact.isEmpty()) {
            GoalSection.subheading(out, "Production impact on PostgreSQL", level + 1);
            ImpactTimeline.write(out, impact, id + "-timeline");
            impactTable(out, impact);
        }
        Map<String, Object> rehearsal = Json.object(summary, "rehearsal");
        if (!rehearsal.isEmpty()) {
            GoalSection.subheading(
                    out, "Rehearsal on production's schema: " + Json.text(rehearsal, "status", ""), level + 1);
            GoalSection.figures(out, rehearsal, Set.of());
            GoalSection.summaryTables(out, rehearsal, Set.of());
        }
        GoalSection.subheading(out, "Rollback round trip and expectations", level + 1);
        boolean rollback = GoalSection.checks(
                out,
                report,
                check -> Json.text(check, "group", "").startsWith("rollback"),
                "Rollback round trip: roll back, compare the schema with the start, update again");
        boolean expectations = GoalSection.checks(
                out,
                report,
                check -> Json.text(check, "group", "").startsWith("expectations"),
                "Expectations checked on the migrated schema");
        if (!rollback && !expectations) {
            out.element("p", "No rollback round trip or expectation ran.");
        }
        List<String> keys =
                changesets.stream().map(c -> Json.text(c, "changeset", "")).toList();
        GoalSection.findings(
                out,
                findings.stream()
                        .filter(f -> !keys.contains(Json.text(f, "subject", "")))
                        .toList(),
                "Findings not about one changeset");
        GoalSection.checks(out, report, SmokeSection::otherCheck, "Other checks");
        GoalSection.figures(out, summary, SHOWN_ELSEWHERE);
    }

    /** The databases the changesets ran on, as their keys in a changeset entry: {@code h2}, {@code postgresql}. */
    static List<String> databases(List<Map<String, Object>> changesets) {
        List<String> databases = new ArrayList<>();
        for (Map<String, Object> changeset : changesets) {
            for (Map.Entry<String, Object> field : changeset.entrySet()) {
                if (field.getValue() instanceof Map<?, ?> run
                        && run.containsKey("status")
                        && !databases.contains(field.getKey())) {
                    databases.add(field.getKey());
                }
            }
        }
        return databases;
    }

    private static void changesetTable(
            Html out,
            List<Map<String, Object>> changesets,
            List<String> databases,
            List<Map<String, Object>> findings) {
        List<String> headers = new ArrayList<>(List.of("changeset", "file:line"));
        databases.forEach(db -> headers.add(db));
        headers.add("findings and fix");
        headers.add("SQL");
        HtmlTable table = new HtmlTable(
                        "Changesets (" + changesets.size() + "): status and time on each database",
                        headers.toArray(String[]::new))
                .rowHeaders()
                .withClass("changesets");
        for (Map<String, Object> changeset : changesets) {
            String key = Json.text(changeset, "changeset", "");
            boolean failed = databases.stream()
                    .anyMatch(db -> "failed".equals(Json.text(Json.object(changeset, db), "status", "")));
            List<HtmlTable.Cell> cells = new ArrayList<>();
            cells.add(o -> o.open("span", "class", "id")
                    .text(Json.text(changeset, "id", key))
                    .close("span")
                    .markup("<br>")
                    .open("span", "class", "muted")
                    .text("by " + Json.text(changeset, "author", "?"))
                    .close("span"));
            String line = Json.text(changeset, "line", "0");
            String file = Json.text(changeset, "file", "");
            cells.add(HtmlTable.code(line.equals("0") ? file : file + ":" + line));
            for (String db : databases) {
                cells.add(run(Json.object(changeset, db)));
            }
            cells.add(findingsOf(key, findings));
            cells.add(sql(Json.text(changeset, "sql", ""), failed));
            table.classedRow(failed ? "failed" : null, cells.toArray(HtmlTable.Cell[]::new));
        }
        table.write(out);
    }

    private static HtmlTable.Cell run(Map<String, Object> run) {
        return out -> {
            if (run.isEmpty()) {
                out.text("not run");
                return;
            }
            HtmlTable.badge(out, Json.text(run, "status", "unknown"));
            out.text(" " + HtmlTable.duration(GoalSection.number(run, "millis")));
            String error = Json.text(run, "error", null);
            if (error != null) {
                out.open("div", "class", "error")
                        .element("strong", "Error: ")
                        .text(error)
                        .close("div");
            }
        };
    }

    private static HtmlTable.Cell findingsOf(String changeset, List<Map<String, Object>> findings) {
        List<Map<String, Object>> about = findings.stream()
                .filter(f -> changeset.equals(Json.text(f, "subject", "")))
                .toList();
        return out -> {
            if (about.isEmpty()) {
                out.text("none");
                return;
            }
            for (Map<String, Object> finding : about) {
                out.open("div", "class", "finding");
                HtmlTable.badge(out, Json.text(finding, "severity", ""));
                String rule = Json.text(finding, "rule", "");
                out.text(" ").element("code", rule);
                // a failed changeset's message repeats the error shown in its database's column
                if (!rule.equals("smoke.changeset-failed")) {
                    out.text(": " + GoalSection.message(finding));
                }
                String hint = Json.text(finding, "hint", null);
                if (hint != null) {
                    out.open("div", "class", "fix")
                            .element("strong", "Fix: ")
                            .text(hint)
                            .close("div");
                }
                out.close("div");
            }
        };
    }

    /** The changeset's SQL; open when it failed, so the offending statement is on screen without a click. */
    private static HtmlTable.Cell sql(String sql, boolean failed) {
        return out -> {
            if (sql.isEmpty()) {
                out.text("none generated");
                return;
            }
            out.open("details", "open", failed ? "open" : null)
                    .element("summary", failed ? "SQL that failed" : "SQL")
                    .element("pre", sql)
                    .close("details");
        };
    }

    private static void impactTable(Html out, List<Map<String, Object>> impact) {
        HtmlTable table = new HtmlTable(
                "What each changeset locks on PostgreSQL, and for how long",
                "changeset",
                "table",
                "strongest lock",
                "blocks",
                "rewrite",
                "full scan",
                "held here",
                "at production size");
        for (Map<String, Object> entry : impact) {
            Map<String, Object> estimate = Json.object(entry, "productionEstimate");
            table.row(
                    HtmlTable.text(Json.text(entry, "changeset", "")),
                    HtmlTable.text(Json.text(entry, "table", "")),
                    HtmlTable.code(Json.text(entry, "lock", "")),
                    HtmlTable.text(Json.text(entry, "blocks", "")),
                    HtmlTable.text(yesNo(entry, "rewrite")),
                    HtmlTable.text(yesNo(entry, "scan")),
                    HtmlTable.text(HtmlTable.duration(GoalSection.number(entry, "heldMillis"))),
                    HtmlTable.text(
                            estimate.isEmpty()
                                    ? "not estimated"
                                    : HtmlTable.duration(GoalSection.number(estimate, "estimatedMillis")) + " at "
                                            + Json.text(estimate, "productionRows", "?") + " rows"));
        }
        table.write(out);
    }

    private static String yesNo(Map<String, Object> entry, String key) {
        return Boolean.TRUE.equals(entry.get(key)) ? "yes" : "no";
    }

    private static boolean otherCheck(Map<String, Object> check) {
        String group = Json.text(check, "group", "");
        return !group.equals("lint")
                && !group.equals("h2")
                && !group.equals("postgresql")
                && !group.startsWith("rollback")
                && !group.startsWith("expectations")
                && !group.startsWith("impact");
    }
}
