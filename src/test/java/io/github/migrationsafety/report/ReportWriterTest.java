package io.github.migrationsafety.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.migrationsafety.testsupport.TestJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ReportWriterTest {

    private static final String SECRET = "s3cr3t-signing-key";

    private static GoalReport sample() {
        return new GoalReport(
                "dedupe",
                Instant.parse("2026-01-02T03:04:05Z"),
                Duration.ofMillis(1500),
                Map.of("groups", 2),
                List.of(
                        Finding.error(
                                        "dedupe.duplicate-group",
                                        "model_metadata(name, version) = (a, 1)",
                                        "3 rows share this key; 2 would be deleted")
                                .withHint("run with -Dmigration-safety.apply=true"),
                        Finding.warning("dedupe.near-duplicate", "row 7", "differs only by case, key " + SECRET)),
                List.of(
                        Check.passed("tables", "model_metadata", Duration.ofMillis(20)),
                        Check.failed("tables", "bad\u0001name", Duration.ZERO, "line1\nline2")));
    }

    @Test
    void writesJsonJunitAndMarkdownAndAppendsTheStepSummary(@TempDir Path dir) throws Exception {
        Path summary = dir.resolve("step-summary.md");
        Files.writeString(summary, "earlier step\n");
        ReportWriter writer = new ReportWriter(dir.resolve("out"), summary, Redactor.of(List.of(SECRET)));
        ReportWriter.Written written = writer.write(sample());

        JsonNode json = TestJson.MAPPER.readTree(written.json().toFile());
        assertEquals("failed", json.get("status").asText());
        assertEquals(2, json.get("summary").get("groups").asInt());
        assertEquals(
                "run with -Dmigration-safety.apply=true",
                json.get("findings").get(0).get("hint").asText());
        assertEquals(1500, json.get("durationMillis").asLong());

        assertEquals(
                "TEST-migration-safety-dedupe.xml",
                written.junit().getFileName().toString());
        Document xml = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(written.junit().toFile());
        assertEquals("3", xml.getDocumentElement().getAttribute("tests"));
        assertEquals("2", xml.getDocumentElement().getAttribute("failures"));
        assertEquals(3, xml.getElementsByTagName("testcase").getLength());

        String markdown = Files.readString(written.markdown());
        assertTrue(markdown.startsWith("### migration-safety:dedupe — ❌ failed"), markdown);
        assertTrue(Files.readString(summary).startsWith("earlier step\n### migration-safety:dedupe"));

        for (Path file : List.of(written.json(), written.junit(), written.markdown(), summary)) {
            assertFalse(Files.readString(file).contains(SECRET), file + " leaks the secret");
        }
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(
                    List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void aFindingAboutAFailedCheckIsNotASecondTestcase(@TempDir Path dir) throws Exception {
        GoalReport report = new GoalReport(
                "sidecars",
                Instant.now(),
                Duration.ZERO,
                Map.of(),
                List.of(
                        Finding.error("sidecars.checksum-mismatch", "a.pkl", "checksum differs"),
                        Finding.error("sidecars.signature-mismatch", "a.pkl", "signature differs"),
                        Finding.error("sidecars.orphan-sidecar", "old_metadata.json", "no artifact"),
                        Finding.error("sidecars.passed-check", "b.pkl", "an error about a check that passed")),
                List.of(
                        Check.failed("artifacts", "a.pkl", Duration.ZERO, "checksum differs\nsignature differs"),
                        Check.passed("artifacts", "b.pkl", Duration.ZERO)));
        Path junit = new ReportWriter(dir, null, Redactor.none()).write(report).junit();
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        assertEquals("4", xml.getDocumentElement().getAttribute("tests"));
        assertEquals("3", xml.getDocumentElement().getAttribute("failures"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < xml.getElementsByTagName("testcase").getLength(); i++) {
            names.add(((Element) xml.getElementsByTagName("testcase").item(i)).getAttribute("name"));
        }
        assertEquals(List.of("a.pkl", "b.pkl", "old_metadata.json", "b.pkl"), names);
        assertEquals(3, xml.getElementsByTagName("failure").getLength());
    }

    @Test
    void passedReportHasNoFailures(@TempDir Path dir) throws Exception {
        GoalReport report = new GoalReport(
                "connect",
                Instant.now(),
                Duration.ZERO,
                Map.of(),
                List.of(),
                List.of(Check.passed("tables", "t", Duration.ZERO)));
        ReportWriter.Written written = new ReportWriter(dir, null, Redactor.none()).write(report);
        assertTrue(report.passed());
        assertTrue(Files.readString(written.junit()).contains("failures=\"0\""));
    }

    @Test
    void aSuppressedFindingStaysInEveryReportWithItsReasonAndFailsNothing(@TempDir Path dir) throws Exception {
        Finding suppressed = Finding.error(
                        "smoke.impact.index-not-concurrent", "m.xml::ix::bob", "builds index ix without CONCURRENTLY")
                .at("src/main/resources/m.xml", 7)
                .suppressed(new Suppression("the table has 200 rows", "m.xml:7", true));
        GoalReport report =
                new GoalReport("smoke", Instant.now(), Duration.ZERO, Map.of(), List.of(suppressed), List.of());
        assertTrue(report.passed());
        assertEquals(List.of(), report.errors());
        assertEquals(List.of(suppressed), report.suppressed());
        ReportWriter.Written written = new ReportWriter(dir, null, Redactor.none(), dir, "it").write(report);

        JsonNode json = TestJson.MAPPER.readTree(written.json().toFile());
        assertEquals("passed", json.get("status").asText());
        assertEquals(
                "{\"reason\":\"the table has 200 rows\",\"where\":\"m.xml:7\",\"kind\":\"inSource\"}",
                json.at("/findings/0/suppressed").toString());

        JsonNode sarif = TestJson.MAPPER.readTree(written.sarif().toFile());
        JsonNode result = sarif.at("/runs/0/results/0");
        assertEquals("inSource", result.at("/suppressions/0/kind").asText());
        assertEquals("accepted", result.at("/suppressions/0/status").asText());
        assertEquals(
                "the table has 200 rows",
                result.at("/suppressions/0/justification").asText());

        Document xml = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(written.junit().toFile());
        assertEquals("0", xml.getDocumentElement().getAttribute("failures"));
        assertEquals("1", xml.getDocumentElement().getAttribute("skipped"));
        assertEquals(
                "suppressed (reason: the table has 200 rows; m.xml:7)",
                ((Element) xml.getElementsByTagName("skipped").item(0)).getAttribute("message"));

        assertTrue(Files.readString(written.markdown())
                .contains("| error, suppressed | m.xml::ix::bob | builds index ix without CONCURRENTLY"
                        + " [src/main/resources/m.xml:7] - suppressed (reason: the table has 200 rows; m.xml:7) |"));
        assertTrue(Files.readString(written.html())
                .contains("builds index ix without CONCURRENTLY - suppressed (reason: the table has 200 rows;"
                        + " m.xml:7)"));
    }
}
