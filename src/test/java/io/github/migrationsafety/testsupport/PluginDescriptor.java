package io.github.migrationsafety.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The plugin descriptor that maven-plugin-plugin generates into {@code target/classes} before the tests run.
 * Tests read goals and parameters from here, so every goal added later is covered without touching them.
 *
 * @param goalPrefix the prefix, e.g. {@code migration-safety}
 * @param mojos      every goal, sorted by name, including the generated {@code help} goal
 */
public record PluginDescriptor(String goalPrefix, List<Mojo> mojos) {

    public static final Path LOCATION = Path.of("target/classes/META-INF/maven/plugin.xml");

    /** Goal of the help mojo that maven-plugin-plugin generates; its Javadoc is not ours. */
    public static final String HELP_GOAL = "help";

    /**
     * @param goal        goal name
     * @param description the mojo's Javadoc as plain text
     * @param phase       default lifecycle phase, or {@code null} when the goal has none
     * @param parameters  its parameters, sorted by name
     */
    public record Mojo(String goal, String description, String phase, List<Parameter> parameters) {

        /** Parameters a user can set (readonly ones such as {@code ${settings}} are Maven's, not the user's). */
        public List<Parameter> editableParameters() {
            return parameters.stream().filter(Parameter::editable).toList();
        }

        public boolean generated() {
            return goal.equals(HELP_GOAL);
        }
    }

    /**
     * @param name         parameter name as written in the POM
     * @param type         Java type, e.g. {@code java.io.File}
     * @param required     whether Maven refuses to run without it
     * @param editable     {@code false} for readonly parameters
     * @param description  Javadoc as plain text, or {@code null}
     * @param defaultValue the {@code defaultValue}, or {@code null}
     * @param property     the user property, e.g. {@code migration-safety.url}, or {@code null}
     */
    public record Parameter(
            String name,
            String type,
            boolean required,
            boolean editable,
            String description,
            String defaultValue,
            String property) {}

    public static PluginDescriptor load() throws IOException {
        return load(LOCATION);
    }

    public static PluginDescriptor load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist: maven-plugin-plugin writes it in process-classes;"
                    + " run the tests through Maven (./mvnw -B test)");
        }
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            document = factory.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("Cannot parse " + file + ": " + e.getMessage(), e);
        }
        Element plugin = document.getDocumentElement();
        List<Mojo> mojos = new ArrayList<>();
        for (Element mojo : children(child(plugin, "mojos"), "mojo")) {
            Map<String, Element> configuration = new HashMap<>();
            Element config = child(mojo, "configuration");
            if (config != null) {
                for (Element entry : children(config, null)) {
                    configuration.put(entry.getTagName(), entry);
                }
            }
            List<Parameter> parameters = new ArrayList<>();
            for (Element parameter : children(child(mojo, "parameters"), "parameter")) {
                String name = text(parameter, "name");
                Element entry = configuration.get(name);
                String defaultValue = entry == null || !entry.hasAttribute("default-value")
                        ? null
                        : entry.getAttribute("default-value");
                String property = null;
                if (entry != null) {
                    String expression = entry.getTextContent().strip();
                    if (expression.startsWith("${") && expression.endsWith("}")) {
                        property = expression.substring(2, expression.length() - 1);
                    }
                }
                parameters.add(new Parameter(
                        name,
                        text(parameter, "type"),
                        Boolean.parseBoolean(text(parameter, "required")),
                        Boolean.parseBoolean(text(parameter, "editable")),
                        text(parameter, "description"),
                        defaultValue,
                        property));
            }
            parameters.sort(Comparator.comparing(Parameter::name));
            mojos.add(new Mojo(
                    text(mojo, "goal"), text(mojo, "description"), text(mojo, "phase"), List.copyOf(parameters)));
        }
        mojos.sort(Comparator.comparing(Mojo::goal));
        return new PluginDescriptor(text(plugin, "goalPrefix"), List.copyOf(mojos));
    }

    /** Goals a user runs or binds: all but the generated help goal. */
    public List<Mojo> ownMojos() {
        return mojos.stream().filter(m -> !m.generated()).toList();
    }

    public List<String> goals() {
        return mojos.stream().map(Mojo::goal).toList();
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        if (parent == null) {
            return result;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element
                    && (name == null || element.getTagName().equals(name))) {
                result.add(element);
            }
        }
        return result;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        if (element == null) {
            return null;
        }
        String text = element.getTextContent().strip();
        return text.isEmpty() ? null : text;
    }
}
