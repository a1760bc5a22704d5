package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.testsupport.CapturingLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds changelog directories and smoke configurations for engine tests. */
final class SmokeFixture {

    final Path root;
    final Path resources;
    final CapturingLog log = new CapturingLog();
    String master = "db/changelog/db.changelog-master.yaml";
    String contexts;
    String labels;
    RollbackMode rollbackMode = RollbackMode.ALL;
    PostgresTarget postgres = PostgresTarget.off();
    final List<Expectation> expectations = new ArrayList<>();
    final List<SeedData> seeds = new ArrayList<>();
    Path releasedChecksums;
    boolean writeReleasedChecksums;
    Severity failOn = Severity.ERROR;
    ImpactSettings impact = ImpactSettings.defaults();
    final List<SuppressionRule> suppressions = new ArrayList<>();
    boolean rehearsal;

    SmokeFixture(Path root) {
        this.root = root;
        this.resources = root.resolve("src/main/resources");
    }

    SmokeFixture file(String relative, String text) {
        Path file = resources.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    SmokeFixture masterName(String name) {
        master = name;
        return this;
    }

    SmokeFixture master(String text) {
        return file(master, text);
    }

    ChangelogSource source() {
        return new ChangelogSource(
                resources,
                master,
                Map.of(),
                contexts,
                labels,
                "postgresql",
                getClass().getClassLoader());
    }

    SmokeConfig config() {
        return new SmokeConfig(
                source(),
                root.resolve("target/migration-safety/migration.sql"),
                root.resolve("target/migration-safety/work"),
                rollbackMode,
                postgres,
                expectations,
                seeds,
                releasedChecksums,
                writeReleasedChecksums,
                failOn,
                impact,
                suppressions,
                rehearsal);
    }

    SmokeResult run() throws SmokeException {
        return new SmokeEngine(config(), log).run();
    }

    static List<String> describe(SmokeResult result) {
        return result.findings().stream()
                .map(f -> f.severity().label() + " " + f.rule() + " " + f.describe())
                .toList();
    }

    /** Like {@link #describe}, without the production-impact findings that every PostgreSQL run adds. */
    static List<String> describeWithoutImpact(SmokeResult result) {
        return result.findings().stream()
                .filter(f -> !f.rule().startsWith("smoke.impact."))
                .map(f -> f.severity().label() + " " + f.rule() + " " + f.describe())
                .toList();
    }

    static List<Finding> errors(SmokeResult result) {
        return result.findings().stream()
                .filter(f -> f.severity() == Severity.ERROR)
                .toList();
    }

    static final String TABLES_YAML = """
            databaseChangeLog:
              - changeSet:
                  id: create-model-metadata
                  author: alice
                  changes:
                    - createTable:
                        tableName: model_metadata
                        columns:
                          - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                          - column: {name: name, type: VARCHAR(100), constraints: {nullable: false}}
                          - column: {name: version, type: VARCHAR(20)}
                          - column: {name: value, type: VARCHAR(20)}
              - changeSet:
                  id: unique-name-version
                  author: alice
                  changes:
                    - addUniqueConstraint:
                        tableName: model_metadata
                        columnNames: name, version
                        constraintName: uq_model_name_version
            """;
}
