package io.github.migrationsafety.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FindingTest {

    private final Finding finding = Finding.warning(
                    "smoke.impact.index-not-concurrent",
                    "db/changelog/master.yaml::ix::bob",
                    "builds index ix on model_metadata under ShareLock")
            .withExpectation("CONCURRENTLY", "a plain CREATE INDEX")
            .at("db/changelog/master.yaml", 12)
            .withHint("createIndex with CONCURRENTLY in a changeset of its own");

    @Test
    void theLogLineNamesTheRuleAfterTheLocationAndBeforeTheFix() {
        assertEquals(
                "db/changelog/master.yaml::ix::bob: builds index ix on model_metadata under ShareLock (expected"
                        + " CONCURRENTLY, actual a plain CREATE INDEX) [db/changelog/master.yaml:12]"
                        + " [smoke.impact.index-not-concurrent] Fix: createIndex with CONCURRENTLY in a changeset of"
                        + " its own",
                finding.logLine());
    }

    @Test
    void theDescriptionLeavesTheRuleToTheReportsThatHaveAFieldForIt() {
        assertEquals(
                "db/changelog/master.yaml::ix::bob: builds index ix on model_metadata under ShareLock (expected"
                        + " CONCURRENTLY, actual a plain CREATE INDEX) [db/changelog/master.yaml:12] Fix: createIndex"
                        + " with CONCURRENTLY in a changeset of its own",
                finding.describe());
    }

    @Test
    void withoutLocationOrFixTheRuleEndsTheLine() {
        assertEquals(
                "PUBLIC.MODEL_METADATA(NAME, VERSION): 2 duplicate groups [dedupe.duplicates]",
                Finding.error("dedupe.duplicates", "PUBLIC.MODEL_METADATA(NAME, VERSION)", "2 duplicate groups")
                        .logLine());
    }
}
