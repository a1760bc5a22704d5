package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.SmokeResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one rehearsal found, collected as its steps run, then joined to the smoke's result. The steps add in the
 * order they run, so findings, checks and summary keys keep that order in the reports.
 */
final class RehearsalFindings {

    private final List<Finding> findings = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private final Map<String, Object> millis = new LinkedHashMap<>();

    void add(Finding finding) {
        findings.add(finding);
    }

    void add(Check check) {
        checks.add(check);
    }

    /** A value of the rehearsal's part of the summary ({@code rehearsal} in the smoke's JSON). */
    void put(String key, Object value) {
        summary.put(key, value);
    }

    /** How long a step took, in the summary's {@code millis}. */
    void time(String step, long value) {
        millis.put(step, value);
    }

    Object millis(String step) {
        return millis.get(step);
    }

    /** No error among the findings. */
    boolean passed() {
        return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
    }

    /** {@code smoke} with these findings and checks after its own, and the summary under {@code rehearsal}. */
    SmokeResult joinTo(SmokeResult smoke) {
        summary.put("millis", millis);
        summary.put("status", passed() ? "passed" : "failed");
        Map<String, Object> merged = new LinkedHashMap<>(smoke.summary());
        // status first, where a reader of the JSON looks; the rest in the order the steps ran
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("status", summary.remove("status"));
        ordered.putAll(summary);
        merged.put("rehearsal", ordered);
        List<Finding> allFindings = new ArrayList<>(smoke.findings());
        allFindings.addAll(findings);
        List<Check> allChecks = new ArrayList<>(smoke.checks());
        allChecks.addAll(checks);
        return new SmokeResult(merged, allFindings, allChecks);
    }
}
