package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.changelog.ChangesetSelection;
import io.github.migrationsafety.changelog.LiquibaseSession;
import io.github.migrationsafety.changelog.ReleasedChecksums;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.report.Finding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lint judges the changesets an update selects (contexts, labels, each target database's dbms), the way
 * Liquibase's validation does, and stays quiet about repeats that are guarded or cannot run together.
 */
class ChangelogLinterTest {

    private static final String M = "db/changelog/db.changelog-master.yaml";

    @TempDir
    Path dir;

    private static final String HEAD = """
            databaseChangeLog:
              - changeSet:
                  id: create-t
                  author: alice
                  changes:
                    - createTable:
                        tableName: t
                        columns:
                          - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                          - column: {name: name, type: VARCHAR(100)}
            """;

    /** Two changesets with one identifier, told apart by context, as changelogs for MySQL and PostgreSQL do. */
    private static final String CONTEXT_PAIR = HEAD + """
              - changeSet:
                  id: seq
                  author: alice
                  context: mysql
                  changes:
                    - sql: {sql: "INSERT INTO t (id, name) VALUES (1, 'mysql')"}
                  rollback:
                    - sql: {sql: "DELETE FROM t WHERE id = 1"}
              - changeSet:
                  id: seq
                  author: alice
                  context: postgresql
                  changes:
                    - sql: {sql: "INSERT INTO t (id, name) VALUES (1, 'postgresql')"}
                  rollback:
                    - sql: {sql: "DELETE FROM t WHERE id = 1"}
            """;

    private record Lint(List<String> findings, DatabaseChangeLog changeLog) {}

    /** Lints the master changelog as the smoke does for these contexts and labels, on H2 and the dialect. */
    private Lint lint(String changelog, String contexts, String labels, String... databases) throws Exception {
        return lint(new SmokeFixture(dir).master(changelog), contexts, labels, databases);
    }

    private Lint lint(SmokeFixture fixture, String contexts, String labels, String... databases) throws Exception {
        ChangelogSource source = fixture.source();
        try (TrackingResourceAccessor accessor = ChangelogReader.accessor(source)) {
            return LiquibaseSession.run(fixture.log, accessor, source.classLoader(), () -> {
                ChangelogReader.Result parsed = ChangelogReader.read(source, accessor);
                assertTrue(parsed.parsed(), () -> String.valueOf(parsed.parseError()));
                Database offline = ChangelogReader.offlineDatabase(source.dialect(), accessor);
                List<Database> targets = new ArrayList<>(List.of(offline));
                for (String database : databases.length == 0 ? new String[] {"h2"} : databases) {
                    targets.add(ChangelogReader.offlineDatabase(database, accessor));
                }
                List<Finding> findings = new ChangelogLinter(
                                parsed.changeLog(),
                                offline,
                                Map.of(),
                                true,
                                new ChangesetLocator(accessor.root()),
                                new ChangesetSelection(contexts, labels, targets))
                        .lint();
                return new Lint(
                        findings.stream()
                                .map(f -> f.severity().label() + " " + f.rule() + " " + f.describe())
                                .toList(),
                        parsed.changeLog());
            });
        }
    }

    @Test
    void contextPairsWithOneIdentifierAreNotDuplicatesWhenTheContextsSelectOne() throws Exception {
        assertEquals(List.of(), lint(CONTEXT_PAIR, "postgresql", null).findings());
        assertEquals(List.of(), lint(CONTEXT_PAIR, "prod,mysql", null).findings());
    }

    @Test
    void contextPairsAreDuplicatesWhenTheContextsSelectBoth() throws Exception {
        assertEquals(
                List.of("error smoke.lint.duplicate-id " + M + "::seq::alice: the changeset identifier (path, id,"
                        + " author) is used more than once; Liquibase records only one of them as run [" + M
                        + ":20] Fix: give"
                        + " each changeset a unique id"),
                lint(CONTEXT_PAIR, "mysql, postgresql", null).findings());
    }

    @Test
    void withoutContextsLiquibaseSelectsBothAndTheFindingSaysToSetContexts() throws Exception {
        assertEquals(
                List.of("error smoke.lint.duplicate-id " + M + "::seq::alice: the changeset identifier (path, id,"
                        + " author) is used more than once; Liquibase records only one of them as run; the two differ by"
                        + " context ('mysql' and 'postgresql'), and without contexts Liquibase selects both and stops before"
                        + " running anything (duplicate identifiers) [" + M + ":20] Fix: set 'contexts' to the contexts"
                        + " production runs Liquibase with, or give each changeset a unique id"),
                lint(CONTEXT_PAIR, null, null).findings());
    }

    @Test
    void labelPairsFollowTheLabelExpression() throws Exception {
        String changelog =
                CONTEXT_PAIR.replace("context: mysql", "labels: v1").replace("context: postgresql", "labels: v2");
        assertEquals(List.of(), lint(changelog, null, "v2").findings());
        assertEquals(1, lint(changelog, null, "v1 or v2").findings().size());
    }

    @Test
    void dbmsDisjointPairsAreNeverDuplicatesEvenWithoutContexts() throws Exception {
        String changelog = CONTEXT_PAIR
                .replace("context: mysql", "dbms: mysql")
                .replace("context: postgresql", "dbms: postgresql,h2");
        assertEquals(List.of(), lint(changelog, null, null).findings());
        String negated = CONTEXT_PAIR
                .replace("context: mysql", "dbms: \"!postgresql,!h2\"")
                .replace("context: postgresql", "dbms: postgresql,h2");
        assertEquals(List.of(), lint(negated, null, null).findings());
    }

    @Test
    void aPairOneDatabaseRunsTogetherIsADuplicate() throws Exception {
        String changelog = CONTEXT_PAIR
                .replace("context: mysql", "dbms: postgresql")
                .replace("context: postgresql", "dbms: mysql,postgresql");
        assertEquals(List.of("smoke.lint.duplicate-id"), rules(lint(changelog, null, null)));
    }

    @Test
    void changesetsForOtherDatabasesAreLeftOutWhenParsedForTheDialect() throws Exception {
        // as Liquibase's parser does: the changelog is parsed for the dialect (postgresql)
        String changelog = CONTEXT_PAIR
                .replace("context: mysql", "dbms: h2")
                .replace("context: postgresql", "dbms: h2,postgresql");
        Lint lint = lint(changelog, null, null);
        assertEquals(List.of(), lint.findings());
        assertEquals(
                List.of("create-t", "seq"),
                lint.changeLog().getChangeSets().stream().map(ChangeSet::getId).toList());
    }

    @Test
    void aRealDuplicateIsStillCaughtWithAnyContexts() throws Exception {
        String changelog =
                CONTEXT_PAIR.replace("      context: mysql\n", "").replace("      context: postgresql\n", "");
        assertEquals(List.of("smoke.lint.duplicate-id"), rules(lint(changelog, null, null)));
        assertEquals(List.of("smoke.lint.duplicate-id"), rules(lint(changelog, "postgresql", null)));
    }

    @Test
    void ignoredChangesetsAreNotJudged() throws Exception {
        String changelog = CONTEXT_PAIR
                .replace("      context: mysql\n", "      ignore: true\n")
                .replace("      context: postgresql\n", "");
        assertEquals(List.of(), lint(changelog, null, null).findings());
    }

    private static final String IDENTICAL = HEAD + """
              - changeSet:
                  id: index-a
                  author: bob
                  changes:
                    - createIndex: {tableName: t, indexName: ix_name, columns: [{column: {name: name}}]}
              - changeSet:
                  id: index-b
                  author: bob
                  PRECONDITIONS
                  changes:
                    - createIndex: {tableName: t, indexName: ix_name, columns: [{column: {name: name}}]}
            """;

    @Test
    void identicalChangesetsGuardedByAPreconditionThatMarksThemRanAreDeliberate() throws Exception {
        String guarded = IDENTICAL.replace("PRECONDITIONS", """
                preConditions:
                        - onFail: MARK_RAN
                        - not:
                            - indexExists: {tableName: t, indexName: ix_name}""");
        assertEquals(List.of(), lint(guarded, null, null).findings());
        assertEquals(
                List.of(),
                lint(guarded.replace("MARK_RAN", "CONTINUE"), null, null).findings());
        // onFail WARN runs the changeset anyway: still a copy that runs twice
        assertEquals(
                List.of("smoke.lint.identical-changesets"),
                rules(lint(guarded.replace("MARK_RAN", "WARN"), null, null)));
    }

    @Test
    void identicalChangesetsForDisjointDatabasesOrContextsAreNotCopies() throws Exception {
        assertEquals(
                List.of(),
                lint(IDENTICAL.replace("PRECONDITIONS", "dbms: mysql"), null, null)
                        .findings());
        String contexts = IDENTICAL.replace("PRECONDITIONS", "context: mysql");
        assertEquals(List.of(), lint(contexts, "postgresql", null).findings());
        assertEquals(List.of("smoke.lint.identical-changesets"), rules(lint(contexts, null, null)));
    }

    @Test
    void anUnguardedCopyIsStillWarned() throws Exception {
        assertEquals(
                List.of("warning smoke.lint.identical-changesets " + M + "::index-b::bob: the changeset has the"
                        + " same changes as " + M + "::index-a::bob under a different id; it would run twice [" + M
                        + ":17]"
                        + " Fix: remove the copy or change its id back"),
                lint(IDENTICAL.replace("PRECONDITIONS", "comment: copy"), null, null)
                        .findings());
    }

    /**
     * Two XML createProcedure changesets whose bodies differ (two PL/pgSQL functions, as in Concord's changelog)
     * are not copies: the procedure's text is its change.
     */
    @Test
    void createProceduresWithDifferentBodiesAreNotCopies() throws Exception {
        String procedure = """
                    <changeSet id="ID" author="bob">
                        <createProcedure dbms="postgresql">
                            create or replace function NAME(p int) returns int as $$
                            begin
                                return p + ADD;
                            end;
                            $$ language plpgsql;
                        </createProcedure>
                    </changeSet>
                """;
        String changelog = """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                        xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                            http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                """
                + procedure.replace("ID", "f-1").replace("NAME", "plus_one").replace("ADD", "1")
                + procedure.replace("ID", "f-2").replace("NAME", "plus_two").replace("ADD", "2") + """
                </databaseChangeLog>
                """;
        SmokeFixture fixture =
                new SmokeFixture(dir).masterName("db/changelog/master.xml").master(changelog);
        Lint lint = lint(fixture, null, null);
        assertEquals(
                List.of(),
                rules(lint).stream()
                        .filter("smoke.lint.identical-changesets"::equals)
                        .toList());
        // the checksum Liquibase records on PostgreSQL covers the procedure, not the empty input (9:d41d8cd9...)
        for (ChangeSet changeSet : lint.changeLog().getChangeSets()) {
            assertTrue(
                    !ReleasedChecksums.checksum(changeSet).equals("9:d41d8cd98f00b204e9800998ecf8427e"),
                    changeSet.getId() + " has the checksum of no changes");
        }
    }

    /** Concord's pattern: drop a foreign key, change the column's type, add the same foreign key again. */
    @Test
    void aCopyThatRecreatesWhatAChangesetBetweenDroppedIsDeliberate() throws Exception {
        String changelog = HEAD + """
                  - changeSet:
                      id: create-u
                      author: bob
                      changes:
                        - createTable:
                            tableName: u
                            columns:
                              - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                              - column: {name: t_id, type: BIGINT}
                  - changeSet:
                      id: fk
                      author: bob
                      changes:
                        - addForeignKeyConstraint: {constraintName: fk_u_t, baseTableName: u, baseColumnNames: t_id,
                            referencedTableName: t, referencedColumnNames: id}
                  - changeSet:
                      id: drop-fk
                      author: bob
                      changes:
                        - dropForeignKeyConstraint: {baseTableName: u, constraintName: fk_u_t}
                  - changeSet:
                      id: retype
                      author: bob
                      changes:
                        - modifyDataType: {tableName: u, columnName: t_id, newDataType: INT}
                      rollback: []
                  - changeSet:
                      id: fk-again
                      author: bob
                      changes:
                        - addForeignKeyConstraint: {constraintName: fk_u_t, baseTableName: u, baseColumnNames: t_id,
                            referencedTableName: t, referencedColumnNames: id}
                """;
        assertEquals(
                List.of(),
                rules(lint(changelog, null, null)).stream()
                        .filter("smoke.lint.identical-changesets"::equals)
                        .toList());
        // without the drop between them the second add is a copy
        String withoutDrop = changelog.replace(
                "        - dropForeignKeyConstraint: {baseTableName: u, constraintName: fk_u_t}",
                "        - sql: {sql: \"SELECT 1\"}");
        assertEquals(
                List.of("smoke.lint.identical-changesets"),
                rules(lint(withoutDrop, null, null)).stream()
                        .filter("smoke.lint.identical-changesets"::equals)
                        .toList());
    }

    @Test
    void repeatedQueriesAreNotCopies() throws Exception {
        String changelog = HEAD + """
                  - changeSet:
                      id: setval-1
                      author: bob
                      dbms: postgresql
                      changes:
                        - sql: {sql: "SELECT setval('t_seq', (SELECT MAX(id) FROM t))"}
                      rollback: []
                  - changeSet:
                      id: setval-2
                      author: bob
                      dbms: postgresql
                      changes:
                        - sql: {sql: "SELECT setval('t_seq', (SELECT MAX(id) FROM t))"}
                      rollback: []
                """;
        assertEquals(List.of(), lint(changelog, null, null).findings());
    }

    @Test
    void otherRulesSkipChangesetsThatDoNotRun() throws Exception {
        String changelog = HEAD + """
                  - changeSet:
                      id: mysql-only
                      author: bob
                      dbms: mysql
                      runOnChange: true
                      changes:
                        - sql: {sql: "ALTER TABLE t ENGINE = InnoDB"}
                  - changeSet:
                      id: test-data
                      author: bob
                      context: test
                      changes:
                        - sql: {sql: "DROP TABLE t"}
                """;
        assertEquals(List.of(), lint(changelog, "prod", null).findings());
        assertEquals(List.of("smoke.lint.no-rollback"), rules(lint(changelog, "test", null)));
        assertEquals(
                List.of("smoke.lint.no-rollback", "smoke.lint.rerun-ddl"),
                rules(lint(changelog.replace("dbms: mysql", "dbms: mysql,postgresql"), "prod", null)));
    }

    @Test
    void ddlWrittenToBeRepeatedIsNotARerunHazard() throws Exception {
        String changelog = HEAD + """
                  - changeSet:
                      id: view
                      author: bob
                      runOnChange: true
                      changes:
                        - createView: {viewName: v, replaceIfExists: true, selectQuery: "SELECT id FROM t"}
                  - changeSet:
                      id: function
                      author: bob
                      runAlways: true
                      changes:
                        - sql: {sql: "CREATE OR REPLACE VIEW w AS SELECT name FROM t"}
                      rollback:
                        - sql: {sql: "DROP VIEW w"}
                  - changeSet:
                      id: index
                      author: bob
                      runOnChange: true
                      changes:
                        - createIndex: {tableName: t, indexName: ix_id_name, columns: [{column: {name: name}}]}
                """;
        assertEquals(List.of("smoke.lint.rerun-ddl"), rules(lint(changelog, null, null)));
    }

    @Test
    void lintingLeavesModifySqlForOtherDatabasesInPlace() throws Exception {
        String changelog = HEAD + """
                  - changeSet:
                      id: pg-tuned
                      author: bob
                      changes:
                        - createTable:
                            tableName: u
                            columns:
                              - column: {name: id, type: BIGINT}
                      modifySql:
                        - dbms: postgresql
                          append: {value: " WITH (fillfactor = 70)"}
                """;
        Lint lint = lint(changelog, "prod", null);
        ChangeSet tuned = lint.changeLog().getChangeSets().get(1);
        assertEquals(
                1, tuned.getSqlVisitors().size(), "the h2 target's dbms filter must not strip the postgresql visitor");
    }

    private static List<String> rules(Lint lint) {
        return lint.findings().stream().map(f -> f.split(" ")[1]).toList();
    }
}
