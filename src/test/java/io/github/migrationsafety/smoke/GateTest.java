package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.migrationsafety.changelog.ChangelogFingerprint;
import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.gate.Gate;
import io.github.migrationsafety.gate.GateConfig;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.GoalReport;
import io.github.migrationsafety.report.Redactor;
import io.github.migrationsafety.report.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateTest {

    @TempDir
    Path dir;

    private Path reports() {
        return dir.resolve("target/migration-safety");
    }

    private SmokeFixture smoke(String yaml, Instant started) throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(yaml);
        SmokeResult result = fixture.run();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("project", "com.example:app");
        summary.putAll(result.summary());
        new ReportWriter(reports(), null, Redactor.none())
                .write(new GoalReport(
                        "smoke", started, Duration.ofSeconds(1), summary, result.findings(), result.checks()));
        return fixture;
    }

    private List<String> gate(SmokeFixture fixture, String dialect, Duration maxAge, List<String> required)
            throws Exception {
        ChangelogFingerprint now =
                ChangelogReader.read(fixture.source(), fixture.log).fingerprint();
        return Gate.check(new GateConfig(
                        reports(),
                        now,
                        SmokeFixture.class.cast(fixture).master,
                        "com.example:app",
                        dialect,
                        maxAge,
                        required,
                        Instant.parse("2026-01-02T00:00:00Z")))
                .stream()
                .map(Finding::describe)
                .toList();
    }

    @Test
    void passingSmokeForThisChangelogOpensTheGate() throws Exception {
        SmokeFixture fixture = smoke(SmokeFixture.TABLES_YAML, Instant.parse("2026-01-01T23:00:00Z"));
        assertEquals(List.of(), gate(fixture, "postgresql", Duration.ofHours(2), List.of()));
    }

    @Test
    void missingReportClosesTheGate() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML);
        assertEquals(
                List.of("smoke: no smoke report at " + reports().resolve("smoke-report.json") + " Fix: run"
                        + " migration-safety:smoke in the same build before deploy (e.g. mvn verify deploy -Prelease, with the"
                        + " goal bound in the release profile)"),
                gate(fixture, "postgresql", null, List.of()));
    }

    @Test
    void editedChangelogStaleReportOtherDialectAndFailedReportAreEachNamed() throws Exception {
        SmokeFixture fixture = smoke(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: broken
                      author: bob
                      changes:
                        - sql: {sql: "CREAT TABLE x (id INT)"}
                      rollback:
                        - sql: {sql: "DROP TABLE x"}
                """, Instant.parse("2026-01-01T00:00:00Z"));
        String old = (String) new ObjectMapper()
                .readTree(reports().resolve("smoke-report.json").toFile())
                .path("summary")
                .path("fingerprint")
                .asText();
        fixture.master(SmokeFixture.TABLES_YAML);
        String now = ChangelogReader.read(fixture.source(), fixture.log)
                .fingerprint()
                .sha256();
        String file = reports().resolve("smoke-report.json").toString();
        assertEquals(
                List.of(
                        "smoke: the smoke report " + file
                                + " has status 'failed', not 'passed' Fix: fix the smoke failures listed"
                                + " in that report, then run migration-safety:smoke again (mvn verify) and deploy from that build",
                        "smoke: the changelog changed after the smoke test ran: the report's fingerprint does not match the"
                                + " changelog files as they are now (expected " + now + ", actual " + old + ") Fix: run"
                                + " migration-safety:smoke again (mvn verify) and deploy from that build",
                        "smoke: the smoke test generated SQL for another database (expected mysql, actual postgresql) Fix: run"
                                + " migration-safety:smoke again (mvn verify) and deploy from that build with dialect=mysql",
                        "smoke: the smoke report " + file
                                + " is 1d old, older than maxAge 12h 0m Fix: run migration-safety:smoke"
                                + " again (mvn verify) and deploy from that build"),
                gate(fixture, "mysql", Duration.ofHours(12), List.of()));
    }

    @Test
    void foreignReportAndRequiredReportsAreChecked() throws Exception {
        SmokeFixture fixture = smoke(SmokeFixture.TABLES_YAML, Instant.parse("2026-01-01T23:00:00Z"));
        Files.writeString(reports().resolve("sidecars-report.json"), "{\"goal\":\"sidecars\",\"status\":\"failed\"}");
        ChangelogFingerprint now =
                ChangelogReader.read(fixture.source(), fixture.log).fingerprint();
        List<String> findings = Gate.check(new GateConfig(
                        reports(),
                        now,
                        "db/changelog/other.yaml",
                        "com.example:other",
                        "postgresql",
                        null,
                        List.of("sidecars", "dedupe"),
                        Instant.now()))
                .stream()
                .map(Finding::describe)
                .toList();
        String file = reports().resolve("smoke-report.json").toString();
        String rerun = " Fix: run migration-safety:smoke again (mvn verify) and deploy from that build";
        assertEquals(
                List.of(
                        "smoke: the smoke report " + file
                                + " belongs to another project (expected com.example:other, actual"
                                + " com.example:app)" + rerun,
                        "smoke: the smoke report " + file
                                + " tested another changelog (expected db/changelog/other.yaml, actual"
                                + " db/changelog/db.changelog-master.yaml)" + rerun,
                        "sidecars: the sidecars report " + reports().resolve("sidecars-report.json")
                                + " has status 'failed',"
                                + " not 'passed' Fix: fix what migration-safety:sidecars reported and run it again before deploying",
                        "dedupe: no dedupe report at " + reports().resolve("dedupe-report.json") + " Fix: run"
                                + " migration-safety:dedupe in the same build before deploy (e.g. mvn verify deploy -Prelease, with"
                                + " the goal bound in the release profile)"),
                findings);
    }

    @Test
    void maxAgeIsParsed() throws Exception {
        assertEquals(Duration.ofMinutes(30), Gate.parseDuration("30m"));
        assertEquals(Duration.ofDays(7), Gate.parseDuration("7d"));
        assertEquals(Duration.ofHours(2), Gate.parseDuration("PT2H"));
        assertEquals(
                "Parameter 'maxAge': cannot read 'soon'. Write e.g. 30m, 12h, 7d or PT2H.",
                assertThrows(IllegalArgumentException.class, () -> Gate.parseDuration("soon"))
                        .getMessage());
    }
}
