package io.github.migrationsafety.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.testsupport.PluginDescriptor;
import io.github.migrationsafety.testsupport.PluginDescriptor.Mojo;
import io.github.migrationsafety.testsupport.PluginDescriptor.Parameter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The parameters are the documentation (STYLE.md): reads the generated plugin descriptor, so a goal or parameter
 * added later is checked without editing this test. Every problem is listed at once.
 */
class ParameterDocumentationTest {

    @Test
    void everyGoalAndParameterIsDocumented() throws IOException {
        PluginDescriptor plugin = PluginDescriptor.load();
        assertTrue(plugin.ownMojos().size() >= 1, "the descriptor lists no goal: " + plugin.goals());
        List<String> problems = new ArrayList<>();
        for (Mojo mojo : plugin.mojos()) {
            problems.addAll(problems(mojo));
        }
        assertEquals(
                List.of(),
                problems,
                "Fix the Javadoc of these goals/parameters (see STYLE.md, 'Parameters are"
                        + " the documentation'):\n - " + String.join("\n - ", problems) + "\n");
    }

    @Test
    void everyGoalHasTheSharedAndItsOwnSkipSwitch() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Mojo mojo : PluginDescriptor.load().ownMojos()) {
            problems.addAll(skipProblems(mojo));
        }
        assertEquals(List.of(), problems);
    }

    /** Proves the checks can fail: a descriptor entry written the way the checks forbid. */
    @Test
    void reportsMissingDescriptionDefaultAndProperty() {
        Mojo bad = new Mojo(
                "dedupe",
                null,
                "validate",
                List.of(
                        new Parameter(
                                "table",
                                "java.lang.String",
                                false,
                                true,
                                "Table to scan.",
                                "model_metadata",
                                "migration-safety.table"),
                        new Parameter("apply", "boolean", false, true, null, "false", "migration-safety.apply"),
                        new Parameter("where", "java.lang.String", false, true, "Scope predicate.", null, "where")));
        assertEquals(
                List.of(
                        "goal 'dedupe' has no description",
                        "dedupe: parameter 'table': description does not mention its default 'model_metadata'"
                                + " (write 'Default: {@code model_metadata}.'; {@code} stops at the first '}')",
                        "dedupe: parameter 'table': description does not mention its user property 'migration-safety.table'"
                                + " (write 'User property: {@code migration-safety.table}.')",
                        "dedupe: parameter 'apply' has no description",
                        "dedupe: parameter 'where': user property 'where' does not start with 'migration-safety.'",
                        "dedupe: parameter 'where': description does not mention its user property 'where'"
                                + " (write 'User property: {@code where}.')"),
                problems(bad));
        assertEquals(
                List.of(
                        "dedupe: no parameter 'skip' with user property 'migration-safety.skip' (extend AbstractSafetyMojo)",
                        "dedupe: no parameter 'skipDedupe' with user property 'migration-safety.dedupe.skip' and default false"),
                skipProblems(bad));
    }

    static List<String> problems(Mojo mojo) {
        List<String> problems = new ArrayList<>();
        if (blank(mojo.description())) {
            problems.add("goal '" + mojo.goal() + "' has no description");
        }
        for (Parameter parameter : mojo.editableParameters()) {
            String where = mojo.goal() + ": parameter '" + parameter.name() + "'";
            if (blank(parameter.description())) {
                problems.add(where + " has no description");
                continue;
            }
            if (mojo.generated()) {
                continue; // the help goal's Javadoc comes from maven-plugin-plugin
            }
            String description = normalize(parameter.description());
            String defaultValue = parameter.defaultValue();
            if (defaultValue != null
                    && !(description.toLowerCase(Locale.ROOT).contains("default")
                            && description.contains(normalize(defaultValue)))) {
                problems.add(where + ": description does not mention its default '" + defaultValue
                        + "' (write 'Default: "
                        + (defaultValue.contains("}")
                                ? "<code>" + defaultValue + "</code>"
                                : "{@code " + defaultValue + "}")
                        + ".'; {@code} stops at the first '}')");
            }
            String property = parameter.property();
            if (property != null) {
                if (!property.startsWith("migration-safety.")) {
                    problems.add(where + ": user property '" + property + "' does not start with 'migration-safety.'");
                }
                if (!description.contains(property)) {
                    problems.add(where + ": description does not mention its user property '" + property
                            + "' (write 'User property: {@code " + property + "}.')");
                }
            }
        }
        return problems;
    }

    static List<String> skipProblems(Mojo mojo) {
        List<String> problems = new ArrayList<>();
        if (mojo.parameters().stream()
                .noneMatch(p -> p.name().equals("skip") && "migration-safety.skip".equals(p.property()))) {
            problems.add(mojo.goal() + ": no parameter 'skip' with user property 'migration-safety.skip'"
                    + " (extend AbstractSafetyMojo)");
        }
        String field = "skip" + camel(mojo.goal());
        String property = "migration-safety." + mojo.goal() + ".skip";
        if (mojo.parameters().stream()
                .noneMatch(p ->
                        p.name().equals(field) && property.equals(p.property()) && "false".equals(p.defaultValue()))) {
            problems.add(mojo.goal() + ": no parameter '" + field + "' with user property '" + property
                    + "' and default false");
        }
        return problems;
    }

    /** {@code sidecars} -> {@code Sidecars}, {@code dry-run} -> {@code DryRun}. */
    private static String camel(String goal) {
        StringBuilder out = new StringBuilder();
        for (String part : goal.split("-")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String normalize(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
