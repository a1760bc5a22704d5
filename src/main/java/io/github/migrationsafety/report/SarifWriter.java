package io.github.migrationsafety.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a {@link GoalReport} into a SARIF 2.1.0 log ({@code <goal>.sarif}) so code-scanning tools (GitHub code
 * scanning, IDE SARIF viewers) show the findings next to the changelog line they point to. One run per goal;
 * one rule per distinct {@link Finding#rule()}; file locations are relative to the project base directory
 * ({@code uriBaseId} {@value #BASE_ID}) so the log stays valid when the checkout moves.
 */
public final class SarifWriter {

    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    public static final String BASE_ID = "PROJECT_ROOT";
    static final String TOOL = "migration-safety-maven-plugin";
    static final String TOOL_URI = "https://github.com/migrationsafety/migration-safety-maven-plugin";

    private SarifWriter() {
    }

    /**
     * @param report        the goal's findings
     * @param baseDirectory the project base directory that file locations are made relative to, or {@code null}
     */
    public static String sarif(GoalReport report, Path baseDirectory) throws IOException {
        ObjectNode root = ReportWriter.JSON.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", TOOL);
        driver.put("informationUri", TOOL_URI);
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        for (Finding finding : report.findings()) {
            ruleIndex.computeIfAbsent(finding.rule(), id -> {
                ObjectNode rule = rules.addObject();
                rule.put("id", id);
                rule.putObject("shortDescription").put("text", "migration-safety:" + report.goal() + " rule " + id);
                rule.putObject("defaultConfiguration").put("level", level(finding.severity()));
                return rules.size() - 1;
            });
        }
        run.putObject("automationDetails").put("id", "migration-safety/" + report.goal() + "/");
        if (baseDirectory != null) {
            run.putObject("originalUriBaseIds").putObject(BASE_ID)
                    .put("uri", directoryUri(baseDirectory.toAbsolutePath().normalize()));
        }
        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        invocation.put("startTimeUtc", report.startedAt().toString());
        invocation.put("endTimeUtc", report.startedAt().plus(report.duration()).toString());
        ArrayNode results = run.putArray("results");
        for (Finding finding : report.findings()) {
            ObjectNode result = results.addObject();
            result.put("ruleId", finding.rule());
            result.put("ruleIndex", ruleIndex.get(finding.rule()));
            result.put("level", level(finding.severity()));
            result.putObject("message").put("text", text(finding));
            ObjectNode location = result.putArray("locations").addObject();
            if (finding.file() != null) {
                ObjectNode physical = location.putObject("physicalLocation");
                artifactLocation(physical.putObject("artifactLocation"), finding.file(), baseDirectory);
                if (finding.line() > 0) {
                    physical.putObject("region").put("startLine", finding.line());
                }
            }
            location.putArray("logicalLocations").addObject().put("fullyQualifiedName", finding.subject());
            ObjectNode properties = result.putObject("properties");
            properties.put("subject", finding.subject());
            putIfPresent(properties, "expected", finding.expected());
            putIfPresent(properties, "actual", finding.actual());
            putIfPresent(properties, "hint", finding.hint());
        }
        return ReportWriter.JSON.writeValueAsString(root) + "\n";
    }

    static String level(Severity severity) {
        return switch (severity) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    /** The finding without its file (SARIF carries that in the location): subject, message, expected/actual, fix. */
    private static String text(Finding finding) {
        StringBuilder text = new StringBuilder(finding.subject()).append(": ").append(finding.message());
        if (finding.expected() != null || finding.actual() != null) {
            text.append(" (expected ").append(finding.expected()).append(", actual ").append(finding.actual()).append(')');
        }
        if (finding.hint() != null) {
            text.append(" Fix: ").append(finding.hint());
        }
        return text.toString();
    }

    /**
     * A file inside the base directory becomes a relative URI with {@code uriBaseId}; anything else an absolute
     * {@code file:} URI. A value that is not a usable path is kept as the finding's text, percent-encoded.
     */
    private static void artifactLocation(ObjectNode node, String file, Path baseDirectory) {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            node.put("uri", encode(file.replace('\\', '/')));
            return;
        }
        if (baseDirectory == null) {
            node.put("uri", path.isAbsolute() ? path.normalize().toUri().toString() : encode(slashes(path.normalize())));
            return;
        }
        Path base = baseDirectory.toAbsolutePath().normalize();
        Path absolute = base.resolve(path).normalize();
        if (absolute.startsWith(base)) {
            node.put("uri", encode(slashes(base.relativize(absolute))));
            node.put("uriBaseId", BASE_ID);
        } else {
            node.put("uri", absolute.toUri().toString());
        }
    }

    private static String slashes(Path path) {
        return path.toString().replace(path.getFileSystem().getSeparator(), "/");
    }

    private static String directoryUri(Path directory) {
        String uri = directory.toUri().toString();
        return uri.endsWith("/") ? uri : uri + "/";
    }

    /** Percent-encodes what a relative URI reference cannot hold (spaces, non-ASCII, '%', '#', '?'). */
    private static String encode(String relativePath) {
        try {
            return new URI(null, null, relativePath, null).toASCIIString().replace("#", "%23").replace("?", "%3F");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot encode " + relativePath, e);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
