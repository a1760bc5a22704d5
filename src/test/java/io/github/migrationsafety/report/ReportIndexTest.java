package io.github.migrationsafety.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportIndexTest {

    @Test
    void readsReportsInTheOrderTheGoalsRan(@TempDir Path dir) throws Exception {
        ReportWriter writer = new ReportWriter(dir, null, Redactor.none());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("groups", 2);
        figures.put("rowsToDelete", 3);
        figures.put("reportFile", "/work/target/dedupe-report.csv");
        figures.put("fingerprint", "308f28904d5dbce4b0ffa004c8680f973fffde7a10618d43461564e3077eb44a");
        figures.put("keep", "lowest-id");
        figures.put("groupsBySize", List.of(3, 2));
        writer.write(new GoalReport(
                "smoke", Instant.parse("2026-01-01T10:00:05Z"), Duration.ZERO, Map.of(), List.of(), List.of()));
        writer.write(new GoalReport(
                "dedupe",
                Instant.parse("2026-01-01T10:00:00Z"),
                Duration.ZERO,
                figures,
                List.of(Finding.error("r", "s", "m"), Finding.warning("r", "s", "m"), Finding.warning("r", "s", "m")),
                List.of()));

        List<ReportIndex.Entry> entries = ReportIndex.read(dir);

        assertEquals(
                List.of("dedupe", "smoke"),
                entries.stream().map(ReportIndex.Entry::goal).toList());
        ReportIndex.Entry dedupe = entries.get(0);
        assertEquals("failed", dedupe.status());
        assertEquals("groups=2, rowsToDelete=3, keep=lowest-id, groupsBySize=2", dedupe.headline());
        assertEquals(1, dedupe.errors());
        assertEquals(2, dedupe.warnings());
        assertEquals("passed", entries.get(1).status());
    }

    @Test
    void missingDirectoryMeansNoReports(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), ReportIndex.read(dir.resolve("absent")));
    }
}
