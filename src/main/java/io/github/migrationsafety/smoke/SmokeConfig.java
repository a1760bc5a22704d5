package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.report.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything one smoke run needs.
 *
 * @param source                 the changelog and how to read it, with the contexts and labels the update runs with
 * @param sqlFile                where the offline SQL for {@code source.dialect()} is written
 * @param workDirectory          scratch space (offline history CSV)
 * @param rollbackMode           how rollback is tested
 * @param postgres               whether to also run on PostgreSQL
 * @param expectations           schema elements that must exist after the update
 * @param seedData               rows loaded during the update
 * @param releasedChecksums      file listing checksums of released changesets, or {@code null}
 * @param writeReleasedChecksums write that file from the current changelog when the smoke passes
 * @param failOn                 lint findings at or above this severity fail the smoke
 * @param impact                 whether and how production impact is traced and estimated on PostgreSQL
 * @param suppressions           the POM's accepted findings (the changelog's markers are read from it)
 * @param rehearsal              whether the rehearsal on production's schema follows the smoke: it reads the
 *                               production database in {@code impact} even when the trace does not
 */
public record SmokeConfig(
        ChangelogSource source,
        Path sqlFile,
        Path workDirectory,
        RollbackMode rollbackMode,
        PostgresTarget postgres,
        List<Expectation> expectations,
        List<SeedData> seedData,
        Path releasedChecksums,
        boolean writeReleasedChecksums,
        Severity failOn,
        ImpactSettings impact,
        List<SuppressionRule> suppressions,
        boolean rehearsal) {

    public SmokeConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sqlFile, "sqlFile");
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(rollbackMode, "rollbackMode");
        Objects.requireNonNull(postgres, "postgres");
        expectations = List.copyOf(expectations);
        seedData = List.copyOf(seedData);
        Objects.requireNonNull(failOn, "failOn");
        Objects.requireNonNull(impact, "impact");
        suppressions = List.copyOf(suppressions);
    }

    /** Without suppressions in the POM, and no rehearsal after the smoke. */
    public SmokeConfig(
            ChangelogSource source,
            Path sqlFile,
            Path workDirectory,
            RollbackMode rollbackMode,
            PostgresTarget postgres,
            List<Expectation> expectations,
            List<SeedData> seedData,
            Path releasedChecksums,
            boolean writeReleasedChecksums,
            Severity failOn,
            ImpactSettings impact) {
        this(
                source,
                sqlFile,
                workDirectory,
                rollbackMode,
                postgres,
                expectations,
                seedData,
                releasedChecksums,
                writeReleasedChecksums,
                failOn,
                impact,
                List.of(),
                false);
    }

    /** Liquibase context expression, or {@code null} for all. */
    public String contexts() {
        return source.contexts();
    }

    /** Liquibase label expression, or {@code null} for all. */
    public String labels() {
        return source.labels();
    }

    /** Without production sizes: the impact is traced, not estimated. */
    public SmokeConfig(
            ChangelogSource source,
            Path sqlFile,
            Path workDirectory,
            RollbackMode rollbackMode,
            PostgresTarget postgres,
            List<Expectation> expectations,
            List<SeedData> seedData,
            Path releasedChecksums,
            boolean writeReleasedChecksums,
            Severity failOn) {
        this(
                source,
                sqlFile,
                workDirectory,
                rollbackMode,
                postgres,
                expectations,
                seedData,
                releasedChecksums,
                writeReleasedChecksums,
                failOn,
                ImpactSettings.defaults());
    }
}
