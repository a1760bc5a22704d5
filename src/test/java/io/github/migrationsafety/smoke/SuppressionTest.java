package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.report.Suppression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Suppressions: one marker syntax in the changeset's comment (XML, YAML, formatted SQL) or on a {@code --} line of
 * its SQL, and the POM's list. A suppressed finding stays, marked with its reason, and no longer fails.
 */
class SuppressionTest {

    private static final String NO_ROLLBACK = "smoke.lint.no-rollback";

    @TempDir
    Path dir;

    @Test
    void aYamlCommentMarkerSuppressesTheFindingWhichStaysWithItsReason() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master("""
                databaseChangeLog:
                  - changeSet:
                      id: raw-sql
                      author: bob
                      comment: "migration-safety:ignore smoke.lint.no-rollback reason: the table is dropped by hand"
                      changes:
                        - sql: {sql: "CREATE TABLE extra (id INT)"}
                """);
        SmokeResult result = fixture.run();
        assertTrue(result.passed(), () -> SmokeFixture.describe(result).toString());
        Finding finding = only(result, NO_ROLLBACK);
        assertEquals(Severity.ERROR, finding.severity());
        assertEquals(
                new Suppression("the table is dropped by hand", "db/changelog/db.changelog-master.yaml:3", true),
                finding.suppression());
        assertTrue(finding.describe()
                .endsWith(" - suppressed (reason: the table is dropped by hand;"
                        + " db/changelog/db.changelog-master.yaml:3)"));
    }

    @Test
    void anXmlCommentMarkerSuppresses() throws Exception {
        SmokeFixture fixture =
                new SmokeFixture(dir).masterName("db/changelog/master.xml").master("""
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                      http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                  <changeSet id="raw-sql" author="bob">
                    <comment>Creates extra.
                      migration-safety:ignore smoke.lint.no-rollback reason: extra is
                      dropped by hand</comment>
                    <sql>CREATE TABLE extra (id INT)</sql>
                  </changeSet>
                </databaseChangeLog>
                """);
        SmokeResult result = fixture.run();
        assertTrue(result.passed(), () -> SmokeFixture.describe(result).toString());
        assertEquals(
                new Suppression("extra is dropped by hand", "db/changelog/master.xml:6", true),
                only(result, NO_ROLLBACK).suppression());
    }

    @Test
    void formattedSqlSuppressesThroughItsCommentOrASqlCommentLine() throws Exception {
        SmokeFixture fixture =
                new SmokeFixture(dir).masterName("db/changelog/master.sql").master("""
                --liquibase formatted sql

                --changeset bob:by-comment
                --comment: migration-safety:ignore smoke.lint.no-rollback reason: dropped by hand
                CREATE TABLE extra (id INT);

                --changeset bob:by-sql-line
                -- migration-safety:ignore smoke.lint.no-rollback reason: dropped by hand too
                CREATE TABLE extra2 (id INT);
                """);
        SmokeResult result = fixture.run();
        assertTrue(result.passed(), () -> SmokeFixture.describe(result).toString());
        List<Finding> findings = result.findings().stream()
                .filter(f -> f.rule().equals(NO_ROLLBACK))
                .toList();
        assertEquals(
                List.of("dropped by hand", "dropped by hand too"),
                findings.stream().map(f -> f.suppression().reason()).toList());
    }

    @Test
    void aMarkerWithoutAReasonStopsTheSmokeNamingTheChangesetAndWhere() {
        SmokeFixture fixture = new SmokeFixture(dir).master("""
                databaseChangeLog:
                  - changeSet:
                      id: raw-sql
                      author: bob
                      comment: "migration-safety:ignore smoke.lint.no-rollback"
                      changes:
                        - sql: {sql: "CREATE TABLE extra (id INT)"}
                """);
        SmokeException e = assertThrows(SmokeException.class, fixture::run);
        assertEquals(
                "Changeset db/changelog/db.changelog-master.yaml::raw-sql::bob [db/changelog/db.changelog-master.yaml:3]"
                        + " suppresses smoke.lint.no-rollback without a reason ('reason:' missing or empty). Say why"
                        + " the finding is accepted: migration-safety:ignore smoke.lint.no-rollback reason: <why>, e.g."
                        + " reason: the table has 200 rows",
                e.getMessage());
    }

    @Test
    void aMarkerThatSuppressesNothingIsAWarning() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML.replace("""
                      id: unique-name-version
                      author: alice
                """, """
                      id: unique-name-version
                      author: alice
                      comment: "migration-safety:ignore smoke.lint.no-rollback reason: was raw SQL once"
                """));
        SmokeResult result = fixture.run();
        assertTrue(result.passed());
        assertEquals(
                List.of("warning smoke.suppression.unused db/changelog/db.changelog-master.yaml::unique-name-version"
                        + "::alice: suppresses smoke.lint.no-rollback (reason: was raw SQL once), but no finding of"
                        + " that rule on it remains [db/changelog/db.changelog-master.yaml:14] Fix: remove"
                        + " 'migration-safety:ignore smoke.lint.no-rollback reason: ...' from the changeset, or correct"
                        + " the rule id"),
                SmokeFixture.describe(result));
    }

    @Test
    void pomSuppressionsMatchByIdPatternOrKeyAndStaleOnesWarn() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master("""
                databaseChangeLog:
                  - changeSet:
                      id: raw-sql-1
                      author: bob
                      changes:
                        - sql: {sql: "CREATE TABLE extra1 (id INT)"}
                  - changeSet:
                      id: raw-sql-2
                      author: bob
                      changes:
                        - sql: {sql: "CREATE TABLE extra2 (id INT)"}
                """);
        fixture.suppressions.add(new SuppressionRule("raw-sql-*", NO_ROLLBACK, "dropped by hand"));
        fixture.suppressions.add(new SuppressionRule("db/changelog/*::gone::*", "smoke.lint.*", "old"));
        SmokeResult result = fixture.run();
        assertTrue(result.passed(), () -> SmokeFixture.describe(result).toString());
        assertEquals(
                List.of(
                        new Suppression("dropped by hand", "POM <suppressions> entry 1", false),
                        new Suppression("dropped by hand", "POM <suppressions> entry 1", false)),
                result.findings().stream()
                        .filter(f -> f.rule().equals(NO_ROLLBACK))
                        .map(Finding::suppression)
                        .toList());
        assertEquals(
                List.of("warning smoke.suppression.unused db/changelog/*::gone::*: suppresses smoke.lint.* (reason:"
                        + " old), but no finding of that rule on a changeset it names remains Fix: remove entry 2 from"
                        + " <suppressions>, or correct its <changeset> or <rule>"),
                SmokeFixture.describe(result).stream()
                        .filter(s -> s.contains("suppression.unused"))
                        .toList());
        // failOn=warning: the stale entry now fails, the suppressed findings still do not
        fixture.failOn = Severity.WARNING;
        SmokeResult strict = fixture.run();
        assertFalse(strict.passed());
        assertEquals(
                List.of("smoke.suppression.unused"),
                SmokeFixture.errors(strict).stream()
                        .filter(f -> !f.isSuppressed())
                        .map(Finding::rule)
                        .toList());
    }

    @Test
    void aCommentMarkerLeavesTheChangesetsChecksumAlone() throws Exception {
        String changelog = """
                databaseChangeLog:
                  - changeSet:
                      id: raw-sql
                      author: bob
                      COMMENT
                      changes:
                        - sql: {sql: "CREATE TABLE extra (id INT)"}
                      rollback:
                        - sql: {sql: "DROP TABLE extra"}
                """;
        SmokeFixture fixture = new SmokeFixture(dir).master(changelog.replace("COMMENT", "comment: plain"));
        fixture.releasedChecksums = dir.resolve("released.txt");
        fixture.writeReleasedChecksums = true;
        assertTrue(fixture.run().passed());
        String before = Files.readString(fixture.releasedChecksums);
        fixture.master(changelog.replace(
                "COMMENT", "comment: \"migration-safety:ignore smoke.lint.rerun-ddl reason: released, accepted\""));
        fixture.writeReleasedChecksums = false;
        SmokeResult result = fixture.run();
        // the released changeset is not reported as edited
        assertEquals(
                List.of("smoke.suppression.unused"),
                result.findings().stream().map(Finding::rule).toList());
        fixture.writeReleasedChecksums = true;
        fixture.run();
        assertEquals(before, Files.readString(fixture.releasedChecksums));
    }

    private static Finding only(SmokeResult result, String rule) {
        List<Finding> found =
                result.findings().stream().filter(f -> f.rule().equals(rule)).toList();
        assertEquals(1, found.size(), () -> SmokeFixture.describe(result).toString());
        return found.get(0);
    }
}
