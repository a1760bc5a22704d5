package io.github.migrationsafety.flyway;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.Expectation;
import io.github.migrationsafety.smoke.ImpactSettings;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.SeedData;
import io.github.migrationsafety.smoke.SuppressionRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything one smoke of Flyway migrations needs.
 *
 * @param source                 the migrations and the project's {@code flyway.*} settings
 * @param dialect                the database the smoke is for, as the report and {@code gate} name it
 * @param sqlFile                where the migrations' SQL is written, placeholders replaced
 * @param workDirectory          scratch space (the embedded server's log)
 * @param postgres               whether to also run on PostgreSQL
 * @param expectations           schema elements that must exist after the migrate
 * @param releasedChecksums      file listing checksums of released migrations, or {@code null}
 * @param writeReleasedChecksums write that file from the current migrations when the smoke passes
 * @param failOn                 lint findings at or above this severity fail the smoke
 * @param production             the production database ({@code url}), read only: its {@code flyway_schema_history}
 *                               says what is pending and what Flyway's validate would refuse; or {@code null}
 * @param impact                 on PostgreSQL, trace what each migration locks, rewrites and scans, and judge it
 *                               by the {@code smoke.impact.*} rules
 * @param suppressions           the POM's accepted findings (the migrations' {@code -- migration-safety:ignore}
 *                               markers are read from them)
 * @param seedData               rows inserted during each migrate, after the migration they belong to
 *                               ({@link FlywaySeeds})
 * @param estimate               the estimate at production size of the traced locks: production row counts
 *                               ({@code productionRows}; with {@code production}, its statistics too), sample sizes,
 *                               {@code maxBlockingSeconds}; its {@code trace} and {@code production} are not read
 */
public record FlywaySmokeConfig(
        FlywaySource source,
        String dialect,
        Path sqlFile,
        Path workDirectory,
        PostgresTarget postgres,
        List<Expectation> expectations,
        Path releasedChecksums,
        boolean writeReleasedChecksums,
        Severity failOn,
        ConnectionSettings production,
        boolean impact,
        List<SuppressionRule> suppressions,
        List<SeedData> seedData,
        ImpactSettings estimate) {

    public FlywaySmokeConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(sqlFile, "sqlFile");
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(postgres, "postgres");
        expectations = List.copyOf(expectations);
        Objects.requireNonNull(failOn, "failOn");
        suppressions = List.copyOf(suppressions);
        seedData = List.copyOf(seedData);
        Objects.requireNonNull(estimate, "estimate");
    }

    /** A smoke without seed data and without production sizes: locks are traced, not estimated. */
    public FlywaySmokeConfig(
            FlywaySource source,
            String dialect,
            Path sqlFile,
            Path workDirectory,
            PostgresTarget postgres,
            List<Expectation> expectations,
            Path releasedChecksums,
            boolean writeReleasedChecksums,
            Severity failOn,
            ConnectionSettings production,
            boolean impact,
            List<SuppressionRule> suppressions) {
        this(
                source,
                dialect,
                sqlFile,
                workDirectory,
                postgres,
                expectations,
                releasedChecksums,
                writeReleasedChecksums,
                failOn,
                production,
                impact,
                suppressions,
                List.of(),
                ImpactSettings.defaults());
    }
}
