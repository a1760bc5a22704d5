package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.impact.ImpactRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rule has a stable id of its kind, used once, and a row in the rules tables of docs/goals/smoke.md. */
class RuleRegistryTest {

    private static String docs() throws IOException {
        return Files.readString(Path.of("docs/goals/smoke.md"), StandardCharsets.UTF_8);
    }

    @Test
    void impactRulesHaveUniqueIdsAndADocsRow() throws IOException {
        List<String> ids =
                new ArrayList<>(ImpactRules.RULES.stream().map(ImpactRule::id).toList());
        ids.add(ImpactRules.CONCURRENTLY_IN_TRANSACTION);
        assertEquals(ids.size(), new HashSet<>(ids).size(), ids::toString);
        String docs = docs();
        for (String id : ids) {
            assertTrue(id.startsWith("smoke.impact."), id);
            assertTrue(docs.contains("| `" + id + "` |"), () -> id + " has no row in docs/goals/smoke.md");
        }
    }

    @Test
    void lintRulesHaveUniqueIdsAndADocsRow() throws IOException {
        List<String> ids = ChangelogLinter.RULES.stream().map(LintRule::id).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), ids::toString);
        String docs = docs();
        for (String id : ids) {
            assertTrue(id.startsWith("smoke.lint."), id);
            String name = id.substring("smoke.lint.".length());
            assertTrue(docs.contains("| `" + name + "`"), () -> id + " has no row in docs/goals/smoke.md");
        }
    }
}
