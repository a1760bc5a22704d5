package io.github.migrationsafety.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.migrationsafety.report.Finding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's {@code requireRehearsal}, and the rehearsal's tables for the Markdown summary. */
class RehearsalReportTest {

    @TempDir
    Path dir;

    @Test
    void theGateRequiresAPassingRehearsal() throws Exception {
        write("{\"goal\":\"smoke\",\"status\":\"passed\",\"summary\":{}}");
        assertEquals(
                List.of("gate.rehearsal-missing smoke: the smoke report " + dir.resolve("smoke-report.json")
                        + " has no rehearsal on production's schema, and requireRehearsal is set"),
                lines(RehearsalReport.gate(dir)));

        write("{\"goal\":\"smoke\",\"status\":\"failed\",\"summary\":{\"rehearsal\":{\"status\":\"failed\"}}}");
        assertEquals(
                List.of("gate.rehearsal-failed smoke: the rehearsal on production's schema in "
                        + dir.resolve("smoke-report.json") + " has status 'failed', not 'passed'"),
                lines(RehearsalReport.gate(dir)));

        write("{\"goal\":\"smoke\",\"status\":\"passed\",\"summary\":{\"rehearsal\":{\"status\":\"passed\"}}}");
        assertEquals(List.of(), RehearsalReport.gate(dir));
    }

    @Test
    void theTablesNameWhatTheToolRuns() {
        Map<String, Object> liquibase = Map.of("rehearsal", Map.of("tool", "Liquibase", "status", "passed"));
        Map<String, Object> flyway = Map.of("rehearsal", Map.of("tool", "Flyway", "status", "passed"));
        assertEquals(
                List.of(
                        "Drift: production's schema against what its applied changesets make (checked: null)",
                        "Production rows that would break the pending changesets (read only)"),
                RehearsalReport.tables(liquibase).stream()
                        .skip(1)
                        .map(t -> t.title())
                        .toList());
        assertEquals(
                List.of(
                        "Drift: production's schema against what its applied migrations make (checked: null)",
                        "Production rows that would break the pending migrations (read only)"),
                RehearsalReport.tables(flyway).stream()
                        .skip(1)
                        .map(t -> t.title())
                        .toList());
    }

    @Test
    void noRehearsalNoTables() {
        assertEquals(List.of(), RehearsalReport.tables(Map.of("changesets", List.of())));
    }

    private void write(String json) throws Exception {
        Files.writeString(dir.resolve("smoke-report.json"), json, StandardCharsets.UTF_8);
    }

    private static List<String> lines(List<Finding> findings) {
        return findings.stream()
                .map(f -> f.rule() + " " + f.subject() + ": " + f.message())
                .toList();
    }
}
