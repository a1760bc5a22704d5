package io.github.migrationsafety.report;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    private SarifWriter() {}

    /**
     * @param report        the goal's findings
     * @param baseDirectory the project base directory that file locations are made relative to, or {@code null}
     */
    public static String sarif(GoalReport report, Path baseDirectory) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        Map<String, Object> run = new LinkedHashMap<>();
        root.put("runs", List.of(run));
        Map<String, Object> driver = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        driver.put("name", TOOL);
        driver.put("informationUri", TOOL_URI);
        List<Map<String, Object>> rules = new ArrayList<>();
        driver.put("rules", rules);
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        for (Finding finding : report.findings()) {
            ruleIndex.computeIfAbsent(finding.rule(), id -> {
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("id", id);
                rule.put("shortDescription", Map.of("text", "migration-safety:" + report.goal() + " rule " + id));
                rule.put("defaultConfiguration", Map.of("level", level(finding.severity())));
                rules.add(rule);
                return rules.size() - 1;
            });
        }
        run.put("automationDetails", Map.of("id", "migration-safety/" + report.goal() + "/"));
        if (baseDirectory != null) {
            run.put(
                    "originalUriBaseIds",
                    Map.of(
                            BASE_ID,
                            Map.of(
                                    "uri",
                                    directoryUri(baseDirectory.toAbsolutePath().normalize()))));
        }
        Map<String, Object> invocation = new LinkedHashMap<>();
        invocation.put("executionSuccessful", true);
        invocation.put("startTimeUtc", report.startedAt().toString());
        invocation.put("endTimeUtc", report.startedAt().plus(report.duration()).toString());
        run.put("invocations", List.of(invocation));
        List<Map<String, Object>> results = new ArrayList<>();
        run.put("results", results);
        for (Finding finding : report.findings()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", finding.rule());
            result.put("ruleIndex", ruleIndex.get(finding.rule()));
            result.put("level", level(finding.severity()));
            result.put("message", Map.of("text", text(finding)));
            Map<String, Object> location = new LinkedHashMap<>();
            if (finding.file() != null) {
                Map<String, Object> physical = new LinkedHashMap<>();
                physical.put("artifactLocation", artifactLocation(finding.file(), baseDirectory));
                if (finding.line() > 0) {
                    physical.put("region", Map.of("startLine", finding.line()));
                }
                location.put("physicalLocation", physical);
            }
            location.put("logicalLocations", List.of(Map.of("fullyQualifiedName", finding.subject())));
            result.put("locations", List.of(location));
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("subject", finding.subject());
            ReportWriter.putIfPresent(properties, "expected", finding.expected());
            ReportWriter.putIfPresent(properties, "actual", finding.actual());
            ReportWriter.putIfPresent(properties, "hint", finding.hint());
            result.put("properties", properties);
            if (finding.isSuppressed()) {
                // SARIF 2.1.0 §3.27.23: a result with a suppression is still reported; viewers show it as accepted
                Map<String, Object> suppression = new LinkedHashMap<>();
                suppression.put("kind", finding.suppression().inSource() ? "inSource" : "external");
                suppression.put("status", "accepted");
                suppression.put("justification", finding.suppression().reason());
                suppression.put(
                        "location",
                        Map.of("message", Map.of("text", finding.suppression().where())));
                result.put("suppressions", List.of(suppression));
            }
            results.add(result);
        }
        return Json.pretty(root) + "\n";
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
            text.append(" (expected ")
                    .append(finding.expected())
                    .append(", actual ")
                    .append(finding.actual())
                    .append(')');
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
    private static Map<String, Object> artifactLocation(String file, Path baseDirectory) {
        Map<String, Object> node = new LinkedHashMap<>();
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            node.put("uri", encode(file.replace('\\', '/')));
            return node;
        }
        if (baseDirectory == null) {
            node.put(
                    "uri", path.isAbsolute() ? path.normalize().toUri().toString() : encode(slashes(path.normalize())));
            return node;
        }
        Path base = baseDirectory.toAbsolutePath().normalize();
        Path absolute = base.resolve(path).normalize();
        if (absolute.startsWith(base)) {
            node.put("uri", encode(slashes(base.relativize(absolute))));
            node.put("uriBaseId", BASE_ID);
        } else {
            node.put("uri", absolute.toUri().toString());
        }
        return node;
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
            return new URI(null, null, relativePath, null)
                    .toASCIIString()
                    .replace("#", "%23")
                    .replace("?", "%3F");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot encode " + relativePath, e);
        }
    }
}
