package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.migrationsafety.report.Finding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DedupeResultTest {

    private static final Path REPORT = Path.of("target", "migration-safety", "dedupe-report.csv");
    private static final DedupeConfig CONFIG =
            DedupeConfig.defaults("model_metadata", List.of("name", "version"), REPORT, null);

    private static DedupeResult result(List<Finding> findings) {
        return new DedupeResult(
                "model_metadata(name, version)",
                3,
                7,
                4,
                List.of(new DedupeResult.Group(2, List.of("resnet", "1"), 3, "11")),
                findings,
                REPORT,
                null,
                0,
                0,
                false);
    }

    @Test
    void headlineCountsGroupsAndRowsToDelete() {
        assertEquals(
                "3 duplicate group(s) in model_metadata(name, version), 4 row(s) to delete (report " + REPORT
                        + "). To delete them after a backup, run with -Dmigration-safety.apply=true",
                result(List.of()).headline());
    }

    @Test
    void headlineSaysApplyStoppedOnReferences() {
        DedupeResult result = result(List.of(Finding.error("dedupe.referenced", "model_metadata(name, version)", "x")));
        assertEquals(
                "Dedupe of model_metadata(name, version) stopped: rows to delete are referenced by foreign keys",
                result.headline());
    }

    @Test
    void summaryOfADryRun() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("table", "model_metadata(name, version)");
        expected.put("mode", "dry-run");
        expected.put("keep", "newest:created_at");
        expected.put("groups", 3L);
        expected.put("rowsInGroups", 7L);
        expected.put("rowsToDelete", 4L);
        expected.put("repointed", 0L);
        expected.put("reportFile", REPORT.toString());
        expected.put("backup", null);
        expected.put("topGroups", List.of(Map.of("group", 2L, "key", "resnet, 1", "rows", 3L, "keptId", "11")));
        DedupeConfig config = DedupeConfig.defaults("model_metadata", List.of("name", "version"), REPORT, null)
                .withKeep(KeepRule.parse("newest:created_at"));
        Map<String, Object> summary = result(List.of()).summary(config);
        assertEquals(expected, summary);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(summary.keySet()));
    }

    @Test
    void summaryLinesNameGroupsTheLargestAndTheBackup() {
        assertEquals(
                List.of(
                        "model_metadata(name, version): 3 duplicate group(s), 7 rows in them, 4 would be deleted. Report: "
                                + REPORT,
                        " - group 2 (resnet, 1): 3 rows, keeps id 11"),
                result(List.of()).summaryLines());
        Path backup = Path.of("target", "migration-safety", "backups", "model_metadata-20261206T000000Z");
        DedupeResult applied = new DedupeResult("t(k)", 1, 2, 1, List.of(), List.of(), REPORT, backup, 1, 0, true);
        assertEquals(
                List.of(
                        "t(k): 1 duplicate group(s), 2 rows in them, 1 deleted. Report: " + REPORT,
                        "Backup of the deleted rows: " + backup + " (restore with mvn migration-safety:restore"
                                + " -Dmigration-safety.backup=" + backup + ")"),
                applied.summaryLines());
        assertEquals(
                List.of("No duplicates in t(k)."),
                new DedupeResult("t(k)", 0, 0, 0, List.of(), List.of(), REPORT, null, 0, 0, false).summaryLines());
    }

    @Test
    void aCleanRunIsOnePassedCheckAndErrorsAreTheirOwn() {
        assertEquals(
                1,
                result(List.of(Finding.warning("dedupe.near-duplicate", "t", "x")))
                        .ran(CONFIG, Duration.ZERO)
                        .checks()
                        .size());
        assertEquals(
                List.of(),
                result(List.of(Finding.error("dedupe.duplicates", "t", "x")))
                        .ran(CONFIG, Duration.ZERO)
                        .checks());
    }
}
