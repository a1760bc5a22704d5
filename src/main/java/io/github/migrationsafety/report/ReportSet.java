package io.github.migrationsafety.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The JSON reports of one module's report directory, read back: each goal's last report, the goals recorded as
 * skipped, and the files that could not be read. The one reader of a report directory: the HTML page shows the
 * unreadable files, the summary lists them, and the gate turns them into its own findings.
 *
 * @param module     the module's name, shown as the page's title
 * @param directory  the report directory
 * @param reports    goal name to its parsed JSON report, in the order the goals ran
 * @param skipped    goal name to the skip marker's reason, for goals skipped after their last report (or without
 *                   one)
 * @param unreadable file name to why it could not be read
 * @param files      file name to its parsed JSON report, for a reader that asks for one file by name
 */
public record ReportSet(
        String module,
        Path directory,
        Map<String, Map<String, Object>> reports,
        Map<String, String> skipped,
        Map<String, String> unreadable,
        Map<String, Map<String, Object>> files) {

    public static final String REPORT_SUFFIX = "-report.json";
    static final String SKIPPED_SUFFIX = "-skipped.json";

    /** The key under which each parsed report keeps its file name. */
    static final String FILE = "$file";

    /** Reads {@code directory}; a missing directory is an empty set, a file that does not parse is unreadable. */
    public static ReportSet read(String module, Path directory) throws IOException {
        Map<String, Map<String, Object>> reports = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        Map<String, Map<String, Object>> byFile = new LinkedHashMap<>();
        if (!Files.isDirectory(directory)) {
            return new ReportSet(module, directory, reports, skipped, unreadable, byFile);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> name(p).endsWith(REPORT_SUFFIX) || name(p).endsWith(SKIPPED_SUFFIX))
                    .sorted(Comparator.comparing(ReportSet::name))
                    .toList();
        }
        List<Map<String, Object>> parsed = new ArrayList<>();
        for (Path file : files) {
            try {
                Map<String, Object> root = Json.readObject(file);
                root.put(FILE, name(file));
                parsed.add(root);
                byFile.put(name(file), root);
            } catch (IOException | RuntimeException e) {
                unreadable.put(name(file), String.valueOf(e.getMessage()));
            }
        }
        parsed.sort(Comparator.comparing(root -> Json.text(root, "startedAt", Json.text(root, "skippedAt", ""))));
        for (Map<String, Object> root : parsed) {
            String file = (String) root.get(FILE);
            if (file.endsWith(SKIPPED_SUFFIX)) {
                String goal = file.substring(0, file.length() - SKIPPED_SUFFIX.length());
                skipped.put(goal, Json.text(root, "reason", "skipped"));
            } else {
                String goal = Json.text(root, "goal", file.substring(0, file.length() - REPORT_SUFFIX.length()));
                reports.put(goal, root);
                // a report newer than the goal's skip marker means the goal ran again after that skip
                skipped.remove(goal);
            }
        }
        return new ReportSet(module, directory, reports, skipped, unreadable, byFile);
    }

    /** The report in the file {@code name} of the directory, or {@code null} when there is none or it is unreadable. */
    public Map<String, Object> file(String name) {
        return files.get(name);
    }

    /** The file a report was read from. */
    public Path fileOf(Map<String, Object> report) {
        return directory.resolve(String.valueOf(report.get(FILE)));
    }

    /** The goals in the order the page lists them: those that ran, then those only skipped. */
    List<String> goals() {
        List<String> goals = new ArrayList<>(reports.keySet());
        skipped.keySet().stream().filter(g -> !goals.contains(g)).forEach(goals::add);
        return goals;
    }

    Map<String, Object> report(String goal) {
        return reports.get(goal);
    }

    boolean isEmpty() {
        return reports.isEmpty() && skipped.isEmpty() && unreadable.isEmpty();
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }
}
