package io.github.migrationsafety.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.testsupport.PluginDescriptor;
import io.github.migrationsafety.testsupport.PluginDescriptor.Mojo;
import io.github.migrationsafety.testsupport.PluginDescriptor.Parameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/goal-reference.md} equal to what the plugin descriptor says. The file is checked in so that
 * it can be read on GitHub without building; this test fails when a goal or parameter changed and the file was
 * not refreshed, and refreshes it when asked to with {@value #REFRESH_PROPERTY}.
 */
class GoalReferenceTest {

    static final Path REFERENCE = Path.of("docs/goal-reference.md");
    static final String REFRESH_PROPERTY = "goalReference.refresh";
    static final String REFRESH_COMMAND = "./mvnw -B -q test -Dtest=GoalReferenceTest -D" + REFRESH_PROPERTY + "=true";

    @Test
    void committedGoalReferenceMatchesThePluginDescriptor() throws IOException {
        String generated = render(PluginDescriptor.load());
        if (Boolean.getBoolean(REFRESH_PROPERTY)) {
            Files.createDirectories(REFERENCE.getParent());
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.isRegularFile(REFERENCE) ? Files.readString(REFERENCE) : "";
        assertEquals(
                generated,
                committed,
                REFERENCE + " is out of date with the goals' Javadoc." + " Refresh it with: " + REFRESH_COMMAND
                        + " and commit it.");
    }

    @Test
    void referenceListsEveryGoalParameterTypeDefaultAndProperty() throws IOException {
        String text = render(PluginDescriptor.load());
        assertTrue(text.contains("| [`connect`](#connect) | (none: bind it to a phase) |"), text);
        assertTrue(
                text.contains("| `reportDirectory` | `File` | `${project.build.directory}/migration-safety` |"
                        + " `migration-safety.reportDirectory` | Directory that receives the JSON, JUnit XML, Markdown and SARIF reports"
                        + " of every goal, and the module's HTML page (index.html) built from them."),
                text);
        assertTrue(text.contains("| `skipConnect` | `boolean` | `false` | `migration-safety.connect.skip` |"), text);
    }

    @Test
    void rendersPhaseRequiredMarkerAndEscapes() {
        PluginDescriptor plugin = new PluginDescriptor(
                "migration-safety",
                List.of(new Mojo(
                        "gate",
                        "Refuses to deploy. Unless a smoke report | exists.",
                        "deploy",
                        List.of(new Parameter(
                                "smokeReport",
                                "java.io.File",
                                true,
                                true,
                                "The <file> to read.\nSecond line.",
                                null,
                                "migration-safety.smokeReport")))));
        String text = render(plugin);
        assertTrue(text.contains("| [`gate`](#gate) | `deploy` | Refuses to deploy. |"), text);
        assertTrue(
                text.contains("| `smokeReport` (required) | `File` | | `migration-safety.smokeReport` |"
                        + " The &lt;file&gt; to read. Second line. |"),
                text);
    }

    static String render(PluginDescriptor plugin) {
        StringBuilder md = new StringBuilder();
        md.append("# Goal reference\n\n");
        md.append("<!-- Generated from the plugin descriptor by GoalReferenceTest: do not edit by hand.\n");
        md.append("     Refresh: ").append(REFRESH_COMMAND).append(" -->\n\n");
        md.append("Goal prefix `")
                .append(plugin.goalPrefix())
                .append("`: run a goal with `mvn ")
                .append(plugin.goalPrefix())
                .append(":<goal>` or bind it in an `<execution>`. ")
                .append("`mvn ")
                .append(plugin.goalPrefix())
                .append(":help -Ddetail -Dgoal=<goal>` prints the same")
                .append(" information.\n\n");
        md.append("| goal | default phase | what it does |\n|---|---|---|\n");
        for (Mojo mojo : plugin.mojos()) {
            md.append("| [`")
                    .append(mojo.goal())
                    .append("`](#")
                    .append(mojo.goal())
                    .append(") | ")
                    .append(mojo.phase() == null ? "(none: bind it to a phase)" : "`" + mojo.phase() + "`")
                    .append(" | ")
                    .append(cell(firstSentence(mojo.description())))
                    .append(" |\n");
        }
        for (Mojo mojo : plugin.mojos()) {
            md.append("\n## ").append(mojo.goal()).append("\n\n");
            md.append("`")
                    .append(plugin.goalPrefix())
                    .append(':')
                    .append(mojo.goal())
                    .append("`, default phase: ")
                    .append(
                            mojo.phase() == null
                                    ? "none (bind it in an `<execution>` with a `<phase>`)"
                                    : "`" + mojo.phase() + "`")
                    .append(".\n\n");
            md.append(escape(normalize(mojo.description()))).append("\n\n");
            md.append("| parameter | type | default | user property | description |\n|---|---|---|---|---|\n");
            for (Parameter parameter : mojo.editableParameters()) {
                md.append("| `")
                        .append(parameter.name())
                        .append('`')
                        .append(parameter.required() ? " (required)" : "")
                        .append(" | `")
                        .append(simpleType(parameter.type()))
                        .append("` | ")
                        .append(parameter.defaultValue() == null ? "" : "`" + cell(parameter.defaultValue()) + "` ")
                        .append("| ")
                        .append(parameter.property() == null ? "" : "`" + parameter.property() + "` ")
                        .append("| ")
                        .append(cell(parameter.description()))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    private static String simpleType(String type) {
        if (type == null) {
            return "?";
        }
        return type.substring(type.lastIndexOf('.') + 1);
    }

    private static String firstSentence(String text) {
        String normalized = normalize(text);
        int end = normalized.indexOf(". ");
        return end < 0 ? normalized : normalized.substring(0, end + 1);
    }

    private static String normalize(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    private static String cell(String text) {
        return escape(normalize(text)).replace("|", "\\|");
    }

    /** Descriptions are plain text; keep {@code <server>} from being read as HTML. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
