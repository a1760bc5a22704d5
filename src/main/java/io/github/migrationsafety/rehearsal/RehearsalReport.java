package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Json;
import io.github.migrationsafety.report.ReportTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rehearsal in the reports: its tables for the Markdown summary, read from the smoke's JSON summary
 * ({@code rehearsal}), and the gate's check that the smoke report holds a passing rehearsal.
 */
public final class RehearsalReport {

    public static final String GATE_RULE = "gate.rehearsal-missing";

    private RehearsalReport() {}

    /** The pending changesets on production's schema, the drift and the data counts; none without a rehearsal. */
    public static List<ReportTable> tables(Map<String, Object> summary) {
        if (!(summary.get("rehearsal") instanceof Map<?, ?> rehearsal)) {
            return List.of();
        }
        Terms terms = Terms.of(String.valueOf(rehearsal.get("tool")));
        List<ReportTable> tables = new ArrayList<>();
        List<List<String>> pending = new ArrayList<>();
        for (Map<?, ?> entry : entries(rehearsal.get("pending"))) {
            pending.add(List.of(
                    text(entry.get("changeset")),
                    text(entry.get("empty")),
                    text(entry.get("rehearsal"))
                            + (entry.get("judgedOn") == null ? "" : " (on " + entry.get("judgedOn") + ")"),
                    entry.get("cause") == null ? "" : text(entry.get("error")) + " - " + text(entry.get("cause"))));
        }
        tables.add(new ReportTable(
                "Rehearsal on production's schema (" + rehearsal.get("production") + ", " + rehearsal.get("version")
                        + ", schema " + rehearsal.get("schema") + "): " + rehearsal.get("status"),
                List.of("pending " + terms.unit(), "empty database", "production's schema", "why it failed"),
                pending));
        List<List<String>> drift = new ArrayList<>();
        for (Map<?, ?> entry : entries(rehearsal.get("drift"))) {
            drift.add(List.of(
                    text(entry.get("object")),
                    text(entry.get("expected")),
                    text(entry.get("actual")),
                    text(entry.get("cause"))));
        }
        tables.add(new ReportTable(
                "Drift: production's schema against what its applied " + terms.units() + " make (checked: "
                        + rehearsal.get("driftChecked") + ")",
                List.of("object", "applied " + terms.units() + " make", "production has", "why"),
                drift));
        List<List<String>> data = new ArrayList<>();
        for (Map<?, ?> entry : entries(rehearsal.get("data"))) {
            data.add(List.of(
                    text(entry.get("changeset")),
                    text(entry.get("check")),
                    text(entry.get("rows")),
                    entry.get("keys") instanceof List<?> keys && !keys.isEmpty()
                            ? entry.get("keyColumns") + ": "
                                    + String.join(
                                            ", ",
                                            keys.stream().map(String::valueOf).toList())
                            : ""));
        }
        tables.add(new ReportTable(
                "Production rows that would break the pending " + terms.units() + " (read only)",
                List.of(terms.unit(), "check", "rows", "sample keys"),
                data));
        return tables;
    }

    /**
     * The gate's {@code requireRehearsal}: the smoke report in {@code reportDirectory} must hold a rehearsal on
     * production's schema that passed. A missing or unreadable report is the gate's own finding already.
     */
    public static List<Finding> gate(Path reportDirectory) {
        Path file = reportDirectory.resolve("smoke-report.json");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Map<String, Object> report;
        try {
            report = Json.readObject(file);
        } catch (IOException e) {
            return List.of();
        }
        Map<String, Object> rehearsal = Json.object(Json.object(report, "summary"), "rehearsal");
        if (rehearsal.isEmpty()) {
            return List.of(Finding.error(
                            GATE_RULE,
                            "smoke",
                            "the smoke report " + file + " has no rehearsal on production's schema, and"
                                    + " requireRehearsal is set")
                    .withHint("run migration-safety:smoke with 'url' set to the production database (read only)"
                            + " and 'postgres' set, without rehearsal=false"));
        }
        if (!"passed".equals(Json.text(rehearsal, "status", ""))) {
            return List.of(Finding.error(
                            "gate.rehearsal-failed",
                            "smoke",
                            "the rehearsal on production's schema in " + file + " has status '"
                                    + Json.text(rehearsal, "status", "") + "', not 'passed'")
                    .withHint("fix what the rehearsal reported (smoke.rehearsal.* findings) and run the smoke again"));
        }
        return List.of();
    }

    private static List<Map<?, ?>> entries(Object value) {
        List<Map<?, ?>> list = new ArrayList<>();
        if (value instanceof List<?> values) {
            for (Object entry : values) {
                if (entry instanceof Map<?, ?> map) {
                    list.add(map);
                }
            }
        }
        return list;
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
