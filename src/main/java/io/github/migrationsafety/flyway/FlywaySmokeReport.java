package io.github.migrationsafety.flyway;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.smoke.Suppressions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one Flyway smoke run found so far: its findings, checks and the report's summary, each in the order the user
 * reads them (the summary is ordered, so the report's keys come out as they were put).
 */
final class FlywaySmokeReport {

    private final Severity failOn;
    private final List<Finding> findings = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();

    FlywaySmokeReport(Severity failOn) {
        this.failOn = failOn;
    }

    void add(Finding finding) {
        findings.add(finding);
    }

    /** A lint finding: lint rules warn, and {@code failOn} decides which of them fail the smoke. */
    void lint(Finding finding) {
        boolean fails = finding.severity().ordinal() <= failOn.ordinal();
        Severity severity =
                fails ? Severity.ERROR : finding.severity() == Severity.ERROR ? Severity.WARNING : finding.severity();
        findings.add(new Finding(
                severity,
                finding.rule(),
                finding.subject(),
                finding.message(),
                finding.expected(),
                finding.actual(),
                finding.hint(),
                finding.file(),
                finding.line()));
    }

    void check(Check check) {
        checks.add(check);
    }

    void checks(List<Check> more) {
        checks.addAll(more);
    }

    /** Takes over the findings and checks of a database run that kept its own (it ran alongside another). */
    void addAll(FlywaySmokeReport run) {
        findings.addAll(run.findings);
        checks.addAll(run.checks);
    }

    void put(String key, Object value) {
        summary.put(key, value);
    }

    /** What was put so far, in order. */
    Map<String, Object> summary() {
        return summary;
    }

    /** Marks the findings the migrations' markers and the POM accept. */
    void suppress(Suppressions suppressions) {
        findings.replaceAll(suppressions::apply);
    }

    SmokeResult result() {
        return new SmokeResult(summary, findings, checks);
    }
}
