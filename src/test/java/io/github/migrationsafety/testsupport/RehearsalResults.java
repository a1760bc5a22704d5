package io.github.migrationsafety.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.rehearsal.RehearsalEngine;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.SmokeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the rehearsal tests read of a smoke's result, for Liquibase changelogs and Flyway migrations alike. */
public final class RehearsalResults {

    private RehearsalResults() {}

    /**
     * The rehearsal's verdict on a production that its own tool (Liquibase's update, Flyway's migrate) built and
     * nobody touched: drift checked and none; no rehearsal finding but {@code smoke.rehearsal.needs-rows} warnings (a
     * change that selects reference rows earlier ones inserted cannot be judged on a copy without rows, and the
     * update stops there, as it does on the applied changes' rebuild when that lacks them too); every pending change
     * passed, on the copy or on the rebuild, but the one such a warning names (failed) and those after it (not run);
     * at least {@code minPending} pending. Returns the figures, for the log.
     */
    public static String assertUntouchedProduction(SmokeResult rehearsed, long minPending) {
        Map<?, ?> rehearsal = (Map<?, ?>) rehearsed.summary().get("rehearsal");
        List<String> findings = rehearsed.findings().stream()
                .filter(f -> f.rule().startsWith("smoke.rehearsal."))
                .filter(f -> !f.rule().equals(RehearsalEngine.NEEDS_ROWS))
                .map(f -> f.severity().label() + " " + f.rule() + " " + f.describe())
                .toList();
        long needsRows = rehearsed.findings().stream()
                .filter(f -> f.rule().equals(RehearsalEngine.NEEDS_ROWS))
                .peek(f -> assertEquals(Severity.WARNING, f.severity()))
                .count();
        List<?> pending = (List<?>) rehearsal.get("pending");
        List<?> data = (List<?>) rehearsal.get("data");
        Map<String, Long> statuses = new TreeMap<>();
        for (Object entry : pending) {
            statuses.merge(String.valueOf(((Map<?, ?>) entry).get("rehearsal")), 1L, Long::sum);
        }
        long onRebuild = pending.stream()
                .filter(e -> ((Map<?, ?>) e).get("judgedOn") != null)
                .count();
        String figures = pending.size() + " pending " + statuses + " (" + onRebuild
                + " of them judged on the applied changes' rebuild), drift "
                + ((List<?>) rehearsal.get("drift")).size() + ", data checks " + (data == null ? 0 : data.size())
                + ", findings " + findings + ", needing production's rows " + needsRows;
        assertEquals("yes", rehearsal.get("driftChecked"), () -> "drift not checked: " + rehearsal);
        assertEquals(List.of(), rehearsal.get("drift"), "drift on a production nobody touched");
        assertEquals(List.of(), findings, "the rehearsal's findings on a production nobody touched");
        assertEquals(needsRows, statuses.getOrDefault("failed", 0L), figures);
        assertEquals(needsRows == 0 ? 0L : statuses.getOrDefault("not run", 0L), statuses.getOrDefault("not run", 0L));
        assertTrue(statuses.keySet().stream().allMatch(List.of("passed", "failed", "not run")::contains), figures);
        assertTrue(pending.size() >= minPending, figures);
        return figures;
    }

    /**
     * Adds a column {@code added_by_hand} to the first table (by name) of {@code schema} in {@code production} that is
     * not a migration tool's history or lock table: drift that no pending change can meet. Returns the table.
     */
    public static String addColumnByHand(ConnectionSettings production, String schema) {
        List<String> tables = Sql.rows(
                production,
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = '" + schema.replace("'", "''") + "' AND c.relkind = 'r'"
                        + " AND c.relname NOT ILIKE 'databasechangelog%' AND c.relname NOT ILIKE '%schema_history'"
                        + " AND c.relname <> 'schema_version' ORDER BY c.relname LIMIT 1");
        assertEquals(1, tables.size(), "no table in schema " + schema + " of " + production.safeUrl());
        String table = tables.get(0);
        Sql.run(
                production,
                "ALTER TABLE \"" + schema.replace("\"", "\"\"") + "\".\"" + table.replace("\"", "\"\"")
                        + "\" ADD COLUMN added_by_hand integer");
        return table;
    }

    /**
     * {@code drifted}, the rehearsal after {@link #addColumnByHand}, has exactly one drift finding, on that column,
     * and otherwise the findings of {@code untouched}, the rehearsal before. Returns the finding.
     */
    public static String assertOneDrift(SmokeResult drifted, SmokeResult untouched, String table) {
        List<String> drift = describe(drifted, RehearsalEngine.DRIFT);
        assertEquals(1, drift.size(), drift::toString);
        assertTrue(drift.get(0).contains("column " + table + ".added_by_hand"), drift.get(0));
        List<String> others = new ArrayList<>(describe(drifted));
        others.removeIf(line -> line.contains(" " + RehearsalEngine.DRIFT + " "));
        assertEquals(describe(untouched), others, "findings other than the drift");
        return drift.get(0);
    }

    /** Every finding as {@code severity rule subject: message [at] Fix: hint}. */
    public static List<String> describe(SmokeResult result) {
        return result.findings().stream()
                .map(f -> f.severity().label() + " " + f.rule() + " " + f.describe())
                .toList();
    }

    /**
     * A production the tool built from these very migrations has a history that matches them: the rehearsal's log
     * names no applied changeset or migration as edited since it ran, nor one as gone. One that did would mean the
     * rehearsal reads the migrations otherwise than the tool's own run (a checksum of other text).
     */
    public static void assertHistoryMatches(CapturingLog log) {
        List<String> gaps = log.text()
                .lines()
                .filter(l -> l.contains(" was edited since production ran it") || l.contains(", which is no longer in"))
                .toList();
        assertEquals(List.of(), gaps, "history rows the rehearsal cannot match to the migrations");
    }

    /** The findings of {@code rule}, without their hints. */
    public static List<String> describe(SmokeResult result, String rule) {
        return describe(result).stream()
                .filter(line -> line.contains(" " + rule + " "))
                .map(line -> line.replaceAll(" Fix: .*", ""))
                .toList();
    }

    /** The one finding of {@code rule}; fails naming every finding when there is not exactly one. */
    public static Finding single(SmokeResult result, String rule) {
        List<Finding> found =
                result.findings().stream().filter(f -> f.rule().equals(rule)).toList();
        assertEquals(1, found.size(), () -> describe(result).toString());
        return found.get(0);
    }

    /** The report's rehearsal data checks, as {@code changeset check: rows}. */
    public static List<String> data(SmokeResult result) {
        List<String> lines = new ArrayList<>();
        for (Object value : (List<?>) ((Map<?, ?>) result.summary().get("rehearsal")).get("data")) {
            Map<?, ?> entry = (Map<?, ?>) value;
            lines.add(entry.get("changeset") + " " + entry.get("check") + ": " + entry.get("rows"));
        }
        return lines;
    }
}
