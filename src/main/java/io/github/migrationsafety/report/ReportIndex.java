package io.github.migrationsafety.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads back the JSON reports that goals wrote into a report directory, for an overview of a whole build. */
public final class ReportIndex {

    /**
     * One goal's outcome as its report states it.
     *
     * @param goal     goal name
     * @param status   {@code passed} or {@code failed}
     * @param headline the first few short summary figures, e.g. {@code groups=2, rowsToDelete=3}
     * @param errors   number of error findings
     * @param warnings number of warning findings
     * @param report   the JSON report file
     */
    public record Entry(String goal, String status, String headline, int errors, int warnings, Path report) {
    }

    private static final int HEADLINE_FIGURES = 5;
    private static final int SHORT_TEXT = 24;

    private ReportIndex() {
    }

    /** Every {@code *-report.json} in {@code directory}, oldest first (the order the goals ran in). */
    public static List<Entry> read(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith("-report.json"))
                    .sorted(Comparator.comparing(ReportIndex::startedAt).thenComparing(Path::toString)).toList();
        }
        List<Entry> entries = new ArrayList<>();
        for (Path file : files) {
            JsonNode root = ReportWriter.JSON.readTree(file.toFile());
            int errors = 0;
            int warnings = 0;
            for (JsonNode finding : root.path("findings")) {
                String severity = finding.path("severity").asText();
                errors += severity.equals("error") ? 1 : 0;
                warnings += severity.equals("warning") ? 1 : 0;
            }
            entries.add(new Entry(root.path("goal").asText(file.getFileName().toString()), root.path("status").asText("unknown"),
                    headline(root.path("summary")), errors, warnings, file));
        }
        return entries;
    }

    /**
     * The figures a reader scans for: counts, switches and short names. Paths, fingerprints and long texts are
     * left to the report itself; a list counts as its size.
     */
    private static String headline(JsonNode summary) {
        List<String> figures = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = summary.fields();
        while (fields.hasNext() && figures.size() < HEADLINE_FIGURES) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNumber() || value.isBoolean()) {
                figures.add(field.getKey() + "=" + value.asText());
            } else if (value.isArray()) {
                figures.add(field.getKey() + "=" + value.size());
            } else if (value.isTextual() && isShortName(value.asText())) {
                figures.add(field.getKey() + "=" + value.asText());
            }
        }
        return String.join(", ", figures);
    }

    private static boolean isShortName(String text) {
        return !text.isEmpty() && text.length() <= SHORT_TEXT && text.indexOf('/') < 0 && text.indexOf('\\') < 0;
    }

    private static String startedAt(Path file) {
        try {
            return ReportWriter.JSON.readTree(file.toFile()).path("startedAt").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
