package io.github.migrationsafety.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
    public record Entry(String goal, String status, String headline, int errors, int warnings, Path report) {}

    private static final int HEADLINE_FIGURES = 5;
    private static final int SHORT_TEXT = 24;

    private ReportIndex() {}

    /** Every {@code *-report.json} in {@code directory}, oldest first (the order the goals ran in). */
    public static List<Entry> read(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith("-report.json"))
                    .sorted(Comparator.comparing(ReportIndex::startedAt).thenComparing(Path::toString))
                    .toList();
        }
        List<Entry> entries = new ArrayList<>();
        for (Path file : files) {
            Map<String, Object> root = Json.readObject(file);
            int errors = 0;
            int warnings = 0;
            for (Object finding : Json.array(root, "findings")) {
                Object severity = finding instanceof Map<?, ?> map ? map.get("severity") : null;
                errors += "error".equals(severity) ? 1 : 0;
                warnings += "warning".equals(severity) ? 1 : 0;
            }
            entries.add(new Entry(
                    Json.text(root, "goal", file.getFileName().toString()),
                    Json.text(root, "status", "unknown"),
                    headline(Json.object(root, "summary")),
                    errors,
                    warnings,
                    file));
        }
        return entries;
    }

    /**
     * The figures a reader scans for: counts, switches and short names. Paths, fingerprints and long texts are
     * left to the report itself; a list counts as its size.
     */
    static String headline(Map<String, Object> summary) {
        List<String> figures = new ArrayList<>();
        for (Map.Entry<String, Object> field : summary.entrySet()) {
            if (figures.size() == HEADLINE_FIGURES) {
                break;
            }
            Object value = field.getValue();
            if (value instanceof Number || value instanceof Boolean) {
                figures.add(field.getKey() + "=" + value);
            } else if (value instanceof List<?> list) {
                figures.add(field.getKey() + "=" + list.size());
            } else if (value instanceof String text && isShortName(text)) {
                figures.add(field.getKey() + "=" + text);
            }
        }
        return String.join(", ", figures);
    }

    private static boolean isShortName(String text) {
        return !text.isEmpty() && text.length() <= SHORT_TEXT && text.indexOf('/') < 0 && text.indexOf('\\') < 0;
    }

    private static String startedAt(Path file) {
        try {
            return Json.text(Json.readObject(file), "startedAt", "");
        } catch (IOException e) {
            return "";
        }
    }
}
