package io.github.migrationsafety.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.migrationsafety.testsupport.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Renders the pages the demo and a failing smoke scenario wrote, in Debian's headless Chromium: asserts through the
 * rendered DOM that the key rows and statuses are on screen, that the page requested nothing but itself, and takes
 * screenshots into {@code target/html-report/}. Runs after the invoker builds (failsafe, declared after the invoker
 * plugin). {@code -DhtmlReport.refreshScreenshots=true} also copies the demo's screenshots to {@code docs/images/}
 * for the README.
 */
class HtmlReportBrowserIT {

    private static final Path DEMO_PAGE = Path.of("target/demo-run/demo/target/migration-safety/index.html");
    private static final Path FAILING_PAGE =
            Path.of("target/it/smoke-seed-duplicates-fails/target/migration-safety/index.html");
    private static final Path SCREENSHOTS = Path.of("target/html-report");
    private static final Path README_IMAGES = Path.of("docs/images");

    /** Whether an element is laid out with a size and not hidden: what a reader can see by scrolling. */
    private static final String VISIBLE = "const visible = el => { if (!el) return false;"
            + " const r = el.getBoundingClientRect(), s = getComputedStyle(el);"
            + " return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };";

    @Test
    void theDemoPageShowsEveryGoalPassedTheChangesetsTheTimelineAndTheDeletedRows() throws Exception {
        Path page = page(DEMO_PAGE, "the demo (invoker execution 'demo')");
        try (HeadlessChromium chromium = chromium()) {
            String url = page.toUri().toString();
            chromium.load(url);

            assertEquals(
                    List.of(
                            "connect \u2713 passed",
                            "backup \u2713 passed",
                            "dedupe \u2713 passed",
                            "smoke \u2713 passed",
                            "sidecars \u2713 passed",
                            "gate \u2713 passed"),
                    chromium.evaluate(rows("table.status", 2)),
                    "the status header: one visible line per goal, status in words");
            assertLinesMatch(
                    List.of(
                            "1-create-model-metadata by platform-team db/changelog/db\\.changelog-master\\.yaml:\\d+"
                                    + " \u2713 passed \\d+ ms \u2713 passed \\d+ ms",
                            "2-unique-model-name-version by platform-team db/changelog/db\\.changelog-master\\.yaml:22"
                                    + " \u2713 passed \\d+ ms \u2713 passed \\d+ ms"),
                    strings(chromium.evaluate(rows("#m0-smoke table.changesets", 4))),
                    "each changeset with its file and line, and its status and time on H2 and PostgreSQL");
            String smoke = (String) chromium.evaluate(
                    dom("const s = document.querySelector('#m0-smoke'); visible(s) ? s.innerText : ''"));
            assertTrue(smoke.contains("db/changelog/db.changelog-master.yaml:22"), "file and line: " + smoke);
            assertTrue(smoke.contains("Fix: build the index first, concurrently"), "the impact fix: " + smoke);
            assertTrue(
                    smoke.contains("ALTER TABLE model_metadata ADD CONSTRAINT uq_model_metadata_name_version"),
                    "the SQL");
            String timeline =
                    (String) chromium.evaluate(dom("const svg = document.querySelector('figure.timeline svg');"
                            + " const bar = svg && svg.querySelector('g.bar.blocks-all rect');"
                            + " visible(svg) && visible(bar) ? svg.textContent : ''"));
            assertTrue(timeline.contains("model_metadata"), "a lane for the table: " + timeline);
            assertTrue(
                    timeline.contains("AccessExclusiveLock \u00b7 blocks reads and writes"),
                    "the bar says what it blocks: " + timeline);
            assertEquals(
                    3,
                    ((Number) chromium.evaluate(dom(" [...document.querySelectorAll('table.rows .badge')]"
                                    + ".filter(b => visible(b) && b.textContent.includes('delete')).length")))
                            .intValue(),
                    "the three deleted rows");
            assertEquals(
                    List.of(
                            "churn/versions/1/model.pkl \u2713 ok \u2713 ok \u2713 verified \u2713 passed",
                            "churn/versions/2/model.pkl \u2713 ok \u2713 ok \u2713 verified \u2713 passed",
                            "fraud/versions/1/model.pkl \u2713 ok \u2713 ok \u2713 verified \u2713 passed"),
                    chromium.evaluate(rows("#m0-sidecars table.artifacts", 5)),
                    "each artifact with each check");

            assertEquals(List.of(url), chromium.requestedUrls(), "the page requests nothing but itself");

            Path status = SCREENSHOTS.resolve("demo-status.png");
            chromium.screenshot(status, 0, top(chromium, "section.goal"));
            Path smokeShot = SCREENSHOTS.resolve("demo-smoke.png");
            double smokeTop = top(chromium, "#m0-smoke");
            chromium.screenshot(smokeShot, smokeTop, Math.min(2000, bottom(chromium, "#m0-smoke") - smokeTop));
            chromium.screenshot(SCREENSHOTS.resolve("demo-full.png"), 0, bottom(chromium, "main"));
            if (Boolean.getBoolean("htmlReport.refreshScreenshots")) {
                Files.createDirectories(README_IMAGES);
                Files.copy(status, README_IMAGES.resolve("report-status.png"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(smokeShot, README_IMAGES.resolve("report-smoke.png"), StandardCopyOption.REPLACE_EXISTING);
            }

            // with script on, a click on a column header sorts the table
            chromium.evaluate("document.querySelector('table.status thead th button').click()");
            assertEquals(
                    "backup",
                    chromium.evaluate("document.querySelector('table.status tbody tr').cells[0].innerText"),
                    "the status table sorted by goal name");
            chromium.evaluate("document.querySelector('table.status thead th button').click()");
            assertEquals(
                    "smoke",
                    chromium.evaluate("document.querySelector('table.status tbody tr').cells[0].innerText"),
                    "and the other way round on the second click");
        }
    }

    @Test
    void aFailingSmokePageShowsTheFailingChangesetItsSqlAndTheFix() throws Exception {
        Path page = page(FAILING_PAGE, "the IT smoke-seed-duplicates-fails");
        try (HeadlessChromium chromium = chromium()) {
            String url = page.toUri().toString();
            chromium.load(url);
            assertEquals(
                    List.of("smoke \u2717 failed"),
                    chromium.evaluate(rows("table.status", 2)),
                    "the status header says failed, in words");
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>)
                    chromium.evaluate(dom("const row = [...document.querySelectorAll('table.changesets tbody tr')]"
                            + ".find(r => r.innerText.includes('unique-name-version'));"
                            + " const sql = row && row.querySelector('details[open] pre');"
                            + " const error = row && row.querySelector('.error');"
                            + " const fix = row && row.querySelector('.fix');"
                            + " ({row: visible(row) ? row.cells[0].innerText + ' | ' + row.cells[1].innerText : '',"
                            + " status: row ? row.cells[2].querySelector('.badge').innerText : '',"
                            + " sql: visible(sql) ? sql.innerText : '', error: visible(error) ? error.innerText : '',"
                            + " fix: visible(fix) ? fix.innerText : ''})"));
            assertLinesMatch(
                    List.of("unique-name-version\nby alice \\| db/changelog/db\\.changelog-master\\.yaml:\\d+"),
                    List.of((String) row.get("row")),
                    "the failing changeset with its file and line");
            assertEquals("\u2717 failed", row.get("status"), "its status on H2, in words");
            assertTrue(((String) row.get("sql")).contains("UNIQUE (name, version)"), "its SQL, open: " + row);
            assertTrue(
                    ((String) row.get("error")).contains("model_metadata(name, version) has 2 duplicate groups"),
                    "the error: " + row);
            assertTrue(
                    ((String) row.get("fix"))
                            .startsWith("Fix: remove the duplicates before migrating: run mvn"
                                    + " migration-safety:dedupe -Dmigration-safety.keysFromChangelog=true"),
                    "the fix: " + row);
            assertEquals(List.of(url), chromium.requestedUrls(), "the page requests nothing but itself");
            Path shot = SCREENSHOTS.resolve("failing-smoke.png");
            chromium.screenshot(shot, 0, Math.min(2000, bottom(chromium, "main")));
            if (Boolean.getBoolean("htmlReport.refreshScreenshots")) {
                Files.copy(
                        shot, README_IMAGES.resolve("report-failing-smoke.png"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * A script whose value is its last expression, with {@code visible} defined: a block, so its constants do not
     * clash with the next script's.
     */
    private static String dom(String body) {
        return "{ " + VISIBLE + " " + body + " }";
    }

    /** The visible rows of the first table matching {@code selector}: their first {@code cells} cells' text. */
    private static String rows(String selector, int cells) {
        return dom("const table = document.querySelector('" + selector + "');"
                + " [...table.tBodies[0].rows].filter(visible).map(r => [...r.cells].slice(0, " + cells + ")"
                + ".map(c => c.innerText.replace(/\\s+/g, ' ').trim()).join(' '))");
    }

    private static List<String> strings(Object values) {
        return ((List<?>) values).stream().map(String::valueOf).toList();
    }

    private static double top(HeadlessChromium chromium, String selector) {
        return ((Number) chromium.evaluate(
                        "document.querySelector('" + selector + "').getBoundingClientRect().top" + " + window.scrollY"))
                .doubleValue();
    }

    private static double bottom(HeadlessChromium chromium, String selector) {
        return ((Number) chromium.evaluate(
                        "document.querySelector('" + selector + "').getBoundingClientRect().bottom + window.scrollY"))
                .doubleValue();
    }

    private static Path page(Path page, String producedBy) {
        assumeTrue(
                Files.isRegularFile(page),
                "No page at " + page + ": " + producedBy + " did not run in this build (-Dinvoker.skip or"
                        + " -Dinvoker.test): the browser test is skipped.");
        return page.toAbsolutePath();
    }

    private static HeadlessChromium chromium() throws Exception {
        Path binary = HeadlessChromium.executable().orElse(null);
        assumeTrue(
                binary != null,
                "Chromium is not installed (/usr/bin/chromium, or set CHROMIUM): install the Debian packages chromium"
                        + " and chromium-driver (.ci/run does when it runs as root); the browser test is skipped.");
        // a fresh profile for each browser, under target/ (Chromium leaves a socket link in it)
        return HeadlessChromium.start(
                binary, Files.createTempDirectory(Files.createDirectories(SCREENSHOTS), "profile"));
    }
}
