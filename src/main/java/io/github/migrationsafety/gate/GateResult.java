package io.github.migrationsafety.gate;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.Finding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the deploy gate decided: open when nothing was found.
 *
 * @param summary  the fingerprint, changelog, dialect and reports the gate required
 * @param findings why the gate is closed, one finding per reason
 * @param took     how long the gate took, the time of its one check
 */
public record GateResult(Map<String, Object> summary, List<Finding> findings, Duration took) implements EngineResult {

    public GateResult {
        summary = new LinkedHashMap<>(summary);
        findings = List.copyOf(findings);
    }

    /** The gate of {@code config}, closed by {@code findings}. */
    static GateResult of(GateConfig config, List<Finding> findings, Duration took) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("fingerprint", config.fingerprint().sha256());
        summary.put("changeLogFile", config.changeLogFile());
        summary.put("dialect", config.dialect());
        summary.put("requiredReports", config.requiredReports());
        return new GateResult(summary, findings, took);
    }

    /**
     * The same gate, also requiring what another capability checked ({@code requirement}, e.g.
     * {@code requireRehearsal}), closed as well by its {@code more} findings.
     */
    public GateResult alsoRequiring(String requirement, List<Finding> more) {
        Map<String, Object> wider = new LinkedHashMap<>(summary);
        wider.put(requirement, true);
        List<Finding> all = new ArrayList<>(findings);
        all.addAll(more);
        return new GateResult(wider, all, took);
    }

    /** One check, "deploy allowed", failed with the first reason when the gate is closed. */
    @Override
    public List<Check> checks() {
        return List.of(
                findings.isEmpty()
                        ? Check.passed("gate", "deploy allowed", took)
                        : Check.failed(
                                "gate", "deploy allowed", took, findings.get(0).message()));
    }

    /** "Deploy gate closed: " and every reason. */
    @Override
    public String headline() {
        return "Deploy gate closed: " + findings.stream().map(Finding::message).collect(Collectors.joining("; "));
    }

    /** That the gate is open, when it is. */
    @Override
    public List<String> summaryLines() {
        return findings.isEmpty()
                ? List.of("Deploy gate open: the smoke report passed for this changelog (fingerprint "
                        + summary.get("fingerprint") + ")")
                : List.of();
    }
}
