package io.github.migrationsafety.gate;

import io.github.migrationsafety.changelog.LiquibaseMessages;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Json;
import io.github.migrationsafety.report.ReportSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deploy gate: a release may only go out when a passing smoke report exists for exactly this changelog
 * (same fingerprint, changelog file, project and dialect), fresh enough, and — when required — passing
 * reports of other goals. Each failed condition is one finding that says which condition and how to fix it.
 */
public final class Gate {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*([smhd])");

    private Gate() {}

    /** Checks the reports {@code config} names; the result is open when nothing was found. */
    public static GateResult run(GateConfig config) {
        long started = System.nanoTime();
        List<Finding> findings = check(config);
        return GateResult.of(config, findings, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Why the gate is closed, one finding per reason; none when it is open. */
    public static List<Finding> check(GateConfig config) {
        List<Finding> findings = new ArrayList<>();
        ReportSet reports;
        try {
            reports = ReportSet.read("", config.reportDirectory());
        } catch (IOException e) {
            findings.add(Finding.error(
                            "gate.report-unreadable",
                            "smoke",
                            "the report directory " + config.reportDirectory() + " cannot be read: "
                                    + LiquibaseMessages.clean(String.valueOf(e.getMessage())))
                    .withHint("check that the build can read the report directory, then run the goals again"));
            return findings;
        }
        Path smoke = config.reportDirectory().resolve("smoke-report.json");
        Map<String, Object> report = read(reports, smoke, "smoke", findings);
        if (report != null) {
            checkSmoke(config, smoke, report, findings);
        }
        for (String goal : config.requiredReports()) {
            Path file = config.reportDirectory().resolve(goal + "-report.json");
            Map<String, Object> other = read(reports, file, goal, findings);
            if (other != null && !"passed".equals(Json.text(other, "status", ""))) {
                findings.add(Finding.error(
                                "gate.report-failed",
                                goal,
                                "the " + goal + " report " + file + " has status '" + Json.text(other, "status", "")
                                        + "', not 'passed'")
                        .withHint("fix what migration-safety:" + goal + " reported and run it again before deploying"));
            }
        }
        return findings;
    }

    private static Map<String, Object> read(ReportSet reports, Path file, String goal, List<Finding> findings) {
        String name = file.getFileName().toString();
        String unreadable = reports.unreadable().get(name);
        if (unreadable != null) {
            findings.add(Finding.error(
                            "gate.report-unreadable",
                            goal,
                            "the " + goal + " report " + file + " cannot be read: "
                                    + LiquibaseMessages.clean(unreadable))
                    .withHint("run migration-safety:" + goal + " again to rewrite it"));
            return null;
        }
        Map<String, Object> report = reports.file(name);
        if (report == null) {
            findings.add(Finding.error("gate.report-missing", goal, "no " + goal + " report at " + file)
                    .withHint("run migration-safety:" + goal + " in the same build before deploy (e.g. mvn verify"
                            + " deploy -Prelease, with the goal bound in the release profile)"));
            return null;
        }
        return report;
    }

    private static void checkSmoke(GateConfig config, Path file, Map<String, Object> report, List<Finding> findings) {
        Map<String, Object> summary = Json.object(report, "summary");
        String rerun = "run migration-safety:smoke again (mvn verify) and deploy from that build";
        if (!"smoke".equals(Json.text(report, "goal", ""))) {
            findings.add(Finding.error(
                            "gate.report-foreign",
                            "smoke",
                            "the smoke report " + file + " was written by goal '" + Json.text(report, "goal", "") + "'")
                    .withHint(rerun));
            return;
        }
        String project = Json.text(summary, "project", null);
        if (config.project() != null && project != null && !config.project().equals(project)) {
            findings.add(Finding.error(
                            "gate.report-foreign", "smoke", "the smoke report " + file + " belongs to another project")
                    .withExpectation(config.project(), project)
                    .withHint(rerun));
        }
        String changeLogFile = Json.text(summary, "changeLogFile", null);
        if (config.changeLogFile() != null && !config.changeLogFile().equals(changeLogFile)) {
            findings.add(Finding.error(
                            "gate.report-foreign", "smoke", "the smoke report " + file + " tested another changelog")
                    .withExpectation(config.changeLogFile(), changeLogFile)
                    .withHint(rerun));
        }
        if (!"passed".equals(Json.text(report, "status", ""))) {
            findings.add(Finding.error(
                            "gate.smoke-failed",
                            "smoke",
                            "the smoke report " + file + " has status '" + Json.text(report, "status", "")
                                    + "', not 'passed'")
                    .withHint("fix the smoke failures listed in that report, then " + rerun));
        }
        String fingerprint = Json.text(summary, "fingerprint", null);
        if (!config.fingerprint().sha256().equals(fingerprint)) {
            findings.add(Finding.error(
                            "gate.fingerprint-mismatch",
                            "smoke",
                            "the changelog changed after the smoke"
                                    + " test ran: the report's fingerprint does not match the changelog files as they are now")
                    .withExpectation(config.fingerprint().sha256(), fingerprint)
                    .withHint(rerun));
        }
        String dialect = Json.text(summary, "dialect", null);
        if (config.dialect() != null && !config.dialect().equals(dialect)) {
            findings.add(Finding.error(
                            "gate.dialect-mismatch", "smoke", "the smoke test generated SQL for another" + " database")
                    .withExpectation(config.dialect(), dialect)
                    .withHint(rerun + " with dialect=" + config.dialect()));
        }
        if (config.maxAge() != null) {
            Instant started;
            try {
                started = Instant.parse(Json.text(report, "startedAt", ""));
            } catch (DateTimeParseException e) {
                findings.add(Finding.error(
                                "gate.report-unreadable",
                                "smoke",
                                "the smoke report " + file + " has no valid startedAt time")
                        .withHint(rerun));
                return;
            }
            Duration age = Duration.between(started, config.now());
            if (age.compareTo(config.maxAge()) > 0) {
                findings.add(Finding.error(
                                "gate.report-stale",
                                "smoke",
                                "the smoke report " + file + " is " + describe(age) + " old, older than maxAge "
                                        + describe(config.maxAge()))
                        .withHint(rerun));
            }
        }
    }

    /**
     * Reads {@code 30m}, {@code 12h}, {@code 7d}, {@code 90s} or an ISO-8601 duration such as {@code PT2H}.
     *
     * @throws IllegalArgumentException naming the parameter {@code maxAge} and the forms it takes
     */
    public static Duration parseDuration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Matcher simple = SIMPLE_DURATION.matcher(value);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "Parameter 'maxAge': cannot read '" + text + "'. Write e.g. 30m, 12h, 7d or PT2H.");
        }
    }

    public static String describe(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds >= 86400 && seconds % 86400 == 0) {
            return seconds / 86400 + "d";
        }
        if (seconds >= 3600) {
            return seconds / 3600 + "h " + (seconds % 3600) / 60 + "m";
        }
        if (seconds >= 60) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return seconds + "s";
    }
}
