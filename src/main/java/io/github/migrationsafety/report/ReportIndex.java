package io.github.migrationsafety.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /**
     * Every goal's last report in {@code directory}, oldest first (the order the goals ran in), read by {@link
     * ReportSet}; a file that cannot be read is an entry with status {@code unreadable} and the reason as headline.
     */
    public static List<Entry> read(Path directory) throws IOException {
        ReportSet set = ReportSet.read("", directory);
        List<Entry> entries = new ArrayList<>();
        for (Map<String, Object> root : set.reports().values()) {
            int errors = 0;
            int warnings = 0;
            for (Object finding : Json.array(root, "findings")) {
                // a suppressed finding is reported, not counted
                Object severity =
                        finding instanceof Map<?, ?> map && !map.containsKey("suppressed") ? map.get("severity") : null;
                errors += "error".equals(severity) ? 1 : 0;
                warnings += "warning".equals(severity) ? 1 : 0;
            }
            Path file = set.fileOf(root);
            entries.add(new Entry(
                    Json.text(root, "goal", file.getFileName().toString()),
                    Json.text(root, "status", "unknown"),
                    headline(Json.object(root, "summary")),
                    errors,
                    warnings,
                    file));
        }
        set.unreadable().forEach((name, why) -> {
            if (name.endsWith(ReportSet.REPORT_SUFFIX)) {
                String goal = name.substring(0, name.length() - ReportSet.REPORT_SUFFIX.length());
                entries.add(new Entry(goal, "unreadable", why, 0, 0, directory.resolve(name)));
            }
        });
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
}
