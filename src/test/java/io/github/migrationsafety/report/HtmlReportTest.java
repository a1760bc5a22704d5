package io.github.migrationsafety.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML page, parsed back with jsoup (an HTML5 parser, as browsers parse): its structure, its escaping of hostile
 * names, its redaction, and the skip markers. Reports are written by the real {@link ReportWriter}.
 */
class HtmlReportTest {

    /** Names a changelog, a table row or a file could carry: markup, quotes, ampersands, right-to-left, emoji. */
    private static final String SCRIPT = "<script>alert('x')</script>";

    private static final String QUOTES = "\" onmouseover=\"alert(1)\" '";
    private static final String RTL = "\u202Egnp.exe";
    private static final String EMOJI = "model \uD83D\uDE80 & <b>bold</b>";
    private static final String SECRET = "S3cr&t<pass>";

    @Test
    void thePageHasAStatusLinePerGoalProperTablesAndHeadingsAndLoadsNothing(@TempDir Path dir) throws Exception {
        Path reports = dir.resolve("migration-safety");
        ReportWriter writer = new ReportWriter(reports, null, Redactor.none(), dir, "orders-db");
        writer.write(smoke("passed-changeset", null));
        writer.write(dedupe(reports, "churn"));
        writer.write(sidecars("churn/model.pkl"));
        ReportWriter.Written last = writer.write(gate());

        Document page = Jsoup.parse(last.html().toFile(), "UTF-8");
        assertEquals(reports.resolve("index.html"), last.html());
        assertEquals("en", page.selectFirst("html").attr("lang"));
        assertEquals("migration-safety: orders-db", page.title());
        assertTrue(
                page.selectFirst("meta[http-equiv=Content-Security-Policy]")
                        .attr("content")
                        .startsWith("default-src 'none'"),
                "a policy that forbids every fetch");
        assertEquals(
                List.of(),
                page.select("link, img, iframe, object, embed, [src]").eachAttr("outerHtml"));
        assertEquals(
                List.of(),
                page.select("a[href]").eachAttr("href").stream()
                        .filter(h -> !h.startsWith("#"))
                        .toList(),
                "only links within the page");
        for (Element link : page.select("a[href]")) {
            assertFalse(page.select(link.attr("href")).isEmpty(), "target of " + link);
        }

        assertEquals(
                List.of("smoke passed 0 1", "dedupe passed 0 1", "sidecars failed 1 0", "gate failed 1 0"),
                page.select("table.status tbody tr").stream()
                        .map(r -> r.child(0).text() + " " + r.child(1).text().replaceAll("^\\W+", "") + " "
                                + r.child(2).text() + " " + r.child(3).text())
                        .toList());
        assertEquals(1, page.select("h1").size());
        assertHeadingsDoNotSkipALevel(page);
        for (Element table : page.select("table")) {
            assertFalse(table.select("> caption").text().isBlank(), "caption of " + table.className());
            for (Element header : table.select("th")) {
                assertTrue(List.of("col", "row").contains(header.attr("scope")), "scope of " + header);
            }
        }
        // status is a word next to the colour
        for (Element badge : page.select(".badge")) {
            assertTrue(badge.text().matches("\\W*[a-z ]+"), "a word: " + badge);
        }

        Element changeset = page.selectFirst("table.changesets tbody tr");
        assertEquals("passed-changeset by alice", changeset.child(0).text());
        assertEquals("db/changelog.yaml:7", changeset.child(1).text());
        assertEquals("\u2713 passed 12 ms", changeset.child(2).text());
        assertTrue(
                changeset.child(4).text().contains("Fix: write it CONCURRENTLY"),
                changeset.child(4).text());

        Element svg = page.selectFirst("figure.timeline svg");
        assertEquals("img", svg.attr("role"));
        assertEquals(List.of("orders"), svg.select("text.lane").eachText(), "one lane per table");
        assertEquals(1, svg.select("g.bar.blocks-all rect").size());
        assertTrue(svg.text().contains("AccessExclusiveLock \u00b7 blocks reads and writes \u00b7 13.1 s"), svg.text());

        assertEquals(
                List.of("1 churn 1 \u2713 keep", "1 churn 2 \u2717 delete"),
                page.select("table.rows tbody tr").stream()
                        .map(r -> r.child(0).text() + " " + r.child(1).text() + " "
                                + r.child(2).text() + " " + r.child(3).text())
                        .toList());
        assertTrue(page.text().contains("Backup of the deleted rows: /backups/ORDERS-1"), "backup location");
        assertEquals(
                "churn/model.pkl \u2713 ok \u2717 failed checksum differs (expected aa, actual bb) Fix: run sign"
                        + " \u2013 not checked \u2717 failed",
                page.selectFirst("table.artifacts tbody tr").children().stream()
                        .limit(5)
                        .map(Element::text)
                        .reduce((a, b) -> a + " " + b)
                        .orElseThrow());
        Element gate = page.selectFirst("#m0-gate table.required tbody tr");
        assertTrue(
                gate.text().startsWith("smoke a smoke report with status passed, for db/changelog.yaml"), gate.text());
        assertEquals(1, page.select("script").size(), "the page's own script only");
    }

    @Test
    void hostileNamesAreTextAndSecretsAreMasked(@TempDir Path dir) throws Exception {
        Path reports = dir.resolve("migration-safety");
        // the goals' writer redacts the JSON too; the page is built with its own redactor as well
        ReportWriter plain = new ReportWriter(reports, null, Redactor.none(), dir, SCRIPT);
        plain.write(smoke(SCRIPT + QUOTES, "the password is " + SECRET));
        plain.write(dedupe(reports, RTL));
        plain.write(sidecars(EMOJI + "/model.pkl"));
        Path html = HtmlReport.write(reports, SCRIPT, Redactor.of(List.of(SECRET)));

        String text = Files.readString(html, StandardCharsets.UTF_8);
        assertFalse(text.contains(SECRET), "the secret as it is");
        assertFalse(text.contains(Html.escape(SECRET)), "the secret escaped");
        Document page = Jsoup.parse(text);
        assertEquals(1, page.select("script").size(), "no script from a name");
        assertEquals(List.of(), page.select("b").eachText(), "no markup from a name");
        for (Element element : page.getAllElements()) {
            for (Attribute attribute : element.attributes()) {
                assertFalse(attribute.getKey().startsWith("on"), "event handler " + attribute + " on " + element);
            }
        }
        assertEquals("migration-safety: " + SCRIPT, page.title());
        assertEquals(
                SCRIPT + QUOTES,
                page.selectFirst("table.changesets tbody tr .id").text());
        assertTrue(page.text().contains("the password is ****"), "the masked message");
        assertTrue(page.select("table.rows td").eachText().contains(RTL), "the right-to-left name as it is");
        assertEquals(RTL, page.selectFirst("table.rows td:nth-child(2)").text());
        assertEquals(
                EMOJI + "/model.pkl",
                page.selectFirst("table.artifacts tbody th").text());
        assertTrue(
                page.select("h1 bdi").text().equals(SCRIPT),
                "a name inside a sentence is isolated for right-to-left text");
    }

    @Test
    void aSkippedGoalIsShownAsSkippedUntilItRunsAgain(@TempDir Path dir) throws Exception {
        Path reports = dir.resolve("migration-safety");
        HtmlReport.recordSkip(reports, "smoke", "migration-safety.smoke.skip=true", "m", Redactor.none());
        assertFalse(Files.exists(reports), "a skip creates no report directory");

        ReportWriter writer = new ReportWriter(reports, null, Redactor.none(), dir, "m");
        writer.write(smoke("c1", null));
        HtmlReport.recordSkip(reports, "smoke", "migration-safety.smoke.skip=true", "m", Redactor.none());
        Document page = Jsoup.parse(reports.resolve("index.html").toFile(), "UTF-8");
        assertEquals(
                "smoke \u2013 skipped skipped (migration-safety.smoke.skip=true); its last report is shown below",
                page.selectFirst("table.status tbody tr").text().replace(" 0 1 ", " "));

        writer.write(smoke("c1", null));
        page = Jsoup.parse(reports.resolve("index.html").toFile(), "UTF-8");
        assertEquals(
                "\u2713 passed",
                page.selectFirst("table.status tbody tr").child(1).text());
        assertFalse(Files.exists(reports.resolve("smoke-skipped.json")));
    }

    @Test
    void anUnreadableReportIsNamedAndTheRestIsShown(@TempDir Path dir) throws Exception {
        Path reports = dir.resolve("migration-safety");
        Files.createDirectories(reports);
        Files.writeString(reports.resolve("backup-report.json"), "{ not json");
        new ReportWriter(reports, null, Redactor.none(), dir, "m").write(gate());
        Document page = Jsoup.parse(reports.resolve("index.html").toFile(), "UTF-8");
        assertTrue(page.text().contains("Cannot read the report backup-report.json"), page.text());
        assertEquals(1, page.select("table.status tbody tr").size());
    }

    @Test
    void theAggregatePageHasAPartPerModule(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("db/target/migration-safety");
        Path models = dir.resolve("models/target/migration-safety");
        new ReportWriter(db, null, Redactor.none(), dir, "db").write(smoke("c1", null));
        new ReportWriter(models, null, Redactor.none(), dir, "models").write(sidecars("a.pkl"));
        Map<String, Path> modules = new LinkedHashMap<>();
        modules.put("db", db);
        modules.put("models", models);
        modules.put("docs", dir.resolve("docs/target/migration-safety"));
        Path page = HtmlReport.writeAggregate(dir.resolve("site"), "parent", modules, Redactor.none());

        Document html = Jsoup.parse(page.toFile(), "UTF-8");
        assertEquals(
                List.of("Modules", "Module db", "Module models", "Module docs"),
                html.select("h2").eachText());
        assertEquals(
                List.of("db smoke", "models sidecars", "docs none"),
                html.select("table").first().select("tbody tr").stream()
                        .map(r -> r.child(0).text() + " " + r.child(1).text())
                        .toList());
        assertEquals(
                List.of("m0-smoke", "m1-sidecars"), html.select("section.goal").eachAttr("id"));
        assertHeadingsDoNotSkipALevel(html);
        assertEquals(
                html.select("[id]").size(),
                html.select("[id]").eachAttr("id").stream().distinct().count(),
                "ids are unique");
    }

    private static void assertHeadingsDoNotSkipALevel(Document page) {
        int previous = 0;
        for (Element heading : page.select("h1, h2, h3, h4, h5, h6")) {
            int level = heading.tagName().charAt(1) - '0';
            assertTrue(level <= previous + 1, heading + " follows h" + previous);
            previous = level;
        }
    }

    private static GoalReport smoke(String changesetId, String message) {
        String key = "db/changelog.yaml::" + changesetId + "::alice";
        Map<String, Object> changeset = new LinkedHashMap<>();
        changeset.put("changeset", key);
        changeset.put("id", changesetId);
        changeset.put("author", "alice");
        changeset.put("file", "db/changelog.yaml");
        changeset.put("line", 7);
        changeset.put("h2", Map.of("status", "passed", "millis", 12));
        changeset.put("postgresql", Map.of("status", "passed", "millis", 30));
        changeset.put("sql", "CREATE INDEX i ON orders (a);");
        Map<String, Object> estimate = new LinkedHashMap<>();
        estimate.put("productionRows", 5_000_000);
        estimate.put("estimatedMillis", 13_090);
        Map<String, Object> impact = new LinkedHashMap<>();
        impact.put("changeset", key);
        impact.put("table", "orders");
        impact.put("lock", "AccessExclusiveLock");
        impact.put("blocks", "reads and writes");
        impact.put("rewrite", false);
        impact.put("scan", true);
        impact.put("heldMillis", 14);
        impact.put("productionEstimate", estimate);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("changeLogFile", "db/changelog.yaml");
        summary.put("databases", List.of("H2 2.3.232", "PostgreSQL 17.6"));
        summary.put("changesets", List.of(changeset));
        summary.put("impact", List.of(impact));
        List<Finding> findings = List.of(Finding.warning(
                        "smoke.impact.index-not-concurrent",
                        key,
                        message == null ? "builds an index under a lock" : message)
                .withHint("write it CONCURRENTLY")
                .at("db/changelog.yaml", 7));
        return new GoalReport(
                "smoke",
                Instant.parse("2026-01-01T00:00:01Z"),
                Duration.ofSeconds(2),
                summary,
                findings,
                List.of(
                        Check.passed("h2", key, Duration.ofMillis(12)),
                        Check.passed("rollback.h2", "all 1 changesets", Duration.ofMillis(40))));
    }

    private static GoalReport dedupe(Path reports, String name) throws Exception {
        Files.createDirectories(reports);
        Path csv = reports.resolve("dedupe-report.csv");
        Files.writeString(
                csv,
                "\"group\",\"NAME\",\"ID\",\"action\"\n\"1\",\"" + name + "\",\"1\",\"KEEP\"\n\"1\",\"" + name
                        + "\",\"2\",\"DELETE\"\n",
                StandardCharsets.UTF_8);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("table", "ORDERS(NAME)");
        summary.put("mode", "apply");
        summary.put("groups", 1);
        summary.put("rowsDeleted", 1);
        summary.put("reportFile", csv.toString());
        summary.put("backup", "/backups/ORDERS-1");
        summary.put("topGroups", List.of(Map.of("group", 1, "key", name, "rows", 2, "keptId", "1")));
        return new GoalReport(
                "dedupe",
                Instant.parse("2026-01-01T00:00:02Z"),
                Duration.ofMillis(300),
                summary,
                List.of(Finding.warning("dedupe.near-duplicate", "ORDERS(NAME)", "2 key values differ only by case")),
                List.of(Check.passed("dedupe", "ORDERS(NAME)", Duration.ofMillis(300))));
    }

    private static GoalReport sidecars(String artifact) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("artifacts", 1);
        summary.put("signing", "auto");
        summary.put("signaturesVerified", 0);
        return new GoalReport(
                "sidecars",
                Instant.parse("2026-01-01T00:00:03Z"),
                Duration.ofMillis(30),
                summary,
                List.of(Finding.error("sidecars.checksum-mismatch", artifact, "checksum differs")
                        .withExpectation("aa", "bb")
                        .withHint("run sign")),
                List.of(Check.failed("artifacts", artifact, Duration.ofMillis(3), "checksum differs")));
    }

    private static GoalReport gate() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("fingerprint", "abc");
        summary.put("changeLogFile", "db/changelog.yaml");
        summary.put("dialect", "postgresql");
        summary.put("requiredReports", List.of("sidecars"));
        return new GoalReport(
                "gate",
                Instant.parse("2026-01-01T00:00:04Z"),
                Duration.ofMillis(5),
                summary,
                List.of(Finding.error("gate.report-failed", "sidecars", "the sidecars report has status 'failed'")),
                List.of(Check.failed("gate", "deploy allowed", Duration.ofMillis(5), "closed")));
    }
}
