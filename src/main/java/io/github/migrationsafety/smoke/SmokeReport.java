package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.impact.ImpactEstimate;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.Finding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.changelog.ChangeSet;

/** The smoke's per-changeset results, as pure functions of the database runs. */
final class SmokeReport {

    private SmokeReport() {}

    /** One check per changeset and database, in changelog order, H2 first. */
    static List<Check> checks(List<ChangeSet> changeSets, DatabaseRun h2, DatabaseRun postgres) {
        List<Check> checks = new ArrayList<>();
        for (DatabaseRun run : postgres == null ? List.of(h2) : List.of(h2, postgres)) {
            String group = run.group();
            for (ChangeSet changeSet : changeSets) {
                String key = ChangesetKey.of(changeSet);
                ChangesetRun result = run.runs().get(key);
                if (result == null) {
                    checks.add(new Check(
                            group,
                            key,
                            Duration.ZERO,
                            Check.Outcome.SKIPPED,
                            "not run on " + run.name() + " (not selected, or an earlier changeset failed)"));
                } else if (result.failureIgnored()) {
                    checks.add(new Check(
                            group,
                            key,
                            Duration.ofMillis(result.millis()),
                            Check.Outcome.SKIPPED,
                            "failed on " + run.name() + ", and failOnError=\"false\" let the update go on: nothing"
                                    + " of it applied and Liquibase recorded no row for it, so the next update runs"
                                    + " it again"));
                } else if (result.passed()) {
                    checks.add(Check.passed(group, key, Duration.ofMillis(result.millis())));
                } else if (run == h2
                        && postgres != null
                        && postgres.runs().containsKey(key)
                        && postgres.runs().get(key).passed()) {
                    // PostgreSQL is the real target: an H2 compatibility gap is shown, but does not fail the smoke
                    checks.add(new Check(
                            group,
                            key,
                            Duration.ofMillis(result.millis()),
                            Check.Outcome.SKIPPED,
                            "fails on H2 only, PostgreSQL applied it: "
                                    + run.errors().get(key)));
                } else {
                    checks.add(Check.failed(
                            group,
                            key,
                            Duration.ofMillis(result.millis()),
                            run.errors().get(key)));
                }
            }
        }
        return checks;
    }

    /**
     * The changesets that failed, as findings. A failure on H2 only is a warning when PostgreSQL, the real
     * target, applied the changeset.
     */
    static List<Finding> failures(List<ChangeSet> changeSets, DatabaseRun h2, DatabaseRun postgres) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeSet changeSet : changeSets) {
            String key = ChangesetKey.of(changeSet);
            ChangesetRun onH2 = h2.runs().get(key);
            ChangesetRun onPg = postgres == null ? null : postgres.runs().get(key);
            if (onH2 != null && !onH2.passed()) {
                if (onPg != null && onPg.passed()) {
                    findings.add(Finding.warning(
                                    "smoke.h2-only-failure",
                                    key,
                                    "fails on H2 but passes on PostgreSQL: "
                                            + h2.errors().get(key))
                            .withHint("PostgreSQL is the real target; if the SQL is"
                                    + " PostgreSQL-only, mark the changeset dbms=\"postgresql\" so H2 skips it"));
                } else {
                    findings.add(failure(key, "H2", h2.errors().get(key)));
                }
            }
            if (onPg != null && !onPg.passed()) {
                String where =
                        onH2 != null && onH2.passed() ? "passes on H2 but fails on PostgreSQL" : "fails on PostgreSQL";
                findings.add(Finding.error(
                                "smoke.changeset-failed",
                                key,
                                where + ": " + postgres.errors().get(key))
                        .withHint(hint(postgres.errors().get(key))));
            }
        }
        return findings;
    }

    /**
     * A finding of one database's run as the smoke reports it. An update that failed on H2 outside any changeset is a
     * warning when PostgreSQL, the real target, ran the same update through, as a changeset that fails on H2 only is:
     * Liquibase validates the whole changelog for the database before it runs a changeset, and a change H2 does not
     * support (an {@code alterSequence} with {@code incrementBy} is "not allowed on h2") fails the update on H2 alone.
     * Without a PostgreSQL run, or when PostgreSQL's update failed too, it stays an error; other findings are as the
     * run found them.
     */
    static Finding ofRun(Finding finding, DatabaseRun run, DatabaseRun h2, DatabaseRun postgres) {
        if (run != h2
                || postgres == null
                || !finding.rule().equals(LiquibaseOnDatabase.UPDATE_FAILED)
                || !ranThrough(postgres)) {
            return finding;
        }
        return Finding.warning(
                        "smoke.h2-only-failure",
                        finding.subject(),
                        "the update fails on H2 but passes on PostgreSQL: "
                                + h2.errors().get(""))
                .withHint("PostgreSQL is the real target; H2 stopped before its first changeset, so the changelog was"
                        + " checked on PostgreSQL only");
    }

    /** The update on this database failed nowhere: not outside a changeset, and in no changeset. */
    private static boolean ranThrough(DatabaseRun run) {
        return !run.errors().containsKey("") && run.runs().values().stream().allMatch(ChangesetRun::passed);
    }

    private static Finding failure(String key, String database, String error) {
        return Finding.error("smoke.changeset-failed", key, "fails on " + database + ": " + error)
                .withHint(hint(error));
    }

    private static String hint(String error) {
        if (error != null && error.contains("duplicate group")) {
            return "remove the duplicates before migrating: run mvn migration-safety:dedupe"
                    + " -Dmigration-safety.keysFromChangelog=true against the target database (dry run first)";
        }
        return "fix the changeset; the SQL it runs is in the report and in the generated SQL file";
    }

    /** The report's per-changeset entries: identity and line, status and time on each database, offline SQL. */
    static List<Map<String, Object>> changesetSummary(
            List<ChangeSet> changeSets,
            Map<String, String> sql,
            DatabaseRun h2,
            DatabaseRun postgres,
            ChangesetLocator locator) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ChangeSet changeSet : changeSets) {
            String key = ChangesetKey.of(changeSet);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("changeset", key);
            entry.put("id", changeSet.getId());
            entry.put("author", changeSet.getAuthor());
            entry.put("file", changeSet.getFilePath());
            entry.put("line", locator.line(changeSet));
            for (DatabaseRun run :
                    postgres == null ? (h2 == null ? List.<DatabaseRun>of() : List.of(h2)) : List.of(h2, postgres)) {
                ChangesetRun result = run.runs().get(key);
                Map<String, Object> status = new LinkedHashMap<>();
                // a failure that failOnError="false" let pass applied nothing and is not in the history: skipped
                status.put(
                        "status",
                        result == null || result.failureIgnored() ? "skipped" : result.passed() ? "passed" : "failed");
                status.put("millis", result == null ? 0 : result.millis());
                if (result != null && result.execType() != null) {
                    status.put("execType", result.execType());
                }
                if (result != null && !result.passed()) {
                    status.put("error", run.errors().get(key));
                }
                entry.put(run.group(), status);
            }
            entry.put("sql", sql.getOrDefault(key, ""));
            list.add(entry);
        }
        return list;
    }

    /** One entry per traced changeset and table, for the report and the Markdown table. */
    static List<Map<String, Object>> impactSummary(DatabaseRun postgres) {
        List<Map<String, Object>> list = new ArrayList<>();
        if (postgres == null) {
            return list;
        }
        for (TableImpact impact : postgres.impacts()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("changeset", impact.changeset());
            entry.put("table", impact.table());
            entry.put("lock", impact.lock() == null ? "" : impact.lock().pgName());
            entry.put(
                    "blocks", impact.lock() == null ? "nothing" : impact.lock().blocks());
            entry.put("rewrite", impact.rewrite());
            entry.put("scan", impact.scanned());
            entry.put("heldMillis", impact.heldMillis());
            ImpactEstimate estimate = postgres.estimateOf(impact);
            if (estimate != null) {
                entry.put("productionEstimate", estimate.reportEntry());
            }
            list.add(entry);
        }
        return list;
    }
}
