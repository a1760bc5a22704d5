package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.migrationsafety.report.Finding;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DedupeResultTest {

    private static final Path REPORT = Path.of("target", "migration-safety", "dedupe-report.csv");

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
}
