package io.github.migrationsafety.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The page around the sections: the document head with the inline style sheet and script, a content security
 * policy that forbids every fetch, the status header (one line per goal), and each goal's section. One module gets
 * a page of its own; several get an overview first and then a part each.
 */
final class HtmlPage {

    private static final String STYLE = resource("html-report.css");
    private static final String SCRIPT = resource("html-report.js");
    /** Inline style and script only: the page cannot load anything, even if a value slipped through unescaped. */
    private static final String POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

    private HtmlPage() {}

    static String render(String title, List<ReportSet> modules, Redactor redactor) {
        Html out = new Html(redactor);
        boolean aggregate = modules.size() != 1;
        out.markup("<!DOCTYPE html>\n")
                .open("html", "lang", "en")
                .newline()
                .open("head")
                .newline();
        out.open("meta", "charset", "utf-8").newline();
        out.open("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                .newline();
        out.open("meta", "http-equiv", "Content-Security-Policy", "content", POLICY)
                .newline();
        out.element("title", "migration-safety: " + title).newline();
        out.open("style").markup(STYLE).close("style").newline();
        out.close("head").newline().open("body").newline();
        out.open("header")
                .open("h1")
                .text("migration-safety report: ")
                .value(title)
                .close("h1");
        overall(out, modules);
        if (!aggregate) {
            out.open("p")
                    .text("From the reports in ")
                    .element("code", modules.get(0).directory().toString())
                    .close("p");
        }
        out.close("header").newline().open("main").newline();
        if (aggregate) {
            overview(out, modules);
            for (int i = 0; i < modules.size(); i++) {
                ReportSet module = modules.get(i);
                out.open("section", "class", "module", "aria-labelledby", "m" + i);
                out.open("h2", "id", "m" + i)
                        .text("Module ")
                        .value(module.module())
                        .close("h2")
                        .newline();
                out.open("p")
                        .text("Reports in ")
                        .element("code", module.directory().toString())
                        .close("p");
                module(out, module, 3, "m" + i);
                out.close("section").newline();
            }
        } else {
            module(out, modules.get(0), 2, "m0");
        }
        out.close("main").newline();
        out.open("script").markup(SCRIPT).close("script").newline();
        out.close("body").newline().close("html").newline();
        // second line of defence: a secret that reached the page some other way is masked too
        return redactor.redact(out.toString());
    }

    /** The one line that says whether anything failed, in words. */
    private static void overall(Html out, List<ReportSet> modules) {
        int goals = 0;
        int failed = 0;
        int errors = 0;
        int warnings = 0;
        for (ReportSet module : modules) {
            for (Map<String, Object> report : module.reports().values()) {
                goals++;
                failed += "passed".equals(report.get("status")) ? 0 : 1;
                errors += GoalSection.count(report, "error");
                warnings += GoalSection.count(report, "warning");
            }
        }
        out.open("p", "class", "overall").text("Overall: ");
        HtmlTable.badge(out, goals == 0 ? "no reports" : failed > 0 ? "failed" : "passed");
        out.text(" " + goals + " goal report(s), " + failed + " failed; " + errors + " error(s), " + warnings
                + " warning(s)" + (modules.size() > 1 ? " in " + modules.size() + " modules" : ""));
        out.close("p");
    }

    private static void overview(Html out, List<ReportSet> modules) {
        out.element("h2", "Modules", "id", "modules");
        HtmlTable table = new HtmlTable("Every goal of every module", "module", "goal", "status", "errors", "warnings");
        for (int i = 0; i < modules.size(); i++) {
            ReportSet module = modules.get(i);
            String anchor = "#m" + i;
            if (module.isEmpty()) {
                table.row(
                        HtmlTable.text(module.module()),
                        HtmlTable.text("none"),
                        HtmlTable.text("no reports"),
                        HtmlTable.text(""),
                        HtmlTable.text(""));
            }
            for (String goal : module.goals()) {
                Map<String, Object> report = module.report(goal);
                String target = anchor + "-" + goal;
                table.row(
                        HtmlTable.text(module.module()),
                        o -> o.element("a", goal, "href", target),
                        HtmlTable.status(status(module, goal)),
                        HtmlTable.text(report == null ? "" : "" + GoalSection.count(report, "error")),
                        HtmlTable.text(report == null ? "" : "" + GoalSection.count(report, "warning")));
            }
        }
        table.write(out);
    }

    /** One module: its status lines, then each goal's section in the order the goals ran. */
    private static void module(Html out, ReportSet module, int level, String prefix) {
        out.element("h" + level, "Status", "id", prefix + "-status").newline();
        if (module.isEmpty()) {
            out.element("p", "No migration-safety report in this module: no goal of the plugin ran here.");
            return;
        }
        HtmlTable status = new HtmlTable(
                        "One line per goal, in the order they ran",
                        "goal",
                        "status",
                        "errors",
                        "warnings",
                        "what it did")
                .rowHeaders()
                .withClass("status");
        for (String goal : module.goals()) {
            Map<String, Object> report = module.report(goal);
            String skip = module.skipped().get(goal);
            String did = report == null ? "" : ReportIndex.headline(Json.object(report, "summary"));
            if (skip != null) {
                did = "skipped (" + skip + ")" + (report == null ? "" : "; its last report is shown below");
            }
            String what = did;
            status.row(
                    o -> o.element("a", goal, "href", "#" + prefix + "-" + goal),
                    HtmlTable.status(status(module, goal)),
                    HtmlTable.text(report == null ? "" : "" + GoalSection.count(report, "error")),
                    HtmlTable.text(report == null ? "" : "" + GoalSection.count(report, "warning")),
                    HtmlTable.text(what));
        }
        status.write(out);
        module.unreadable()
                .forEach((file, why) -> out.open("p", "class", "error")
                        .text("Cannot read the report " + file + ": " + why)
                        .close("p"));
        for (String goal : module.goals()) {
            Map<String, Object> report = module.report(goal);
            String id = prefix + "-" + goal;
            out.open("section", "class", "goal", "id", id, "aria-labelledby", id + "-heading")
                    .newline();
            GoalSection.heading(out, goal, status(module, goal), level, id + "-heading");
            if (report == null) {
                out.element("p", "Skipped: " + module.skipped().get(goal) + ". No report of an earlier run.");
            } else {
                out.open("p", "class", "muted")
                        .text("Ran at " + Json.text(report, "startedAt", "?") + " for "
                                + HtmlTable.duration(GoalSection.number(report, "durationMillis")) + "; report "
                                + Json.text(report, "$file", goal + "-report.json"))
                        .close("p");
                section(out, goal, report, level, id);
            }
            out.close("section").newline();
        }
    }

    private static void section(Html out, String goal, Map<String, Object> report, int level, String id) {
        switch (goal) {
            case "smoke" -> SmokeSection.write(out, report, level, id);
            case "dedupe" -> DedupeSection.write(out, report);
            case "sidecars" -> SidecarsSection.write(out, report);
            case "gate" -> GateSection.write(out, report);
            default -> GoalSection.write(out, report);
        }
    }

    private static String status(ReportSet module, String goal) {
        if (module.skipped().containsKey(goal)) {
            return "skipped";
        }
        return Json.text(module.report(goal), "status", "unknown");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + HtmlPage.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
