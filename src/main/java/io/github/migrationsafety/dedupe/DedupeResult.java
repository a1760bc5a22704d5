package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a dedupe run found and did.
 *
 * @param subject      {@code table(key, columns)} for messages
 * @param groups       duplicate groups found
 * @param rowsInGroups rows that belong to a duplicate group
 * @param rowsToDelete rows that are (or would be) deleted: every row of a group but the kept one
 * @param topGroups    the largest groups, largest first
 * @param findings     duplicates (errors in dry-run), near-duplicates and reference problems
 * @param reportFile   the CSV report written
 * @param backup       the backup directory written by apply, or {@code null}
 * @param deleted      rows deleted by apply (0 in dry-run)
 * @param repointed    references moved to kept rows by apply
 * @param applied      whether the delete was committed
 * @param online       what an online (batched) apply did, or {@code null}
 * @param config       the settings of the run, for the report's summary; {@code null} until {@link DedupeEngine} returns
 *                     the result
 * @param took         how long the run took, the time of its check
 */
public record DedupeResult(
        String subject,
        long groups,
        long rowsInGroups,
        long rowsToDelete,
        List<Group> topGroups,
        List<Finding> findings,
        Path reportFile,
        Path backup,
        long deleted,
        long repointed,
        boolean applied,
        OnlineRun online,
        DedupeConfig config,
        Duration took)
        implements EngineResult {

    /** What a run found and reported without deleting anything: a dry-run, or an apply with nothing to delete. */
    static DedupeResult nothingDeleted(
            DedupeTarget target, DedupeEngine.Streamed streamed, List<Finding> findings, Path reportFile) {
        return ofStream(target, streamed, findings, reportFile, null, 0, 0, false);
    }

    /** The result of one streaming pass over the ranked rows, with what was deleted and repointed after it. */
    static DedupeResult ofStream(
            DedupeTarget target,
            DedupeEngine.Streamed streamed,
            List<Finding> findings,
            Path reportFile,
            Path backup,
            long deleted,
            long repointed,
            boolean applied) {
        return new DedupeResult(
                target.subject(),
                streamed.groups(),
                streamed.rows(),
                streamed.deletes(),
                streamed.top(),
                findings,
                reportFile,
                backup,
                deleted,
                repointed,
                applied);
    }

    /** A result of an online apply, before {@link DedupeEngine} says with which settings and how long it ran. */
    public DedupeResult(
            String subject,
            long groups,
            long rowsInGroups,
            long rowsToDelete,
            List<Group> topGroups,
            List<Finding> findings,
            Path reportFile,
            Path backup,
            long deleted,
            long repointed,
            boolean applied,
            OnlineRun online) {
        this(
                subject,
                groups,
                rowsInGroups,
                rowsToDelete,
                topGroups,
                findings,
                reportFile,
                backup,
                deleted,
                repointed,
                applied,
                online,
                null,
                Duration.ZERO);
    }

    /** The same result, of a run with {@code settings} that took {@code time}. */
    DedupeResult ran(DedupeConfig settings, Duration time) {
        return with(findings, settings, time);
    }

    /** The same result with {@code more} findings after its own. */
    DedupeResult withFindings(List<Finding> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<Finding> all = new ArrayList<>(findings);
        all.addAll(more);
        return with(all, config, took);
    }

    private DedupeResult with(List<Finding> findings, DedupeConfig settings, Duration time) {
        return new DedupeResult(
                subject,
                groups,
                rowsInGroups,
                rowsToDelete,
                topGroups,
                findings,
                reportFile,
                backup,
                deleted,
                repointed,
                applied,
                online,
                settings,
                time);
    }

    /** A result of a dry-run or of a one-transaction apply. */
    public DedupeResult(
            String subject,
            long groups,
            long rowsInGroups,
            long rowsToDelete,
            List<Group> topGroups,
            List<Finding> findings,
            Path reportFile,
            Path backup,
            long deleted,
            long repointed,
            boolean applied) {
        this(
                subject,
                groups,
                rowsInGroups,
                rowsToDelete,
                topGroups,
                findings,
                reportFile,
                backup,
                deleted,
                repointed,
                applied,
                null);
    }

    /**
     * "3 duplicate group(s) in model_metadata(name, version), 4 row(s) to delete (report ...)" style headline, or
     * that apply stopped on foreign-key references.
     */
    @Override
    public String headline() {
        if (findings.stream().anyMatch(f -> f.rule().equals("dedupe.referenced"))) {
            return "Dedupe of " + subject + " stopped: rows to delete are referenced by foreign keys";
        }
        return groups + " duplicate group(s) in " + subject + ", " + rowsToDelete + " row(s) to delete (report "
                + reportFile + "). To delete them after a backup, run with -Dmigration-safety.apply=true";
    }

    /**
     * The checks of the JUnit report: error findings are failed test cases of their own; a clean run is one passed,
     * as long as the run took.
     */
    @Override
    public List<Check> checks() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR)
                ? List.of()
                : List.of(Check.passed("dedupe", subject, took));
    }

    /** What the log says about the run: the groups and rows, the largest groups, and the backup to restore from. */
    @Override
    public List<String> summaryLines() {
        if (groups == 0) {
            return List.of("No duplicates in " + subject + ".");
        }
        List<String> lines = new ArrayList<>();
        lines.add(subject + ": " + groups + " duplicate group(s), " + rowsInGroups + " rows in them, "
                + (applied ? deleted + " deleted" : rowsToDelete + " would be deleted") + ". Report: " + reportFile);
        for (Group group : topGroups) {
            lines.add(" - group " + group.number() + " ("
                    + String.join(
                            ", ", group.key().stream().map(String::valueOf).toList()) + "): " + group.rows()
                    + " rows, keeps id " + group.keptId());
        }
        if (backup != null) {
            lines.add("Backup of the deleted rows: " + backup + " (restore with mvn migration-safety:restore"
                    + " -Dmigration-safety.backup=" + backup + ")");
        }
        return lines;
    }

    /** The JSON report's summary of the run, with its settings. */
    @Override
    public Map<String, Object> summary() {
        return summary(Objects.requireNonNull(config, "the settings, which DedupeEngine.run adds"));
    }

    /** The JSON report's summary of a run with {@code config}. */
    public Map<String, Object> summary(DedupeConfig config) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("table", subject);
        summary.put("mode", config.apply() ? "apply" : "dry-run");
        summary.put("keep", config.keep().toString());
        summary.put("groups", groups);
        summary.put("rowsInGroups", rowsInGroups);
        summary.put(applied ? "rowsDeleted" : "rowsToDelete", applied ? deleted : rowsToDelete);
        summary.put("repointed", repointed);
        summary.put("reportFile", reportFile.toString());
        summary.put("backup", backup == null ? null : backup.toString());
        summary.put(
                "topGroups",
                topGroups.stream()
                        .map(g -> Map.of(
                                "group",
                                g.number(),
                                "key",
                                String.join(
                                        ", ",
                                        g.key().stream().map(String::valueOf).toList()),
                                "rows",
                                g.rows(),
                                "keptId",
                                String.valueOf(g.keptId())))
                        .toList());
        if (online != null) {
            summary.put("online", online.summary());
        }
        return summary;
    }

    /** One duplicate group: its number in the report, key values, size and the id that is kept. */
    public record Group(long number, List<String> key, long rows, String keptId) {}
}
