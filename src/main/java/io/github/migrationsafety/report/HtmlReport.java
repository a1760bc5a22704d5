package io.github.migrationsafety.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The self-contained HTML page of a report directory ({@value #FILE_NAME}), rebuilt from every JSON report in it, so
 * whichever goal ran last the page shows them all. Also the aggregate page of several modules and the page of the
 * Maven site report, which are the same page with more than one module.
 */
public final class HtmlReport {

    public static final String FILE_NAME = "index.html";

    private HtmlReport() {}

    /**
     * Writes {@code directory/index.html} from the reports in {@code directory}.
     *
     * @param title the module's name, the page's title
     * @return the page
     */
    public static Path write(Path directory, String title, Redactor redactor) throws IOException {
        return write(directory, directory, title, redactor);
    }

    /**
     * Writes the page of the reports in {@code directory} into {@code target} (e.g. the site's directory).
     *
     * @return the page
     */
    public static Path write(Path directory, Path target, String title, Redactor redactor) throws IOException {
        String page = HtmlPage.render(title, List.of(ReportSet.read(title, directory)), redactor);
        Files.createDirectories(target);
        Path file = target.resolve(FILE_NAME);
        ReportWriter.writeAtomically(file, page);
        return file;
    }

    /** Whether {@code directory} holds any report a page would show. */
    public static boolean hasReports(Path directory) throws IOException {
        return !ReportSet.read("", directory).isEmpty();
    }

    /**
     * Writes one page of several modules' reports into {@code target} (e.g. a site directory): an overview of every
     * module's goals, then each module's sections.
     *
     * @param modules module name to its report directory, in reactor order; modules without reports are listed
     *                as such
     * @return the page
     */
    public static Path writeAggregate(Path target, String title, Map<String, Path> modules, Redactor redactor)
            throws IOException {
        List<ReportSet> sets = new ArrayList<>();
        for (Map.Entry<String, Path> module : new LinkedHashMap<>(modules).entrySet()) {
            sets.add(ReportSet.read(module.getKey(), module.getValue()));
        }
        Files.createDirectories(target);
        Path file = target.resolve(FILE_NAME);
        ReportWriter.writeAtomically(file, HtmlPage.render(title, sets, redactor));
        return file;
    }

    /**
     * Records that {@code goal} was skipped, so the page says so instead of showing its last report as current.
     * Only where a report directory exists: a skip never creates one.
     */
    public static void recordSkip(Path directory, String goal, String reason, String title, Redactor redactor)
            throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("goal", goal);
        marker.put("skippedAt", Instant.now().toString());
        marker.put("reason", reason);
        ReportWriter.writeAtomically(directory.resolve(goal + ReportSet.SKIPPED_SUFFIX), Json.pretty(marker) + "\n");
        write(directory, title, redactor);
    }

    /** Removes the skip marker of a goal that has just written its report. */
    static void clearSkip(Path directory, String goal) throws IOException {
        Files.deleteIfExists(directory.resolve(goal + ReportSet.SKIPPED_SUFFIX));
    }
}
