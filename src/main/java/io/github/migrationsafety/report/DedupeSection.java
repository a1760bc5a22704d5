package io.github.migrationsafety.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The dedupe's section: the duplicate groups, the rows kept and deleted (read from the goal's CSV report, the first
 * {@value #MAX_ROWS} rows), the near duplicates, and where the backup of the deleted rows is.
 */
final class DedupeSection {

    static final int MAX_ROWS = 200;

    private DedupeSection() {}

    static void write(Html out, Map<String, Object> report) {
        Map<String, Object> summary = Json.object(report, "summary");
        GoalSection.figures(out, summary, Set.of());
        backup(out, summary);
        List<?> groups = Json.array(summary, "topGroups");
        if (!groups.isEmpty()) {
            GoalSection.recordsTable(out, "Largest duplicate groups (" + groups.size() + ")", groups);
        }
        GoalSection.summaryTables(out, summary, Set.of("topGroups"));
        String reportFile = Json.text(summary, "reportFile", null);
        if (reportFile != null) {
            rows(out, reportFile);
        }
        List<Map<String, Object>> findings = GoalSection.findingsOf(report);
        GoalSection.findings(
                out,
                findings.stream()
                        .filter(f -> Json.text(f, "rule", "").equals("dedupe.near-duplicate"))
                        .toList(),
                "Near duplicates: keys that differ only by case or surrounding whitespace");
        GoalSection.findings(
                out,
                findings.stream()
                        .filter(f -> !Json.text(f, "rule", "").equals("dedupe.near-duplicate"))
                        .toList(),
                "Other findings");
        GoalSection.checks(out, report, check -> true, "Checks");
    }

    private static void backup(Html out, Map<String, Object> summary) {
        String backup = Json.text(summary, "backup", null);
        out.open("p");
        if (backup != null) {
            out.text("Backup of the deleted rows: ")
                    .element("code", backup)
                    .text(" (restore with ")
                    .element("code", "mvn migration-safety:restore -Dmigration-safety.backup=" + backup)
                    .text(").");
        } else if ("apply".equals(summary.get("mode"))) {
            out.text("No backup was written: no row was deleted.");
        } else {
            out.text("Dry run: nothing was deleted, so there is no backup.");
        }
        out.close("p");
    }

    /** The CSV report's rows: each row of a duplicate group with its action, KEEP or DELETE, as a word. */
    private static void rows(Html out, String reportFile) {
        Path file;
        try {
            file = Path.of(reportFile);
        } catch (InvalidPathException e) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            out.open("p")
                    .text("The row report ")
                    .element("code", reportFile)
                    .text(" is not there any more.")
                    .close("p");
            return;
        }
        List<String> header;
        List<CSVRecord> records = new ArrayList<>();
        boolean more;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(reader)) {
            header = parser.getHeaderNames();
            var iterator = parser.iterator();
            while (iterator.hasNext() && records.size() < MAX_ROWS) {
                records.add(iterator.next());
            }
            more = iterator.hasNext();
        } catch (IOException | RuntimeException e) {
            out.open("p")
                    .text("The row report ")
                    .element("code", reportFile)
                    .text(" cannot be read: " + e.getMessage())
                    .close("p");
            return;
        }
        HtmlTable table = new HtmlTable(
                "Rows in duplicate groups, kept and deleted"
                        + (more
                                ? " (the first " + MAX_ROWS + "; all in " + file.getFileName() + ")"
                                : " (" + records.size() + ")"),
                header.toArray(String[]::new));
        int action = header.indexOf("action");
        for (CSVRecord record : records) {
            List<HtmlTable.Cell> cells = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                String value = i < record.size() ? record.get(i) : "";
                cells.add(i == action ? HtmlTable.status(value) : HtmlTable.text(value));
            }
            table.row(cells.toArray(HtmlTable.Cell[]::new));
        }
        table.withClass("rows").write(out);
    }
}
