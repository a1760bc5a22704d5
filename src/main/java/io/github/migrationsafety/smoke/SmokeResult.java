package io.github.migrationsafety.smoke;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import java.util.List;
import java.util.Map;

/**
 * What a smoke run found.
 *
 * @param summary  figures for the report: fingerprint, dialect, databases, per-changeset results
 * @param findings lint findings and failures
 * @param checks   one per changeset and database, expectation, rollback round trip and lint warning
 */
public record SmokeResult(Map<String, Object> summary, List<Finding> findings, List<Check> checks) {

    public boolean passed() {
        return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR)
                && checks.stream().noneMatch(c -> c.outcome() == Check.Outcome.FAILED);
    }

    /** "smoke failed: 2 error(s) in db/changelog/db.changelog-master.yaml" style headline. */
    public String headline() {
        long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        return "Migration smoke test failed: " + errors + " error" + (errors == 1 ? "" : "s") + " in "
                + summary.get("changeLogFile");
    }
}
