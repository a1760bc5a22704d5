package io.github.migrationsafety.flyway;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.Finding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict on each migration from its outcome on H2 and PostgreSQL, and the report's per-migration entries. A
 * migration that fails on H2 only warns: PostgreSQL is the real target.
 */
final class FlywayVerdicts {

    private FlywayVerdicts() {}

    /** One check per migration and database, and a finding per failure; H2-only failures warn. */
    static void judge(
            String source,
            List<Migration> migrations,
            DatabaseResult h2,
            DatabaseResult postgres,
            FlywaySmokeReport report) {
        migrateFailures(source, h2, postgres, report);
        List<Check> perMigration = new ArrayList<>();
        for (DatabaseResult run : runs(h2, postgres)) {
            for (Migration migration : migrations) {
                MigrationRunner.Outcome outcome = run.outcomes().get(migration.key());
                if (outcome == null) {
                    perMigration.add(new Check(
                            run.group(),
                            migration.key(),
                            Duration.ZERO,
                            Check.Outcome.SKIPPED,
                            "not run on " + run.name() + " (an earlier migration failed)"));
                } else if (outcome.passed()) {
                    perMigration.add(Check.passed(run.group(), migration.key(), Duration.ofMillis(outcome.millis())));
                } else if (run == h2 && passedOn(postgres, migration)) {
                    perMigration.add(new Check(
                            run.group(),
                            migration.key(),
                            Duration.ofMillis(outcome.millis()),
                            Check.Outcome.SKIPPED,
                            "fails on H2 only, PostgreSQL applied it: " + outcome.error()));
                } else {
                    perMigration.add(Check.failed(
                            run.group(), migration.key(), Duration.ofMillis(outcome.millis()), outcome.error()));
                }
            }
        }
        for (Migration migration : migrations) {
            MigrationRunner.Outcome onH2 = h2.outcomes().get(migration.key());
            MigrationRunner.Outcome onPg =
                    postgres == null ? null : postgres.outcomes().get(migration.key());
            if (onH2 != null && !onH2.passed()) {
                if (onPg != null && onPg.passed()) {
                    report.add(Finding.warning(
                                    "smoke.h2-only-failure",
                                    migration.key(),
                                    "fails on H2 but passes on PostgreSQL: " + onH2.error())
                            .withHint("PostgreSQL is the real target; H2 stops Flyway at this migration, so the"
                                    + " migrations after it were checked on PostgreSQL only")
                            .at(migration.file(), Math.max(onH2.line(), 1)));
                } else {
                    report.add(Finding.error("smoke.changeset-failed", migration.key(), "fails on H2: " + onH2.error())
                            .withHint("fix the migration; the SQL it runs is in the report and in the SQL file")
                            .at(migration.file(), Math.max(onH2.line(), 1)));
                }
            }
            if (onPg != null && !onPg.passed()) {
                String where =
                        onH2 != null && onH2.passed() ? "passes on H2 but fails on PostgreSQL" : "fails on PostgreSQL";
                report.add(Finding.error("smoke.changeset-failed", migration.key(), where + ": " + onPg.error())
                        .withHint("fix the migration; the SQL it runs is in the report and in the SQL file")
                        .at(migration.file(), Math.max(onPg.line(), 1)));
            }
        }
        report.checks(perMigration);
    }

    /**
     * The migrate's own failures, outside any migration: an error, but a warning when only H2's failed and PostgreSQL,
     * the real target, ran the same migrate through (an {@code afterMigrate.sql} of PostgreSQL-only SQL, such as
     * {@code VACUUM ANALYZE}, fails on H2 and nowhere else).
     */
    private static void migrateFailures(
            String source, DatabaseResult h2, DatabaseResult postgres, FlywaySmokeReport report) {
        boolean postgresRanThrough = postgres != null
                && postgres.failure() == null
                && postgres.outcomes().values().stream().allMatch(MigrationRunner.Outcome::passed);
        for (DatabaseResult run : runs(h2, postgres)) {
            if (run.failure() == null) {
                continue;
            }
            if (run == h2 && postgresRanThrough) {
                report.add(Finding.warning(
                                "smoke.h2-only-failure",
                                source,
                                "Flyway's migrate fails on H2 but passes on PostgreSQL: " + run.failure())
                        .withHint("PostgreSQL is the real target; what fails is SQL H2 does not run, outside the"
                                + " migrations (a callback such as afterMigrate.sql)"));
            } else {
                report.add(Finding.error(
                                FlywaySmoke.INVALID,
                                source,
                                "Flyway's migrate failed on " + run.name() + ": " + run.failure())
                        .withHint("fix what Flyway names; its validate runs the same way in production"));
            }
        }
    }

    /** The databases the migrate ran on, H2 first. */
    private static List<DatabaseResult> runs(DatabaseResult h2, DatabaseResult postgres) {
        return postgres == null ? List.of(h2) : List.of(h2, postgres);
    }

    private static boolean passedOn(DatabaseResult run, Migration migration) {
        if (run == null) {
            return false;
        }
        MigrationRunner.Outcome outcome = run.outcomes().get(migration.key());
        return outcome != null && outcome.passed();
    }

    /** The report's per-migration entries, in the shape of the Liquibase smoke's per-changeset ones. */
    static List<Map<String, Object>> entries(
            List<Migration> migrations, Map<String, String> sql, DatabaseResult h2, DatabaseResult postgres) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Migration migration : migrations) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("changeset", migration.key());
            entry.put("id", migration.repeatable() ? "R " + migration.description() : "V" + migration.version());
            entry.put("author", "");
            entry.put("file", migration.file());
            int line = 1;
            entry.put("migrationType", migration.type());
            entry.put("checksum", migration.checksum() == null ? "" : String.valueOf(migration.checksum()));
            Map<String, Object> runs = new LinkedHashMap<>();
            for (DatabaseResult run : runs(h2, postgres)) {
                MigrationRunner.Outcome outcome = run.outcomes().get(migration.key());
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("status", outcome == null ? "skipped" : outcome.passed() ? "passed" : "failed");
                status.put("millis", outcome == null ? 0 : outcome.millis());
                if (outcome != null && !outcome.passed()) {
                    status.put("error", outcome.error());
                    if (outcome.line() > 0 && line == 1) {
                        line = outcome.line();
                    }
                }
                runs.put(run.group(), status);
            }
            entry.put("line", line);
            entry.putAll(runs);
            entry.put("sql", sql.getOrDefault(migration.key(), ""));
            list.add(entry);
        }
        return list;
    }
}
