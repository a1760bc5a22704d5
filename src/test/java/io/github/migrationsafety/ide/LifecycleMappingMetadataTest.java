package io.github.migrationsafety.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.migrationsafety.testsupport.PluginDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The m2e metadata packaged in the jar must cover every goal: a goal missing there makes Eclipse show "Plugin
 * execution not covered by lifecycle configuration" on every project that binds it.
 */
class LifecycleMappingMetadataTest {

    /** As packaged: resources are copied to target/classes before the tests run. */
    private static final Path METADATA = Path.of("target/classes/META-INF/m2e/lifecycle-mapping-metadata.xml");

    /** Goals from DESIGN.md that may be listed before their mojo exists on this branch. */
    private static final Set<String> PLANNED =
            Set.of("backup", "dedupe", "restore", "smoke", "gate", "sidecars", "sign");

    @Test
    void everyGoalIsIgnoredInTheIde() throws Exception {
        Document document =
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(METADATA.toFile());
        Set<String> ignored = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        NodeList executions = document.getElementsByTagName("pluginExecution");
        for (int i = 0; i < executions.getLength(); i++) {
            Element execution = (Element) executions.item(i);
            Element filter = (Element)
                    execution.getElementsByTagName("pluginExecutionFilter").item(0);
            for (String element : List.of("groupId", "artifactId", "versionRange")) {
                if (filter.getElementsByTagName(element).getLength() > 0) {
                    problems.add("pluginExecution " + (i + 1) + " has <" + element
                            + ">: metadata embedded in the plugin" + " jar applies to this plugin only, leave it out");
                }
            }
            Element action = (Element) execution.getElementsByTagName("action").item(0);
            List<String> actions = childNames(action);
            if (!actions.equals(List.of("ignore"))) {
                problems.add("pluginExecution " + (i + 1) + " has action " + actions + ", expected [ignore]");
            }
            NodeList goals = filter.getElementsByTagName("goal");
            for (int g = 0; g < goals.getLength(); g++) {
                ignored.add(goals.item(g).getTextContent().strip());
            }
        }
        List<String> goals = PluginDescriptor.load().goals();
        for (String goal : goals) {
            if (!ignored.contains(goal)) {
                problems.add("goal '" + goal + "' is not in " + METADATA.getFileName() + ": add <goal>" + goal
                        + "</goal> to src/main/resources/META-INF/m2e/lifecycle-mapping-metadata.xml");
            }
        }
        for (String listed : ignored) {
            if (!goals.contains(listed) && !PLANNED.contains(listed)) {
                problems.add("goal '" + listed + "' is listed but the plugin has no such goal: " + goals);
            }
        }
        assertEquals(List.of(), problems);
    }

    private static List<String> childNames(Element element) {
        List<String> names = new ArrayList<>();
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i).getNodeType() == Node.ELEMENT_NODE) {
                names.add(children.item(i).getNodeName());
            }
        }
        return names;
    }
}
