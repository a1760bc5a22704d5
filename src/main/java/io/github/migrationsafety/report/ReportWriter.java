package io.github.migrationsafety.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link GoalReport} as JSON ({@code <goal>-report.json}), JUnit XML
 * ({@code TEST-migration-safety-<goal>.xml}, see {@link JunitWriter}), Markdown ({@code <goal>-summary.md}) and SARIF
 * ({@code <goal>.sarif}, see {@link SarifWriter}), rebuilds the directory's HTML page ({@link HtmlReport}) from
 * every report in it, and appends the
 * Markdown to the GitHub Actions job summary when one is given. Every file is written to a temporary
 * name and moved into place, so a reader never sees half a report.
 */
public final class ReportWriter {

    /** The files one report was written to; {@code html} is the module's page, rebuilt from every report. */
    public record Written(Path json, Path junit, Path markdown, Path sarif, Path html) {}

    private final Path directory;
    private final Path stepSummary;
    private final Redactor redactor;
    private final Path baseDirectory;
    private final String title;

    /**
     * @param directory   where reports go, normally {@code target/migration-safety}
     * @param stepSummary the file named by {@code $GITHUB_STEP_SUMMARY}, or {@code null}
     * @param redactor    secrets that must not appear in any report
     */
    public ReportWriter(Path directory, Path stepSummary, Redactor redactor) {
        this(directory, stepSummary, redactor, null);
    }

    /** @param baseDirectory the project directory that SARIF file locations are relative to, or {@code null} */
    public ReportWriter(Path directory, Path stepSummary, Redactor redactor, Path baseDirectory) {
        this(directory, stepSummary, redactor, baseDirectory, null);
    }

    /**
     * @param title the module's name, the title of the HTML page; {@code null} for the base directory's name
     */
    public ReportWriter(Path directory, Path stepSummary, Redactor redactor, Path baseDirectory, String title) {
        this.directory = directory;
        this.stepSummary = stepSummary;
        this.redactor = redactor;
        this.baseDirectory = baseDirectory;
        this.title = title != null
                ? title
                : baseDirectory != null && baseDirectory.getFileName() != null
                        ? baseDirectory.getFileName().toString()
                        : "migration-safety";
    }

    /** The title of the module's HTML page. */
    public String title() {
        return title;
    }

    public Path directory() {
        return directory;
    }

    /** The secrets masked in every report this writer writes. */
    public Redactor redactor() {
        return redactor;
    }

    public Written write(GoalReport report) throws IOException {
        Files.createDirectories(directory);
        Path json = directory.resolve(report.goal() + "-report.json");
        Path junit = directory.resolve("TEST-migration-safety-" + report.goal() + ".xml");
        Path markdown = directory.resolve(report.goal() + "-summary.md");
        Path sarif = directory.resolve(report.goal() + ".sarif");
        String markdownText = redactor.redact(markdown(report));
        writeAtomically(json, redactor.redact(json(report)));
        writeAtomically(junit, redactor.redact(JunitWriter.junit(report)));
        writeAtomically(markdown, markdownText);
        writeAtomically(sarif, redactor.redact(SarifWriter.sarif(report, baseDirectory)));
        HtmlReport.clearSkip(directory, report.goal());
        Path html = HtmlReport.write(directory, title, redactor);
        if (stepSummary != null) {
            Files.writeString(
                    stepSummary,
                    markdownText + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return new Written(json, junit, markdown, sarif, html);
    }

    /** Writes text to a temporary sibling and moves it over {@code target}. */
    public static void writeAtomically(Path target, String text) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String json(GoalReport report) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("goal", report.goal());
        root.put("status", report.status());
        root.put("startedAt", report.startedAt().toString());
        root.put("durationMillis", report.duration().toMillis());
        root.put("summary", report.summary());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding f : report.findings()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("severity", f.severity().label());
            node.put("rule", f.rule());
            node.put("subject", f.subject());
            node.put("message", f.message());
            putIfPresent(node, "expected", f.expected());
            putIfPresent(node, "actual", f.actual());
            putIfPresent(node, "hint", f.hint());
            putIfPresent(node, "file", f.file());
            if (f.line() > 0) {
                node.put("line", f.line());
            }
            if (f.isSuppressed()) {
                Map<String, Object> suppressed = new LinkedHashMap<>();
                suppressed.put("reason", f.suppression().reason());
                suppressed.put("where", f.suppression().where());
                suppressed.put("kind", f.suppression().inSource() ? "inSource" : "external");
                node.put("suppressed", suppressed);
            }
            findings.add(node);
        }
        root.put("findings", findings);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (Check c : report.checks()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("group", c.group());
            node.put("name", c.name());
            node.put("outcome", c.outcome().name().toLowerCase(Locale.ROOT));
            node.put("timeMillis", c.time().toMillis());
            putIfPresent(node, "detail", c.detail());
            checks.add(node);
        }
        root.put("checks", checks);
        return Json.pretty(root) + "\n";
    }

    static void putIfPresent(Map<String, Object> node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    static String markdown(GoalReport report) {
        StringBuilder md = new StringBuilder();
        md.append("### migration-safety:")
                .append(report.goal())
                .append(" — ")
                .append(report.passed() ? "✅ passed" : "❌ failed")
                .append("\n\n");
        if (!report.summary().isEmpty()) {
            md.append("| | |\n|---|---|\n");
            for (Map.Entry<String, Object> entry : report.summary().entrySet()) {
                md.append("| ")
                        .append(cell(entry.getKey()))
                        .append(" | ")
                        .append(cell(summaryValue(report, entry.getValue())))
                        .append(" |\n");
            }
            md.append('\n');
        }
        for (ReportTable table : report.tables()) {
            md.append("#### ").append(cell(table.title())).append("\n\n| ");
            md.append(String.join(
                            " | ",
                            table.headers().stream().map(ReportWriter::cell).toList()))
                    .append(" |\n|");
            md.append("---|".repeat(table.headers().size())).append('\n');
            for (List<String> row : table.rows()) {
                md.append("| ")
                        .append(String.join(
                                " | ", row.stream().map(ReportWriter::cell).toList()))
                        .append(" |\n");
            }
            md.append('\n');
        }
        if (!report.findings().isEmpty()) {
            md.append("| severity | subject | finding |\n|---|---|---|\n");
            report.findings().stream()
                    .limit(50)
                    .forEach(f -> md.append("| ")
                            .append(f.severity().label() + (f.isSuppressed() ? ", suppressed" : ""))
                            .append(" | ")
                            .append(cell(f.subject()))
                            .append(" | ")
                            .append(cell(f.describe().substring(f.subject().length() + 2)))
                            .append(" |\n"));
            if (report.findings().size() > 50) {
                md.append("\n… and ")
                        .append(report.findings().size() - 50)
                        .append(" more in ")
                        .append(report.goal())
                        .append("-report.json\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Short values as they are; long lists and nested records (e.g. per-changeset results) only as a count. */
    private static String summaryValue(GoalReport report, Object value) {
        if (value instanceof Collection<?> list
                && (list.size() > 5 || list.stream().anyMatch(v -> v instanceof Map<?, ?>))) {
            return list.size() + " entries, see " + report.goal() + "-report.json";
        }
        if (value instanceof Map<?, ?> map) {
            return map.size() + " entries, see " + report.goal() + "-report.json";
        }
        return String.valueOf(value);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
