package io.github.migrationsafety.rehearsal;

import static io.github.migrationsafety.testsupport.RehearsalResults.data;
import static io.github.migrationsafety.testsupport.RehearsalResults.describe;
import static io.github.migrationsafety.testsupport.RehearsalResults.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.ImpactSettings;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.RollbackMode;
import io.github.migrationsafety.smoke.SharedEmbeddedPostgres;
import io.github.migrationsafety.smoke.SmokeConfig;
import io.github.migrationsafety.smoke.SmokeEngine;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.testsupport.Await;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.Postgres15Server;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Sql;
import io.github.migrationsafety.testsupport.Version8History;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liquibase.Contexts;
import liquibase.GlobalConfiguration;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.lockservice.LockServiceFactory;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rehearsal against a real production: a PostgreSQL 15 database (the version the machine's pg_dump reads) built
 * by Liquibase's own update and then altered by hand. For each way production can differ, the smoke from an empty
 * database passes, the rehearsal fails naming the cause, and Liquibase's own update of a full copy of production
 * (CREATE DATABASE ... TEMPLATE) fails at the same changeset. Production is the same before and after.
 */
class RehearsalTest {

    private static final String M = "db/changelog/db.changelog-master.yaml";

    private static final String TABLES = """
              - changeSet:
                  id: tables
                  author: alice
                  changes:
                    - createTable:
                        tableName: owner
                        columns:
                          - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                          - column: {name: label, type: VARCHAR(20)}
                    - createTable:
                        tableName: model_metadata
                        columns:
                          - column: {name: id, type: BIGINT, autoIncrement: true, constraints: {primaryKey: true, nullable: false}}
                          - column: {name: name, type: VARCHAR(100), constraints: {nullable: false}}
                          - column: {name: version, type: VARCHAR(20), defaultValue: '1.0'}
                          - column: {name: owner_id, type: BIGINT}
                          - column: {name: created, type: TIMESTAMP, defaultValueComputed: CURRENT_TIMESTAMP}
                    - createIndex: {tableName: model_metadata, columns: [{column: {name: owner_id}}]}
                    - sql: {sql: "ALTER TABLE model_metadata ADD CONSTRAINT version_not_blank CHECK (version <> '')"}
                  rollback:
                    - dropTable: {tableName: model_metadata}
                    - dropTable: {tableName: owner}
            """;

    private static final String INDEX_NAME = """
              - changeSet:
                  id: index-name
                  author: bob
                  changes:
                    - createIndex: {tableName: model_metadata, indexName: idx_name, columns: [{column: {name: name}}]}
            """;

    private static final String INDEX_VERSION = """
              - changeSet:
                  id: index-version
                  author: bob
                  changes:
                    - createIndex: {tableName: model_metadata, indexName: idx_version, columns: [{column: {name: version}}]}
            """;

    private static final String LABEL_NOT_NULL = """
              - changeSet:
                  id: label-not-null
                  author: bob
                  changes:
                    - addNotNullConstraint: {tableName: owner, columnName: label, columnDataType: VARCHAR(20)}
            """;

    private static final String OWNER_FK = """
              - changeSet:
                  id: owner-fk
                  author: bob
                  changes:
                    - addForeignKeyConstraint: {baseTableName: model_metadata, baseColumnNames: owner_id, constraintName: fk_owner, referencedTableName: owner, referencedColumnNames: id}
            """;

    private static final String VERSION_NOT_NULL = """
              - changeSet:
                  id: version-not-null
                  author: bob
                  changes:
                    - addNotNullConstraint: {tableName: model_metadata, columnName: version, columnDataType: VARCHAR(20)}
            """;

    private static final String UNIQUE_NAME_VERSION = """
              - changeSet:
                  id: unique-name-version
                  author: bob
                  changes:
                    - addUniqueConstraint: {tableName: model_metadata, columnNames: 'name, version', constraintName: uq_name_version}
            """;

    private static final String LABEL_INDEX = """
              - changeSet:
                  id: label-index
                  author: carol
                  changes:
                    - createIndex: {tableName: owner, indexName: idx_label, columns: [{column: {name: label}}]}
            """;

    private static final String RENAME_LABEL = """
              - changeSet:
                  id: rename-label
                  author: alice
                  changes:
                    - renameColumn: {tableName: owner, oldColumnName: label, newColumnName: title, columnDataType: VARCHAR(20)}
            """;

    /** A table {@code thing} in a schema {@code app} of its own, made by the changelog (schemaName). */
    private static final String APP_THING = """
              - changeSet:
                  id: app-schema
                  author: alice
                  dbms: postgresql
                  changes:
                    - sql: {sql: "CREATE SCHEMA app"}
                    - createTable:
                        schemaName: app
                        tableName: thing
                        columns:
                          - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                          - column: {name: label, type: VARCHAR(20)}
                  rollback:
                    - sql: {sql: "DROP SCHEMA app CASCADE"}
            """;

    @TempDir
    Path dir;

    private final CapturingLog log = new CapturingLog();

    @Test
    void anUntouchedProductionShowsNoDriftNoDataFindingAndTheEmptySmokesVerdicts() throws Exception {
        ConnectionSettings production = production(TABLES, "");
        rows(
                production,
                "INSERT INTO owner VALUES (1, 'a'), (2, 'b')",
                "INSERT INTO model_metadata (name, version, owner_id) VALUES ('m', '1', 1), ('m', '2', 2), ('n', '1', NULL)");
        master(TABLES + INDEX_NAME + LABEL_NOT_NULL + OWNER_FK + UNIQUE_NAME_VERSION);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), () -> log.text());
        Map<?, ?> rehearsal = (Map<?, ?>) result.summary().get("rehearsal");
        assertEquals("passed", rehearsal.get("status"));
        assertEquals("yes", rehearsal.get("driftChecked"));
        assertEquals(List.of(), rehearsal.get("drift"));
        List<?> pending = (List<?>) rehearsal.get("pending");
        assertEquals(4, pending.size());
        for (Object value : pending) {
            Map<?, ?> entry = (Map<?, ?>) value;
            assertEquals(entry.get("empty"), entry.get("rehearsal"), entry.toString());
        }
        assertEquals(
                List.of(
                        M + "::label-not-null::bob NOT NULL on owner.label: 0",
                        M + "::owner-fk::bob foreign key fk_owner model_metadata(owner_id) -> owner(id): 0",
                        M
                                + "::unique-name-version::bob unique key uq_name_version on model_metadata(name, version): 0"),
                data(result));
        assertTrue(log.text().contains("Rehearsal: pg_dump 15 ("), log.text());
        assertTrue(log.text().contains("Rehearsal: 4 pending changesets on production's schema: 4 passed, 0 failed"));
        assertTrue(log.text()
                .contains("Rehearsal: drift: 0 differences between production's schema and what its 1"
                        + " applied changeset makes"));
        assertFalse(log.text().contains(PostgresServer.PASSWORD));
        assertTrue(result.passed());
        assertEquals(before, state(production));
    }

    @Test
    void aDriftFromAnAppliedChangesetEditedSinceProductionRanItNamesTheEditNotAHandMadeChange() throws Exception {
        // index-version ran with one column; its text now has two. Liquibase refuses production's update (checksum),
        // and the rebuild, which runs today's text, makes another index than production's: that difference is the
        // edit's, and a hint to undo a change by hand would send the team looking for one nobody made
        ConnectionSettings production = production(TABLES + INDEX_VERSION, "");
        String edited = INDEX_VERSION.replace("name: version}}]", "name: version}}, {column: {name: name}}]");
        master(TABLES + edited + LABEL_NOT_NULL);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        String cause = ": the applied changeset " + M + "::index-version::bob was edited since production ran it"
                + " (checksum 9:";
        List<String> drift = describe(result).stream()
                .filter(line -> line.contains(" " + RehearsalEngine.DRIFT + " "))
                .toList();
        assertEquals(2, drift.size(), drift::toString);
        for (String line : drift) {
            assertTrue(line.startsWith("warning smoke.rehearsal.drift index idx_version on model_metadata: "), line);
            assertTrue(line.contains(cause), line);
            assertTrue(line.contains("now), and the rebuild ran today's text"), line);
            assertTrue(line.contains("Fix: production keeps what the changeset made when it ran"), line);
            assertFalse(line.contains("hand-made"), line);
        }
        Finding refused = single(result, RehearsalEngine.FAILED);
        assertTrue(refused.message().contains("Validation Failed: 1 changesets check sum"), refused.message());
        assertTrue(log.text().contains("Rehearsal" + cause), log::text);
        Map<?, ?> rehearsal = (Map<?, ?>) result.summary().get("rehearsal");
        for (Object entry : (List<?>) rehearsal.get("drift")) {
            assertTrue(
                    String.valueOf(((Map<?, ?>) entry).get("cause")).startsWith(cause.substring(2)), entry::toString);
        }
        assertEquals(before, state(production));
    }

    @Test
    void aHistoryOfLiquibaseBefore424WithItsVersion8ChecksumsMatchesTheChangelog() throws Exception {
        // Liquibase before 4.24 wrote "8:" checksums (4.20's update of bench/rehearsal-project wrote exactly what
        // ChangeSet.generateCheckSum(V8) gives today); 4.33 checks such a row against the version-8 checksum of
        // today's text. A changeset keeps the first checksum it computes, and the update on the copy computes "9:"
        // ones first: compared with those, every applied changeset of such a production looked edited
        ConnectionSettings production = production(TABLES + INDEX_VERSION, "");
        master(TABLES + INDEX_VERSION + LABEL_NOT_NULL);
        try (DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(resources());
                Connection connection = Databases.open(production)) {
            DatabaseChangeLog changeLog = Scope.child(
                    Map.of(Scope.Attr.resourceAccessor.name(), accessor),
                    () -> ChangeLogParserFactory.getInstance()
                            .getParser(M, accessor)
                            .parse(M, new ChangeLogParameters(), accessor));
            assertEquals(2, Version8History.rewrite(connection, changeLog));
        }
        List<String> before = state(production);
        assertTrue(before.stream().anyMatch(line -> line.startsWith("tables 8:")), before::toString);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), log::text);
        assertFalse(log.text().contains("was edited since production ran it"), log::text);
        assertEquals(before, state(production));

        // and a changeset edited since then is still told apart, against its version-8 checksum
        master(TABLES
                + INDEX_VERSION.replace("name: version}}]", "name: version}}, {column: {name: name}}]")
                + LABEL_NOT_NULL);
        SmokeResult edited = smokeThenRehearse(production);
        assertTrue(
                log.text()
                        .contains("Rehearsal: the applied changeset " + M + "::index-version::bob was edited since"
                                + " production ran it (checksum 8:"),
                log::text);
        assertTrue(single(edited, RehearsalEngine.FAILED).message().contains(" but is now: 8:"), log::text);
    }

    @Test
    void anAppliedChangesetWithChangesForOtherDatabasesMatchesItsHistory() throws Exception {
        // Liquibase's version-9 checksum leaves out the changes that target another database: computed without the
        // copy's database in scope, GoCD's initialize.xml (an sqlFile per dbms) looked edited on every production
        String perDbms = """
                  - changeSet:
                      id: per-dbms
                      author: dan
                      changes:
                        - sql: {dbms: h2, sql: "CREATE INDEX idx_h2_name ON model_metadata (name)"}
                        - sql: {dbms: postgresql, sql: "CREATE INDEX idx_pg_name ON model_metadata (name)"}
                      rollback:
                        - sql: {sql: "DROP INDEX IF EXISTS idx_h2_name; DROP INDEX IF EXISTS idx_pg_name"}
                """;
        ConnectionSettings production = production(TABLES + perDbms, "");
        master(TABLES + perDbms + LABEL_NOT_NULL);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), log::text);
        assertFalse(log.text().contains("was edited since production ran it"), log::text);
        assertEquals(before, state(production));
    }

    @Test
    void aDriftFromAHistoryRowTheChangelogNoLongerHasNamesThatChangeset() throws Exception {
        // index-version ran, then left the changelog (a clean-up): Liquibase ignores its history row and runs the
        // pending changeset; nothing rebuilds the index, and production's history says which changeset made it
        ConnectionSettings production = production(TABLES + INDEX_VERSION, "");
        master(TABLES + LABEL_NOT_NULL);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(
                List.of("warning smoke.rehearsal.drift index idx_version on model_metadata: exists in production, but"
                        + " no applied changeset makes it: production's history lists " + M + "::index-version::bob"
                        + " (\"createIndex indexName=idx_version, tableName=model_metadata\"), which is no longer in"
                        + " the changelog, so nothing rebuilt what it made (expected missing, actual CREATE INDEX ON"
                        + " public.model_metadata USING btree (version))"),
                describe(result, RehearsalEngine.DRIFT));
        assertEquals(
                "if production should keep what it made, restore the changeset (or record what it made in a new"
                        + " one); otherwise drop it from production",
                single(result, RehearsalEngine.DRIFT).hint());
        assertEquals(List.of(), describe(result, RehearsalEngine.FAILED));
        assertTrue(result.passed(), log::text);
        assertEquals(before, state(production));
    }

    @Test
    void aRunOnChangeChangesetEditedSinceItRanRunsAgainWithoutAFinding() throws Exception {
        // production reran nothing yet: the edited view is pending again, as Liquibase's own update would rerun it
        String view = """
              - changeSet:
                  id: view
                  author: dan
                  runOnChange: true
                  changes:
                    - createView: {viewName: v_models, replaceIfExists: true, selectQuery: "SELECT id, name FROM model_metadata"}
            """;
        ConnectionSettings production = production(TABLES + view, "");
        master(TABLES + view.replace("SELECT id, name FROM", "SELECT id, name, version FROM") + LABEL_NOT_NULL);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), log::text);
        Map<?, ?> rehearsal = (Map<?, ?>) result.summary().get("rehearsal");
        assertEquals(
                List.of(M + "::view::dan passed", M + "::label-not-null::bob passed"),
                ((List<?>) rehearsal.get("pending"))
                        .stream()
                                .map(e -> ((Map<?, ?>) e).get("changeset") + " " + ((Map<?, ?>) e).get("rehearsal"))
                                .toList());
    }

    @Test
    void anIndexAddedByHandThatAPendingChangesetAlsoCreates() throws Exception {
        ConnectionSettings production = production(TABLES, "CREATE INDEX idx_name ON model_metadata (name)");
        master(TABLES + INDEX_NAME);
        List<String> before = state(production);

        SmokeResult smoke = smoke();
        assertTrue(smoke.passed(), () -> describe(smoke).toString());
        SmokeResult result = rehearse(smoke, production);

        assertEquals(
                List.of("warning smoke.rehearsal.drift index idx_name on model_metadata: exists in production, but no"
                        + " applied changeset makes it (expected missing, actual CREATE INDEX ON public.model_metadata"
                        + " USING btree (name))"),
                describe(result, RehearsalEngine.DRIFT));
        Finding failed = single(result, RehearsalEngine.FAILED);
        assertEquals(M + "::index-name::bob", failed.subject());
        assertEquals(
                "fails on production's schema but passed on an empty database: ERROR: relation \"idx_name\" already"
                        + " exists - production's schema drifted: index idx_name on model_metadata exists in"
                        + " production, but no applied changeset makes it (expected missing, production CREATE INDEX"
                        + " ON public.model_metadata USING btree (name))",
                failed.message());
        assertEquals(M + "::index-name::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aColumnDroppedByHand() throws Exception {
        ConnectionSettings production = production(TABLES, "ALTER TABLE model_metadata DROP COLUMN version");
        master(TABLES + INDEX_VERSION);
        List<String> before = state(production);

        SmokeResult smoke = smoke();
        assertTrue(smoke.passed(), () -> describe(smoke).toString());
        SmokeResult result = rehearse(smoke, production);

        List<String> drift = describe(result, RehearsalEngine.DRIFT);
        assertTrue(
                drift.contains("warning smoke.rehearsal.drift column model_metadata.version: is missing in production:"
                        + " the applied changesets make it (expected character varying(20) NULL DEFAULT '1.0'::character"
                        + " varying, actual missing)"),
                drift.toString());
        // dropping the column dropped the check constraint on it too
        assertTrue(
                drift.contains("warning smoke.rehearsal.drift check constraint version_not_blank on model_metadata: is"
                        + " missing in production: the applied changesets make it (expected CHECK (((version)::text <>"
                        + " ''::text)), actual missing)"),
                drift.toString());
        Finding failed = single(result, RehearsalEngine.FAILED);
        assertEquals(M + "::index-version::bob", failed.subject());
        assertTrue(
                failed.message()
                        .startsWith("fails on production's schema but passed on an empty database: ERROR: column"
                                + " \"version\" does not exist - production's schema drifted: column"
                                + " model_metadata.version is missing in production"),
                failed.message());
        assertEquals(M + "::index-version::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aPendingChangesetMergedBeforeAnAppliedOneThatRenamedItsColumn() throws Exception {
        // production ran tables and rename-label; label-index was merged in between them afterwards
        ConnectionSettings production = production(TABLES + RENAME_LABEL, "");
        master(TABLES + LABEL_INDEX + RENAME_LABEL);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result, RehearsalEngine.DRIFT));
        Finding failed = single(result, RehearsalEngine.FAILED);
        assertEquals(M + "::label-index::carol", failed.subject());
        assertEquals(
                "fails on production's schema but passed on an empty database: ERROR: column \"label\" does not exist"
                        + " - merge order: it comes before " + M + "::rename-label::alice in the changelog, which"
                        + " production already ran (it renames column owner.label to title); an empty database runs"
                        + " it before that changeset, production after it",
                failed.message());
        assertEquals(
                "move the changeset after " + M + "::rename-label::alice in the changelog and write it against the"
                        + " schema that changeset leaves",
                failed.hint());
        assertEquals(M + "::label-index::carol", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void anExtensionProductionInstalledIsInTheCopyBeforeTheTablesThatUseIt() throws Exception {
        // pg_dump --schema leaves extensions out: without them the copy's citext column does not restore
        String extension = """
                  - changeSet:
                      id: citext
                      author: alice
                      dbms: postgresql
                      changes:
                        - sql: {sql: "CREATE EXTENSION IF NOT EXISTS citext"}
                        - addColumn: {tableName: owner, columns: [{column: {name: email, type: citext}}]}
                """;
        String emailIndex = """
                  - changeSet:
                      id: email-unique
                      author: bob
                      dbms: postgresql
                      changes:
                        - addUniqueConstraint: {tableName: owner, columnNames: email, constraintName: uq_owner_email}
                """;
        ConnectionSettings production = production(TABLES + extension, "");
        rows(
                production,
                "INSERT INTO owner VALUES (1, 'a', 'A@example.org'), (2, 'b', 'a@example.org'), (3, 'c', NULL)");
        master(TABLES + extension + emailIndex);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        Map<?, ?> rehearsal = (Map<?, ?>) result.summary().get("rehearsal");
        assertEquals(List.of(), rehearsal.get("drift"), () -> log.text());
        // citext's equality ignores case: the two addresses are one key, as production's own constraint would see them
        assertEquals(
                "unique key uq_owner_email on owner(email): 2 rows (email: A@example.org, ...) in production would make"
                        + " it fail",
                single(result, RehearsalEngine.DATA).message());
        assertEquals(M + "::email-unique::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void anExtensionTheSmokesServerCannotInstallStopsNothingThatDoesNotNeedIt() throws Exception {
        // adminpack ships with PostgreSQL 15 (production's) and no longer with 17 (the smoke's server here)
        ConnectionSettings production = production(TABLES, "CREATE EXTENSION adminpack");
        master(TABLES + INDEX_NAME);
        List<String> before = state(production);

        SmokeResult smoke = smoke();
        SmokeResult result = rehearse(smoke, production);

        assertEquals(List.of(), describe(result), () -> log.text());
        assertTrue(
                log.text().contains("[INFO] Rehearsal: production's extension adminpack 2.1 (schema pg_catalog): "),
                log::text);
        assertEquals(before, state(production));
    }

    @Test
    void aKeyOnAColumnThePendingChangesetsAddIsNotCountedAndRaisesNoFinding() throws Exception {
        // the column is new: production has no values in it, and Liquibase's own update fills it before the key
        String codeColumn = """
                  - changeSet:
                      id: code-column
                      author: bob
                      changes:
                        - addColumn: {tableName: owner, columns: [{column: {name: code, type: VARCHAR(20)}}]}
                        - sql: {sql: "UPDATE owner SET code = 'o-' || id"}
                      rollback:
                        - dropColumn: {tableName: owner, columnName: code}
                  - changeSet:
                      id: code-unique
                      author: bob
                      changes:
                        - addNotNullConstraint: {tableName: owner, columnName: code, columnDataType: VARCHAR(20)}
                        - addUniqueConstraint: {tableName: owner, columnNames: code, constraintName: uq_owner_code}
                """;
        ConnectionSettings production = production(TABLES, "");
        rows(production, "INSERT INTO owner VALUES (1, 'a'), (2, 'b')");
        master(TABLES + codeColumn);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), () -> log.text());
        assertEquals(
                List.of(
                        M + "::code-unique::bob NOT NULL on owner.code: not counted: column owner.code is added by the"
                                + " pending changesets; production has no values in it yet",
                        M + "::code-unique::bob unique key uq_owner_code on owner(code): not counted: column"
                                + " owner.code is added by the pending changesets; production has no values in it yet"),
                data(result));
        assertTrue(log.text().contains("0 would fail; 2 not counted: nothing in production decides them ("), log::text);
        assertEquals(before, state(production));
    }

    @Test
    void aPartialKeyWhoseWhereReadsAColumnThePendingChangesetsAddIsNotCounted() throws Exception {
        // the key's columns are production's, its WHERE reads a new column: OpenLMIS's unq_ftap ... WHERE active
        String activeLabels = """
                  - changeSet:
                      id: active-labels
                      author: bob
                      dbms: postgresql
                      changes:
                        - addColumn: {tableName: owner, columns: [{column: {name: active, type: BOOLEAN, defaultValueBoolean: false}}]}
                        - sql: {sql: "CREATE UNIQUE INDEX uq_active_label ON owner (label) WHERE active"}
                      rollback:
                        - sql: {sql: "DROP INDEX uq_active_label"}
                        - dropColumn: {tableName: owner, columnName: active}
                """;
        ConnectionSettings production = production(TABLES, "");
        rows(production, "INSERT INTO owner VALUES (1, 'a'), (2, 'a')");
        master(TABLES + activeLabels);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), () -> log.text());
        assertEquals(
                List.of(M + "::active-labels::bob unique key uq_active_label on owner(label): not counted: its WHERE"
                        + " reads columns that the pending changesets add; production has no values in them yet"),
                data(result));
        assertEquals(null, fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aConstraintAfterAPendingBackfillOfItsTableIsNotCountedOnTodaysRows() throws Exception {
        // backfill, then constrain: the NULLs production has today are gone before the NOT NULL meets them
        String backfill = """
                  - changeSet:
                      id: label-backfill
                      author: bob
                      changes:
                        - update: {tableName: owner, columns: [{column: {name: label, value: none}}], where: "label IS NULL"}
                      rollback: []
                  - changeSet:
                      id: label-required
                      author: bob
                      changes:
                        - addNotNullConstraint: {tableName: owner, columnName: label, columnDataType: VARCHAR(20)}
                """;
        ConnectionSettings production = production(TABLES, "");
        rows(production, "INSERT INTO owner VALUES (1, 'a'), (2, NULL)");
        master(TABLES + backfill);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), () -> log.text());
        assertEquals(
                List.of(M + "::label-required::bob NOT NULL on owner.label: not counted: the pending changeset " + M
                        + "::label-backfill::bob changes rows of owner before it; production's current rows are not"
                        + " the ones it meets"),
                data(result));
        assertEquals(null, fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aTypeChangeToATypeThePendingChangesetsMakeIsNotCounted() throws Exception {
        // Concord's task_status_type: the enum is made by the pending changeset itself, production has no such type
        String statusType = """
                  - changeSet:
                      id: label-enum
                      author: bob
                      dbms: postgresql
                      changes:
                        - sql: {sql: "CREATE TYPE label_type AS ENUM ('a', 'b')"}
                        - sql: {sql: "ALTER TABLE owner ALTER COLUMN label TYPE label_type USING label::label_type"}
                      rollback:
                        - sql: {sql: "ALTER TABLE owner ALTER COLUMN label TYPE varchar(20)"}
                        - sql: {sql: "DROP TYPE label_type"}
                """;
        ConnectionSettings production = production(TABLES, "");
        rows(production, "INSERT INTO owner VALUES (1, 'a'), (2, 'b')");
        master(TABLES + statusType);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), () -> log.text());
        assertEquals(
                List.of(M + "::label-enum::bob type of owner.label from character varying(20) to label_type: not"
                        + " counted: type label_type is made by the pending changesets; production has no such type"
                        + " yet to convert its values to"),
                data(result));
        assertEquals(null, fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aTypeChangeWithItsOwnConversionIsNotCountedAsValuesThatDoNotCast() throws Exception {
        // no cast turns a timestamp into a bigint: the change passed because it converts with USING, not by a cast
        String epoch = """
                  - changeSet:
                      id: created-epoch
                      author: bob
                      dbms: postgresql
                      changes:
                        - sql: {sql: "ALTER TABLE model_metadata ALTER COLUMN created DROP DEFAULT, ALTER COLUMN created TYPE bigint USING extract(epoch FROM created)::bigint"}
                      rollback:
                        - sql: {sql: "ALTER TABLE model_metadata ALTER COLUMN created TYPE timestamp USING to_timestamp(created)"}
                """;
        ConnectionSettings production = production(TABLES, "");
        rows(production, "INSERT INTO model_metadata (name) VALUES ('m'), ('n')");
        master(TABLES + epoch);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), () -> log.text());
        assertEquals(
                List.of(M + "::created-epoch::bob type of model_metadata.created from timestamp without time zone to"
                        + " bigint: not counted: PostgreSQL has no cast from timestamp without time zone to bigint:"
                        + " the change converts with an expression of its own (USING), which the rehearsal does not"
                        + " evaluate"),
                data(result));
        assertEquals(null, fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    /** Reference data an applied changeset inserts, which {@link #SEED_MODEL} selects. */
    private static final String ADMIN_OWNER = """
              - changeSet:
                  id: admin-owner
                  author: alice
                  changes:
                    - insert: {tableName: owner, columns: [{column: {name: id, value: 1}}, {column: {name: label, value: admin}}]}
            """;

    /** Reads the owner {@link #ADMIN_OWNER} inserts; without it, {@code name} would be NULL. */
    private static final String SEED_MODEL = """
              - changeSet:
                  id: seed-model
                  author: bob
                  changes:
                    - sql: {sql: "INSERT INTO model_metadata (name, owner_id) VALUES ((SELECT 'model-' || id FROM owner WHERE id = 1), 1)"}
                  rollback:
                    - delete: {tableName: model_metadata, where: "owner_id = 1"}
            """;

    @Test
    void aChangesetThatReadsRowsAnAppliedOneInsertedIsJudgedOnTheRebuildWhichHasThem() throws Exception {
        // the copy has production's schema, not its rows: seed-model breaks NOT NULL there; the applied changesets'
        // rebuild has the owner admin-owner inserted, and there seed-model passes and label-index, merged before
        // the rename production already ran, fails: a merge-order error the copy alone could not reach
        ConnectionSettings production = production(TABLES + ADMIN_OWNER + RENAME_LABEL, "");
        master(TABLES + ADMIN_OWNER + SEED_MODEL + LABEL_INDEX + RENAME_LABEL);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result, RehearsalEngine.NEEDS_ROWS));
        assertEquals(List.of(), describe(result, RehearsalEngine.DRIFT));
        Finding failed = single(result, RehearsalEngine.FAILED);
        assertEquals(M + "::label-index::carol", failed.subject());
        assertEquals(
                "fails after production's applied changesets (on their rebuild: the schema they make, with the rows"
                        + " they insert) but passed on an empty database: ERROR: column \"label\" does not exist"
                        + " - merge order: it comes before " + M + "::rename-label::alice in the changelog, which"
                        + " production already ran (it renames column owner.label to title); an empty database runs"
                        + " it before that changeset, production after it",
                failed.message());
        List<?> pending = (List<?>) ((Map<?, ?>) result.summary().get("rehearsal")).get("pending");
        assertEquals(
                List.of(
                        M + "::seed-model::bob passed on the applied changesets' rebuild",
                        M + "::label-index::carol failed on the applied changesets' rebuild"),
                pending.stream()
                        .map(e -> (Map<?, ?>) e)
                        .map(e -> e.get("changeset") + " " + e.get("rehearsal") + " on " + e.get("judgedOn"))
                        .toList());
        assertTrue(
                log.text()
                        .contains("Rehearsal: " + M + "::seed-model::bob needs rows the copy does not have; it and the"
                                + " changesets after it ran on the applied changesets' rebuild instead (the schema"
                                + " they make, with the rows they insert): 1 of 2 passed ("),
                log::text);
        // Liquibase's own update on a full copy, with production's rows, stops at the same changeset
        assertEquals(M + "::label-index::carol", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aChangesetThatNeedsRowsOnlyProductionHasIsAWarningNotAFailure() throws Exception {
        // someone inserted the admin owner by hand before admin-owner ran, so production marked it ran (MARK_RAN)
        // without running it: the rebuild, which runs what production ran, has no owner either
        String adminOwnerUnlessThere = """
                  - changeSet:
                      id: admin-owner
                      author: alice
                      preConditions:
                        - onFail: MARK_RAN
                        - sqlCheck: {expectedResult: 0, sql: "SELECT count(*) FROM owner WHERE id = 1"}
                      changes:
                        - insert: {tableName: owner, columns: [{column: {name: id, value: 1}}, {column: {name: label, value: admin}}]}
                """;
        ConnectionSettings production = production(TABLES, "INSERT INTO owner VALUES (1, 'ops')");
        liquibaseUpdate(production, TABLES + adminOwnerUnlessThere);
        master(TABLES + adminOwnerUnlessThere + SEED_MODEL + INDEX_NAME);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertTrue(result.passed(), () -> describe(result).toString());
        Finding warning = single(result, RehearsalEngine.NEEDS_ROWS);
        assertEquals(M + "::seed-model::bob", warning.subject());
        assertTrue(warning.message().contains("violates not-null constraint"), warning::message);
        assertTrue(
                warning.message()
                        .startsWith("fails with a row that breaks a constraint on the rehearsal's copy and on the"
                                + " applied changesets' rebuild, and passed on an empty database: "),
                warning::message);
        assertTrue(
                warning.message().endsWith("so the rehearsal cannot judge it, nor the pending changesets after it"),
                warning::message);
        assertEquals(List.of(), describe(result, RehearsalEngine.FAILED));
        // production's own update, with its rows, runs it
        assertEquals(null, fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aChangesetThatNamesAnotherSchemaFindsItInTheCopy() throws Exception {
        // schemaName="app" while the connection works in public: the copy holds every schema production has
        String pendingApp = """
                  - changeSet:
                      id: app-index
                      author: bob
                      dbms: postgresql
                      changes:
                        - createIndex: {schemaName: app, tableName: thing, indexName: idx_thing_label, columns: [{column: {name: label}}]}
                """;
        ConnectionSettings production = production(TABLES + APP_THING, "");
        master(TABLES + APP_THING + pendingApp);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), () -> log.text());
        List<?> pending = (List<?>) ((Map<?, ?>) result.summary().get("rehearsal")).get("pending");
        assertEquals("passed", ((Map<?, ?>) pending.get(0)).get("rehearsal"), pending::toString);
        assertTrue(log.text().contains(" history rows, with production's other schemas (app), into "), log::text);
        assertEquals(null, fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void inASchemaTheChangelogNamesTheDriftAndTheCountsAreThatSchemas() throws Exception {
        // the changelog keeps a table in schema app (schemaName): a hand-made index there is drift, and the rows of
        // app.thing are counted under its pending NOT NULL, as those of the connection's own schema are
        String labelRequired = """
                  - changeSet:
                      id: thing-label-not-null
                      author: bob
                      changes:
                        - addNotNullConstraint: {schemaName: app, tableName: thing, columnName: label, columnDataType: VARCHAR(20)}
                """;
        ConnectionSettings production =
                production(TABLES + APP_THING, "CREATE INDEX idx_by_hand ON app.thing (label, id)");
        rows(production, "INSERT INTO app.thing VALUES (1, 'a'), (2, NULL), (3, NULL)");
        // a schema no change names is not the changelog's: its tables are neither drift nor counted
        rows(production, "CREATE SCHEMA reporting", "CREATE TABLE reporting.daily (day date)");
        master(TABLES + APP_THING + labelRequired);
        List<String> before = state(production);

        SmokeResult smoke = smoke();
        assertTrue(smoke.passed(), () -> describe(smoke).toString());
        SmokeResult result = rehearse(smoke, production);

        assertEquals(
                List.of("warning smoke.rehearsal.drift index idx_by_hand on app.thing: exists in production, but no"
                        + " applied changeset makes it (expected missing, actual CREATE INDEX ON app.thing USING btree"
                        + " (label, id))"),
                describe(result, RehearsalEngine.DRIFT));
        Finding data = single(result, RehearsalEngine.DATA);
        assertEquals(M + "::thing-label-not-null::bob", data.subject());
        assertEquals("NOT NULL on app.thing.label: 2 rows (id: 2, 3) in production would make it fail", data.message());
        assertEquals(
                "fix those rows before the migration; they are listed by: SELECT \"id\" FROM \"app\".\"thing\" t"
                        + " WHERE \"label\" IS NULL",
                data.hint());
        assertEquals(M + "::thing-label-not-null::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aSchemaProductionsRoleCannotReadIsLeftOutOfTheCopy() throws Exception {
        // the rehearsal reads production as a role that owns nothing of another team's schema: pg_dump of that schema
        // would stop with "permission denied"; the copy leaves it out and says so
        ConnectionSettings admin = production(TABLES, "");
        String role = "rehearsal_reader_" + Long.toHexString(System.nanoTime());
        String password = "Reader-Secret-" + role.hashCode();
        rows(
                admin,
                "CREATE ROLE " + role + " LOGIN PASSWORD '" + PostgresServer.scramSecret(password) + "'",
                "GRANT USAGE ON SCHEMA public TO " + role,
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
                "CREATE SCHEMA reporting",
                "CREATE TABLE reporting.daily (day date)",
                "CREATE SCHEMA shared",
                "CREATE TABLE shared.visible (id int)",
                "CREATE TABLE shared.hidden (id int)",
                "GRANT USAGE ON SCHEMA shared TO " + role,
                "GRANT SELECT ON shared.visible TO " + role);
        ConnectionSettings production = new ConnectionSettings(admin.url(), role, password);
        master(TABLES + LABEL_NOT_NULL);
        List<String> before = state(admin);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), log::text);
        assertTrue(result.passed(), log::text);
        assertTrue(
                log.text()
                        .contains("Rehearsal: production's schemas reporting, shared are not in the copy: the role "
                                + role + " cannot read every table there (a pending change that works in one fails"
                                + " on the copy; grant USAGE on the schema and SELECT on its tables to include it)"),
                log::text);
        assertFalse(log.text().contains(password));
        assertEquals(before, state(admin));
    }

    @Test
    void aForeignTablesServerIsMadeInTheCopyWithoutItsOptionsOrUserMappings() throws Exception {
        // pg_dump --schema copies a foreign table but not its server: without one the copy did not restore
        ConnectionSettings production = production(TABLES, "");
        rows(
                production,
                "CREATE EXTENSION postgres_fdw",
                "CREATE SERVER warehouse FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'warehouse.internal',"
                        + " dbname 'dw')",
                "CREATE USER MAPPING FOR CURRENT_USER SERVER warehouse OPTIONS (user 'dw', password"
                        + " 'Mapping-Secret-77')",
                "CREATE FOREIGN TABLE remote_sales (id int, amount numeric) SERVER warehouse",
                "CREATE FOREIGN DATA WRAPPER plain_wrapper",
                "CREATE SERVER files FOREIGN DATA WRAPPER plain_wrapper",
                "CREATE FOREIGN TABLE remote_files (name text) SERVER files");
        master(TABLES + LABEL_NOT_NULL);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), log::text);
        assertTrue(result.passed(), log::text);
        Path script = dir.resolve("target/migration-safety/work/rehearsal-schema.sql");
        assertTrue(Files.readString(script).contains("SERVER warehouse"));
        assertFalse(log.text().contains("Mapping-Secret-77"), log::text);
        assertFalse(log.text().contains("warehouse.internal"), log::text);
        assertEquals(before, state(production));
    }

    @Test
    void aRoleARowSecurityPolicyNamesIsMadeOnTheSmokesServerForTheCopyAndDroppedAfter() throws Exception {
        // roles belong to production's server, which pg_dump does not copy; its policies name them
        String role = "tenant_" + Long.toHexString(System.nanoTime());
        ConnectionSettings production = production(TABLES, "");
        rows(
                production,
                "CREATE ROLE " + role + " NOLOGIN",
                "ALTER TABLE owner ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY own_rows ON owner TO " + role + " USING (id > 0)");
        master(TABLES + LABEL_NOT_NULL);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), log::text);
        assertTrue(result.passed(), log::text);
        assertEquals(
                List.of("0"),
                Sql.rows(
                        PostgresServer.freshDatabase("roles"),
                        "SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'"));
        assertEquals(before, state(production));
    }

    @Test
    void duplicatesUnderAPendingUniqueKeyOnAnExpressionAreThoseOfItsValues() throws Exception {
        // lower(label): 'Ann' and 'ann' are one key; INCLUDE columns are no part of it
        String lowerLabel = """
                  - changeSet:
                      id: lower-label-unique
                      author: bob
                      dbms: postgresql
                      changes:
                        - sql: {sql: "CREATE UNIQUE INDEX uq_lower_label ON owner (lower(label)) INCLUDE (id)"}
                      rollback:
                        - sql: {sql: "DROP INDEX uq_lower_label"}
                """;
        ConnectionSettings production = production(TABLES, "");
        rows(production, "INSERT INTO owner VALUES (1, 'Ann'), (2, 'ann'), (3, 'Bob'), (4, NULL), (5, NULL)");
        master(TABLES + lowerLabel);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        Finding data = single(result, RehearsalEngine.DATA);
        assertEquals(M + "::lower-label-unique::bob", data.subject());
        assertEquals(
                "unique key uq_lower_label on owner(lower(label::text)): 2 rows (lower(label::text): ann, ...) in"
                        + " production would make it fail",
                data.message());
        assertEquals(
                "fix those rows before the migration; they are listed by: SELECT lower(label::text), count(*) AS n"
                        + " FROM \"public\".\"owner\" t WHERE lower(label::text) IS NOT NULL GROUP BY"
                        + " lower(label::text) HAVING count(*) > 1",
                data.hint());
        assertEquals(M + "::lower-label-unique::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aPartitionedTablesRowsAreCountedOnceNotAgainForEachPartition() throws Exception {
        // a NOT NULL on a partitioned table is one on each partition too: one finding, for the table's rows
        String events = """
                  - changeSet:
                      id: events
                      author: alice
                      dbms: postgresql
                      changes:
                        - sql: {sql: "CREATE TABLE events (id bigint, at date NOT NULL, note varchar(20)) PARTITION BY RANGE (at)"}
                        - sql: {sql: "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"}
                        - sql: {sql: "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"}
                      rollback:
                        - sql: {sql: "DROP TABLE events"}
                """;
        String noteRequired = """
                  - changeSet:
                      id: note-required
                      author: bob
                      dbms: postgresql
                      changes:
                        - addNotNullConstraint: {tableName: events, columnName: note, columnDataType: VARCHAR(20)}
                """;
        ConnectionSettings production = production(TABLES + events, "");
        rows(
                production,
                "INSERT INTO events VALUES (1, '2025-03-01', NULL), (2, '2026-03-01', NULL), (3, '2026-04-01', 'x')");
        master(TABLES + events + noteRequired);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(M + "::note-required::bob NOT NULL on events.note: 2"), data(result));
        assertEquals(
                "NOT NULL on events.note: 2 rows in production would make it fail",
                single(result, RehearsalEngine.DATA).message());
        assertEquals(M + "::note-required::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void nullKeysAreDuplicatesUnderAKeyWhoseNullsAreNotDistinct() throws Exception {
        // PostgreSQL 15's NULLS NOT DISTINCT: two owners without a label break the new key
        String labelUnique = """
                  - changeSet:
                      id: label-unique
                      author: bob
                      dbms: postgresql
                      changes:
                        - sql: {sql: "CREATE UNIQUE INDEX uq_label ON owner (label) NULLS NOT DISTINCT"}
                      rollback:
                        - sql: {sql: "DROP INDEX uq_label"}
                """;
        ConnectionSettings production = production(TABLES, "");
        rows(production, "INSERT INTO owner VALUES (1, 'a'), (2, NULL), (3, NULL)");
        master(TABLES + labelUnique);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(M + "::label-unique::bob unique key uq_label on owner(label): 2"), data(result));
        assertEquals(M + "::label-unique::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void rowsThatConflictUnderAPendingExclusionConstraintAreCounted() throws Exception {
        // two bookings of room 1 overlap; room 2's do not
        String booking = """
                  - changeSet:
                      id: booking
                      author: alice
                      dbms: postgresql
                      changes:
                        - sql: {sql: "CREATE EXTENSION IF NOT EXISTS btree_gist"}
                        - sql: {sql: "CREATE TABLE booking (id bigint PRIMARY KEY, room int, during tstzrange)"}
                      rollback:
                        - sql: {sql: "DROP TABLE booking"}
                """;
        String noOverlap = """
                  - changeSet:
                      id: no-double-booking
                      author: bob
                      dbms: postgresql
                      changes:
                        - sql: {sql: "ALTER TABLE booking ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)"}
                      rollback:
                        - sql: {sql: "ALTER TABLE booking DROP CONSTRAINT no_overlap"}
                """;
        ConnectionSettings production = production(TABLES + booking, "");
        rows(
                production,
                "INSERT INTO booking VALUES (1, 1, '[2026-01-01,2026-01-05)'), (2, 1, '[2026-01-03,2026-01-07)'),"
                        + " (3, 2, '[2026-01-01,2026-01-05)'), (4, 2, '[2026-01-05,2026-01-07)'), (5, NULL, NULL)");
        master(TABLES + booking + noOverlap);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        Finding data = single(result, RehearsalEngine.DATA);
        assertEquals(
                "exclusion constraint no_overlap on booking: 2 rows (id: 1, 2) in production would make it fail",
                data.message());
        assertEquals(M + "::no-double-booking::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aSchemaOfMoreTablesThanOneTransactionCanLockRestoresObjectByObject() throws Exception {
        // a scratch server with a small lock table: production's 250 tables (with their keys and sequences) overflow
        // it in one transaction ("out of shared memory"), as some thousands do at the defaults
        // in changesets of 25 tables each, which one transaction of the rebuild holds locks for
        StringBuilder manyTables = new StringBuilder();
        for (int part = 0; part < 10; part++) {
            manyTables.append("""
                      - changeSet:
                          id: many-tables-%d
                          author: alice
                          dbms: postgresql
                          changes:
                            - sql:
                                splitStatements: false
                                sql: "DO $$ BEGIN FOR i IN %d..%d LOOP EXECUTE format('CREATE TABLE extra_%%s (id bigserial PRIMARY KEY, label text)', i); END LOOP; END $$"
                          rollback:
                            - sql: {sql: "SELECT 1"}
                    """.formatted(part, part * 25 + 1, part * 25 + 25));
        }
        ConnectionSettings production = production(TABLES + manyTables, "");
        master(TABLES + manyTables + LABEL_NOT_NULL);
        List<String> before = state(production);
        try (EmbeddedPostgres scratch = Postgres15Server.startOwn(
                "migration-safety-few-locks",
                Map.of(
                        "max_locks_per_transaction", "10",
                        "max_connections", "20",
                        "max_wal_senders", "0",
                        "max_worker_processes", "0",
                        "autovacuum_max_workers", "1"))) {
            SmokeResult smoke = smoke();
            assertTrue(smoke.passed(), () -> describe(smoke).toString());
            SmokeResult result = rehearse(
                    smoke,
                    production,
                    RehearsalConfig.DEFAULT_SAMPLES,
                    new PostgresTarget(false, PostgresServer.freshDatabase(scratch.getPort(), "scratch")),
                    null);

            assertEquals(List.of(), describe(result), log::text);
            assertTrue(result.passed(), log::text);
        }
        assertEquals(before, state(production));
    }

    @Test
    void nullsUnderAPendingNotNullConstraint() throws Exception {
        ConnectionSettings production = production(TABLES, "");
        rows(production, "INSERT INTO owner VALUES (1, 'a'), (2, NULL), (3, 'c'), (4, NULL), (5, NULL)");
        master(TABLES + LABEL_NOT_NULL);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production, 2);

        Finding data = single(result, RehearsalEngine.DATA);
        assertEquals(M + "::label-not-null::bob", data.subject());
        assertEquals(
                "NOT NULL on owner.label: 3 rows (id: 2, 4, ...) in production would make it fail", data.message());
        assertEquals("3 rows", data.actual());
        assertEquals(
                "fix those rows before the migration; they are listed by: SELECT \"id\" FROM \"public\".\"owner\" t"
                        + " WHERE \"label\" IS NULL",
                data.hint());
        assertEquals(M + "::label-not-null::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void orphansUnderAPendingForeignKey() throws Exception {
        ConnectionSettings production = production(TABLES, "");
        rows(
                production,
                "INSERT INTO owner VALUES (1, 'a')",
                "INSERT INTO model_metadata (id, name, owner_id) VALUES (10, 'm', 1), (11, 'n', 7), (12, 'o', NULL),"
                        + " (13, 'p', 8)");
        master(TABLES + OWNER_FK);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        Finding data = single(result, RehearsalEngine.DATA);
        assertEquals(
                "foreign key fk_owner model_metadata(owner_id) -> owner(id): 2 rows (id: 11, 13) in production would"
                        + " make it fail",
                data.message());
        assertEquals(M + "::owner-fk::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void duplicatesUnderAPendingUniqueKey() throws Exception {
        ConnectionSettings production = production(TABLES, "");
        rows(
                production,
                "INSERT INTO model_metadata (id, name, version) VALUES (1, 'm', '1'), (2, 'm', '1'),"
                        + " (3, 'm', '2'), (4, 'n', '1'), (5, 'n', '1'), (6, 'n', '1'), (7, 'o', NULL), (8, 'o', NULL)");
        master(TABLES + UNIQUE_NAME_VERSION);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        Finding data = single(result, RehearsalEngine.DATA);
        // NULL versions are never duplicates, as in the constraint; the sample names the key only
        assertEquals(
                "unique key uq_name_version on model_metadata(name, version): 5 rows ((name, version): (m, 1), (n, 1),"
                        + " ...) in production would make it fail",
                data.message());
        assertTrue(
                data.hint()
                        .startsWith("review and remove the duplicates with migration-safety:dedupe"
                                + " (table=model_metadata, keyColumns=name,version)"),
                data.hint());
        assertEquals(M + "::unique-name-version::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void nullsOrphansAndDuplicatesInOneTableAreEachCountedAsOnTheirOwn() throws Exception {
        // the NULLs and the orphans in one scan of model_metadata, the duplicates beside it on another connection
        ConnectionSettings production = production(TABLES, "");
        rows(
                production,
                "INSERT INTO owner VALUES (1, 'a')",
                "INSERT INTO model_metadata (id, name, version, owner_id) VALUES (1, 'm', '1', 1), (2, 'm', '1', 7),"
                        + " (3, 'n', NULL, 1), (4, 'n', NULL, 8), (5, 'o', '2', NULL)");
        master(TABLES + VERSION_NOT_NULL + OWNER_FK + UNIQUE_NAME_VERSION);
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(
                List.of(
                        "NOT NULL on model_metadata.version: 2 rows (id: 3, 4) in production would make it fail",
                        "foreign key fk_owner model_metadata(owner_id) -> owner(id): 2 rows (id: 2, 4) in production"
                                + " would make it fail",
                        "unique key uq_name_version on model_metadata(name, version): 2 rows ((name, version): (m, 1),"
                                + " ...) in production would make it fail"),
                result.findings().stream()
                        .filter(f -> f.rule().equals(RehearsalEngine.DATA))
                        .map(Finding::message)
                        .toList());
        assertEquals(
                List.of(
                        M + "::version-not-null::bob NOT NULL on model_metadata.version: 2",
                        M + "::owner-fk::bob foreign key fk_owner model_metadata(owner_id) -> owner(id): 2",
                        M
                                + "::unique-name-version::bob unique key uq_name_version on model_metadata(name,"
                                + " version): 2"),
                data(result));
        assertEquals(M + "::version-not-null::bob", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void withEmbeddedTheRehearsalMakesItsDatabasesOnTheSmokesServer() throws Exception {
        ConnectionSettings production = production(TABLES, "");
        rows(production, "INSERT INTO owner VALUES (1, 'a')");
        master(TABLES + LABEL_NOT_NULL);
        PostgresTarget embedded = new PostgresTarget(true, null);
        SmokeResult result;
        List<String> databases;
        try (SharedEmbeddedPostgres shared = new SharedEmbeddedPostgres(
                dir.resolve("target/migration-safety/work/embedded-postgres.log"), null, log)) {
            SmokeResult smoke = smoke(embedded, shared);
            assertTrue(smoke.passed(), () -> describe(smoke).toString());
            result = rehearse(smoke, production, RehearsalConfig.DEFAULT_SAMPLES, embedded, shared);
            databases = databases(shared.server().url("postgres"));
        }

        assertEquals(List.of(), describe(result), () -> log.text());
        assertEquals("passed", ((Map<?, ?>) result.summary().get("rehearsal")).get("status"));
        assertEquals(
                1,
                log.lines().stream()
                        .filter(line -> line.startsWith("[INFO] Started an embedded PostgreSQL"))
                        .count(),
                log::text);
        assertEquals(List.of("postgres", "template0", "template1"), databases);
    }

    private static List<String> databases(String url) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = Databases.open(new ConnectionSettings(url, "postgres", null));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT datname FROM pg_database ORDER BY datname")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void aHistoryTableInASchemaOfItsOwnIsCopiedWithProductionsSchema() throws Exception {
        Map<String, Object> liquibaseSchema = Map.of(GlobalConfiguration.LIQUIBASE_SCHEMA_NAME.getKey(), "liquibase");
        ConnectionSettings production = Postgres15Server.freshDatabase("production");
        rows(production, "CREATE SCHEMA liquibase");
        Scope.child(liquibaseSchema, () -> liquibaseUpdate(production, TABLES));
        rows(
                production,
                "INSERT INTO owner VALUES (1, 'a')",
                "INSERT INTO model_metadata (name, version, owner_id) VALUES ('m', '1', 1), ('m', '1', 1)");
        master(TABLES + LABEL_NOT_NULL + UNIQUE_NAME_VERSION);
        List<String> before = state(production);

        SmokeResult smoke = smoke(); // on H2 and an empty PostgreSQL the history stays in the default schema
        SmokeResult result = Scope.child(liquibaseSchema, () -> rehearse(smoke, production));

        Map<?, ?> rehearsal = (Map<?, ?>) result.summary().get("rehearsal");
        assertEquals(1, rehearsal.get("historyRows"));
        assertEquals("yes", rehearsal.get("driftChecked"), () -> log.text());
        assertEquals(List.of(), rehearsal.get("drift"));
        assertEquals(
                List.of(
                        M + "::label-not-null::bob NOT NULL on owner.label: 0",
                        M
                                + "::unique-name-version::bob unique key uq_name_version on model_metadata(name, version): 2"),
                data(result));
        assertEquals(
                "unique key uq_name_version on model_metadata(name, version): 2 rows ((name, version): (m, 1), ...) in"
                        + " production would make it fail",
                single(result, RehearsalEngine.DATA).message());
        assertTrue(
                log.text().contains(" 1 history row (of liquibase.databasechangelog) into the smoke's PostgreSQL ("),
                log::text);
        assertEquals(before, state(production));
    }

    @Test
    void aPgDumpOlderThanProductionStopsTheRehearsalWithTheFix() throws Exception {
        // the PostgreSQL 17 test server: the machine's pg_dump 15 cannot read it
        ConnectionSettings production = PostgresServer.freshDatabase("production17");
        liquibaseUpdate(production, TABLES);
        master(TABLES + INDEX_NAME);
        SmokeResult smoke = smoke();
        RehearsalException e = assertThrows(RehearsalException.class, () -> rehearse(smoke, production));
        assertTrue(
                e.getMessage()
                        .startsWith("The rehearsal needs pg_dump 17 or newer to copy production's schema"
                                + " (PostgreSQL 17), and found only pg_dump 15 at "),
                e.getMessage());
        assertTrue(e.getMessage()
                .endsWith(
                        "Install the PostgreSQL 17 client (Debian: apt-get install postgresql-client-17) or set 'pgDump'"
                                + " (-Dmigration-safety.pgDump=/path/to/pg_dump) to a pg_dump of version 17 or newer; or turn"
                                + " the rehearsal off with -Dmigration-safety.rehearsal=false."));
        assertFalse(e.getMessage().contains(PostgresServer.PASSWORD));
    }

    @Test
    void aPgDumpThatFailsStopsTheRehearsalAndLeavesNoScratchDatabase() throws Exception {
        // the copy's database is made while pg_dump runs: when pg_dump fails first, it is dropped all the same. A
        // session on template1 holds CREATE DATABASE back (PostgreSQL waits up to 5 s for it to leave) until the fake
        // pg_dump has failed: the database is made after the failure, as on a busy server
        ConnectionSettings production = production(TABLES, "");
        master(TABLES + INDEX_NAME);
        Path failed = dir.resolve("pg_dump-failed");
        Path pgDump = dir.resolve("pg_dump");
        Files.writeString(
                pgDump,
                "#!/bin/sh\n"
                        + "if [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 15.18'; exit 0; fi\n"
                        + "echo 'pg_dump: error: query failed: ERROR:  out of shared memory' >&2\n"
                        + "touch '" + failed + "'; exit 1\n");
        Files.setPosixFilePermissions(pgDump, PosixFilePermissions.fromString("rwx------"));
        SmokeResult smoke = smoke();
        PostgresTarget scratch = postgres();
        List<String> before = scratchDatabases(scratch.connection());
        Connection onTemplate = DriverManager.getConnection(
                PostgresServer.url("template1"), PostgresServer.USER, PostgresServer.PASSWORD);
        Thread release = new Thread(() -> {
            try (onTemplate) {
                Await.until("the fake pg_dump to fail", () -> Files.exists(failed));
            } catch (Exception ignored) {
                // the session ends either way
            }
        });
        release.start();
        RehearsalException e = assertThrows(
                RehearsalException.class,
                () -> new RehearsalEngine(
                                new RehearsalConfig(
                                        source(),
                                        production,
                                        scratch,
                                        pgDump.toString(),
                                        dir.resolve("target/migration-safety/work"),
                                        Duration.ofSeconds(30),
                                        null,
                                        RehearsalConfig.DEFAULT_SAMPLES),
                                log,
                                null)
                        .run(smoke));
        release.join();
        assertTrue(
                e.getMessage()
                        .startsWith("pg_dump (" + pgDump + ") could not copy production's schema (exit code 1):"
                                + " pg_dump: error: query failed: ERROR:  out of shared memory."),
                e.getMessage());
        // a database still being made is seen only once it is: wait for the rehearsal's connections to end
        Sql.awaitNoOtherClients(scratch.connection(), "the rehearsal's connections to its server to end");
        assertEquals(before, scratchDatabases(scratch.connection()));
    }

    /** The rehearsal's databases on the smoke's server. */
    private static List<String> scratchDatabases(ConnectionSettings server) throws Exception {
        return Sql.rows(
                server,
                "SELECT coalesce(string_agg(datname, ',' ORDER BY datname), '') FROM pg_database"
                        + " WHERE datname LIKE 'migration_safety_%'");
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A production database on PostgreSQL 15: {@code applied} run by Liquibase's own update, then {@code byHand}. */
    private ConnectionSettings production(String applied, String byHand) throws Exception {
        ConnectionSettings production = Postgres15Server.freshDatabase("production");
        liquibaseUpdate(production, applied);
        if (!byHand.isEmpty()) {
            rows(production, byHand);
        }
        return production;
    }

    private void liquibaseUpdate(ConnectionSettings settings, String applied) throws Exception {
        master(applied);
        try (Connection connection = Databases.open(settings);
                DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(resources())) {
            Database database = database(connection);
            Scope.child(
                    Map.of("liquibase.analytics.enabled", false),
                    () -> new Liquibase(M, accessor, database).update(new Contexts(), new LabelExpression()));
        }
    }

    /**
     * Liquibase's own update of a full copy of production (schema and rows: CREATE DATABASE ... TEMPLATE): the
     * changeset it stops at, or {@code null}.
     */
    private String fullCopyFailsAt(ConnectionSettings production) throws Exception {
        String name = production.url().substring(production.url().lastIndexOf('/') + 1);
        String copy = name + "_full_copy";
        String admin = "jdbc:postgresql://localhost:" + Postgres15Server.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + copy + " TEMPLATE " + name);
        }
        String[] failed = {null};
        try (Connection connection = Databases.open(production.onPostgresDatabase(copy));
                DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(resources())) {
            Database database = database(connection);
            Liquibase liquibase = new Liquibase(M, accessor, database);
            liquibase.setChangeExecListener(new AbstractChangeExecListener() {
                @Override
                public void runFailed(ChangeSet changeSet, DatabaseChangeLog log, Database db, Exception e) {
                    failed[0] = changeSet.toString(false);
                }
            });
            try {
                Scope.child(
                        Map.of("liquibase.analytics.enabled", false),
                        () -> liquibase.update(new Contexts(), new LabelExpression()));
            } catch (Exception expected) {
                assertNotNull(failed[0], expected.toString());
            }
        }
        return failed[0];
    }

    private static Database database(Connection connection) throws Exception {
        ChangeLogHistoryServiceFactory.getInstance().resetAll();
        LockServiceFactory.getInstance().resetAll();
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
    }

    private static void rows(ConnectionSettings settings, String... statements) throws Exception {
        try (Connection c = Databases.open(settings);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private Path resources() {
        return dir.resolve("src/main/resources");
    }

    private void master(String changeSets) throws Exception {
        Path file = resources().resolve(M);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "databaseChangeLog:\n" + changeSets, StandardCharsets.UTF_8);
    }

    private ChangelogSource source() {
        return new ChangelogSource(
                resources(), M, Map.of(), null, null, "postgresql", getClass().getClassLoader());
    }

    /** The smoke from an empty database, on H2 and on the PostgreSQL 17 test server, without the impact trace. */
    private SmokeResult smoke() throws Exception {
        return smoke(postgres(), null);
    }

    private SmokeResult smoke(PostgresTarget postgres, SharedEmbeddedPostgres shared) throws Exception {
        return new SmokeEngine(
                        new SmokeConfig(
                                source(),
                                dir.resolve("target/migration-safety/migration.sql"),
                                dir.resolve("target/migration-safety/work"),
                                RollbackMode.OFF,
                                postgres,
                                List.of(),
                                List.of(),
                                null,
                                false,
                                Severity.ERROR,
                                new ImpactSettings(false, Map.of(), 1_000, 4_000, null)),
                        log,
                        shared)
                .run();
    }

    private static PostgresTarget postgres() {
        return new PostgresTarget(false, PostgresServer.freshDatabase("smoke"));
    }

    /** The smoke from an empty database, which must pass, then the rehearsal on {@code production}. */
    private SmokeResult smokeThenRehearse(ConnectionSettings production) throws Exception {
        return smokeThenRehearse(production, RehearsalConfig.DEFAULT_SAMPLES);
    }

    private SmokeResult smokeThenRehearse(ConnectionSettings production, int samples) throws Exception {
        SmokeResult smoke = smoke();
        assertTrue(smoke.passed(), () -> describe(smoke).toString());
        return rehearse(smoke, production, samples);
    }

    private SmokeResult rehearse(SmokeResult smoke, ConnectionSettings production) throws Exception {
        return rehearse(smoke, production, RehearsalConfig.DEFAULT_SAMPLES);
    }

    private SmokeResult rehearse(SmokeResult smoke, ConnectionSettings production, int samples) throws Exception {
        return rehearse(smoke, production, samples, postgres(), null);
    }

    private SmokeResult rehearse(
            SmokeResult smoke,
            ConnectionSettings production,
            int samples,
            PostgresTarget postgres,
            SharedEmbeddedPostgres shared)
            throws Exception {
        return new RehearsalEngine(
                        new RehearsalConfig(
                                source(),
                                production,
                                postgres,
                                null,
                                dir.resolve("target/migration-safety/work"),
                                Duration.ofSeconds(30),
                                null,
                                samples),
                        log,
                        shared)
                .run(smoke);
    }

    /**
     * Production's state: tables, columns, indexes, constraints, history rows and every table's rows (as text).
     */
    private static List<String> state(ConnectionSettings settings) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Connection c = Databases.open(settings);
                Statement s = c.createStatement()) {
            s.execute("SET search_path = public, liquibase"); // the history table, also where Liquibase keeps it apart
            for (String query : List.of(
                    "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '"
                            + " || coalesce(column_default, '') FROM information_schema.columns"
                            + " WHERE table_schema = 'public' ORDER BY 1",
                    "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
                    "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                            + " WHERE connamespace = 'public'::regnamespace ORDER BY 1",
                    "SELECT nspname FROM pg_namespace ORDER BY 1",
                    "SELECT id || ' ' || md5sum || ' ' || orderexecuted || ' ' || dateexecuted FROM databasechangelog"
                            + " ORDER BY orderexecuted",
                    "SELECT 'owner ' || coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM owner t",
                    "SELECT 'model_metadata ' || coalesce(string_agg(t::text, ';' ORDER BY t::text), '')"
                            + " FROM model_metadata t")) {
                try (ResultSet rs = s.executeQuery(query)) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            }
        }
        return lines;
    }
}
