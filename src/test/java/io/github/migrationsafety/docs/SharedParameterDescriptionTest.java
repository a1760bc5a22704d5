package io.github.migrationsafety.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.migrationsafety.testsupport.PluginDescriptor;
import io.github.migrationsafety.testsupport.PluginDescriptor.Mojo;
import io.github.migrationsafety.testsupport.PluginDescriptor.Parameter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A parameter name means one thing across the goals: {@code -Dmigration-safety.fetchSize=500} sets every goal that has
 * {@code fetchSize}, so all of them describe it with the same text (one that names the goal where a detail applies
 * to one goal only). Reads the plugin descriptor, so a goal or parameter added later is covered.
 */
class SharedParameterDescriptionTest {

    /**
     * Parameter names allowed to carry a different description per goal, each with the reason. Empty today; add an
     * entry only for a name that genuinely means different things in different goals.
     */
    static final Map<String, String> EXCEPTIONS = Map.of();

    @Test
    void sameNamedParametersShareOneDescription() throws IOException {
        assertEquals(
                List.of(),
                differences(PluginDescriptor.load().ownMojos()),
                "Give these parameters one Javadoc text in every goal (or list them in EXCEPTIONS with the reason)");
    }

    /** Proves the check can fail, and that readonly parameters and listed exceptions are left alone. */
    @Test
    void reportsEveryNameWithMoreThanOneDescription() {
        List<Mojo> mojos = List.of(
                new Mojo(
                        "backup",
                        "Backs up.",
                        null,
                        List.of(
                                parameter("fetchSize", "Rows per round trip."),
                                parameter("tables", "Tables to back up."),
                                new Parameter(
                                        "settings",
                                        "org.apache.maven.settings.Settings",
                                        false,
                                        false,
                                        "Settings.",
                                        null,
                                        null))),
                new Mojo(
                        "dedupe",
                        "Dedupes.",
                        "validate",
                        List.of(
                                parameter("fetchSize", "Rows  per round\n trip."),
                                parameter("table", "Table to check."),
                                new Parameter(
                                        "settings",
                                        "org.apache.maven.settings.Settings",
                                        false,
                                        false,
                                        "Other.",
                                        null,
                                        null))),
                new Mojo(
                        "restore",
                        "Restores.",
                        null,
                        List.of(
                                parameter("fetchSize", "Rows fetched at once."),
                                parameter("tables", "Tables to restore."))));
        assertEquals(
                List.of(
                        "fetchSize: 2 descriptions:\n   [backup, dedupe] Rows per round trip.\n   [restore] Rows fetched at once.",
                        "tables: 2 descriptions:\n   [backup] Tables to back up.\n   [restore] Tables to restore."),
                differences(mojos));
    }

    static List<String> differences(List<Mojo> mojos) {
        Map<String, Map<String, List<String>>> byName = new TreeMap<>();
        for (Mojo mojo : mojos) {
            for (Parameter parameter : mojo.editableParameters()) {
                byName.computeIfAbsent(parameter.name(), n -> new TreeMap<>())
                        .computeIfAbsent(normalize(parameter.description()), d -> new ArrayList<>())
                        .add(mojo.goal());
            }
        }
        List<String> differences = new ArrayList<>();
        byName.forEach((name, descriptions) -> {
            if (descriptions.size() > 1 && !EXCEPTIONS.containsKey(name)) {
                StringBuilder text = new StringBuilder(name + ": " + descriptions.size() + " descriptions:");
                descriptions.entrySet().stream()
                        .sorted(Map.Entry.comparingByValue((a, b) -> a.get(0).compareTo(b.get(0))))
                        .forEach(e -> text.append("\n   ")
                                .append(e.getValue())
                                .append(' ')
                                .append(e.getKey()));
                differences.add(text.toString());
            }
        });
        return differences;
    }

    private static Parameter parameter(String name, String description) {
        return new Parameter(name, "java.lang.String", false, true, description, null, null);
    }

    private static String normalize(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}
