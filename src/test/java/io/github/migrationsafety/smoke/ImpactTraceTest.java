package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.impact.rules.ForeignKeyWithoutIndex;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production impact on a real PostgreSQL: the lock each change really takes, rewrites and scans, and the rules
 * they confirm or clear. One changelog exercises every rule; the assertions are what PostgreSQL did.
 */
class ImpactTraceTest {

    private static final String M = "db/changelog/db.changelog-master.yaml";

    @TempDir
    static Path dir;

    static SmokeResult result;

    @BeforeAll
    static void run() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master("""
                databaseChangeLog:
                  - changeSet:
                      id: tables
                      author: alice
                      changes:
                        - createTable:
                            tableName: model_metadata
                            columns:
                              - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                              - column: {name: name, type: VARCHAR(100), constraints: {nullable: false}}
                              - column: {name: version, type: VARCHAR(20)}
                              - column: {name: label, type: VARCHAR(20)}
                              - column: {name: hits, type: INT}
                              - column: {name: owner_id, type: BIGINT}
                        - createTable:
                            tableName: owner
                            columns:
                              - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                  - changeSet:
                      id: rows
                      author: alice
                      changes:
                        - sql: {sql: "INSERT INTO owner SELECT g FROM generate_series(1, 10) g"}
                        - sql: {sql: "INSERT INTO model_metadata SELECT g, 'm' || g, '1', 'x', g, 1 + g % 10 FROM generate_series(1, 100000) g"}
                      rollback:
                        - sql: {sql: "DELETE FROM model_metadata"}
                  - changeSet:
                      id: index-label
                      author: bob
                      changes:
                        - createIndex: {tableName: model_metadata, indexName: idx_label, columns: [{column: {name: label}}]}
                  - changeSet:
                      id: unique-name-version
                      author: bob
                      changes:
                        - addUniqueConstraint: {tableName: model_metadata, columnNames: "name, version", constraintName: uq_name_version}
                  - changeSet:
                      id: version-not-null
                      author: bob
                      changes:
                        - addNotNullConstraint: {tableName: model_metadata, columnName: version, columnDataType: VARCHAR(20)}
                  - changeSet:
                      id: hits-bigint
                      author: bob
                      changes:
                        - modifyDataType: {tableName: model_metadata, columnName: hits, newDataType: BIGINT}
                  - changeSet:
                      id: label-text
                      author: bob
                      changes:
                        - modifyDataType: {tableName: model_metadata, columnName: label, newDataType: TEXT}
                  - changeSet:
                      id: constant-default
                      author: bob
                      changes:
                        - addColumn: {tableName: model_metadata, columns: [{column: {name: tier, type: VARCHAR(10), defaultValue: gold}}]}
                  - changeSet:
                      id: volatile-default
                      author: bob
                      changes:
                        - addColumn: {tableName: model_metadata, columns: [{column: {name: salt, type: DOUBLE PRECISION, defaultValueComputed: "random()"}}]}
                  - changeSet:
                      id: owner-fk
                      author: bob
                      changes:
                        - addForeignKeyConstraint: {baseTableName: model_metadata, baseColumnNames: owner_id, constraintName: fk_owner, referencedTableName: owner, referencedColumnNames: id}
                  - changeSet:
                      id: rename-label
                      author: bob
                      changes:
                        - renameColumn: {tableName: model_metadata, oldColumnName: label, newColumnName: tag}
                  - changeSet:
                      id: new-table-and-index
                      author: bob
                      changes:
                        - createTable: {tableName: audit, columns: [{column: {name: id, type: BIGINT}}]}
                        - createIndex: {tableName: audit, indexName: idx_audit, columns: [{column: {name: id}}]}
                  - changeSet:
                      id: guarded-index
                      author: bob
                      changes:
                        - sql: {sql: "SET LOCAL lock_timeout = '3s'"}
                        - createIndex: {tableName: model_metadata, indexName: idx_hits, columns: [{column: {name: hits}}]}
                  - changeSet:
                      id: index-concurrently
                      author: bob
                      runInTransaction: false
                      changes:
                        - sql: {sql: "CREATE INDEX CONCURRENTLY idx_version ON model_metadata (version)"}
                      rollback:
                        - sql: {sql: "DROP INDEX CONCURRENTLY idx_version"}
                  - changeSet:
                      id: index-outside-transaction
                      author: bob
                      runInTransaction: false
                      changes:
                        - createIndex: {tableName: model_metadata, indexName: idx_name_tag, columns: [{column: {name: name}}, {column: {name: tag}}]}
                  - changeSet:
                      id: serial-and-drop
                      author: bob
                      changes:
                        - addColumn: {tableName: model_metadata, columns: [{column: {name: pepper, type: DOUBLE PRECISION, defaultValueComputed: "random()"}}]}
                        - dropColumn: {tableName: model_metadata, columnName: hits}
                """);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("impact"));
        fixture.rollbackMode = RollbackMode.OFF;
        result = fixture.run();
    }

    private static Map<String, Object> impact(String changeset, String table) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> impacts =
                (List<Map<String, Object>>) result.summary().get("impact");
        return impacts.stream()
                .filter(i -> i.get("changeset").equals(M + "::" + changeset)
                        && i.get("table").equals(table))
                .findFirst()
                .orElse(null);
    }

    private static List<String> rules(String changeset) {
        return result.findings().stream()
                .filter(f -> f.subject().equals(M + "::" + changeset))
                .map(Finding::rule)
                .filter(r -> r.startsWith("smoke.impact."))
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void theLocksPostgresqlReallyTakes() {
        assertEquals("ShareLock", impact("index-label::bob", "model_metadata").get("lock"));
        assertEquals("writes", impact("index-label::bob", "model_metadata").get("blocks"));
        assertEquals(
                "AccessExclusiveLock",
                impact("unique-name-version::bob", "model_metadata").get("lock"));
        assertEquals(
                "reads and writes",
                impact("unique-name-version::bob", "model_metadata").get("blocks"));
        assertEquals(
                "AccessExclusiveLock",
                impact("version-not-null::bob", "model_metadata").get("lock"));
        assertEquals(
                "ShareRowExclusiveLock",
                impact("owner-fk::bob", "model_metadata").get("lock"));
        assertEquals("ShareRowExclusiveLock", impact("owner-fk::bob", "owner").get("lock"));
        assertEquals(
                "AccessExclusiveLock",
                impact("rename-label::bob", "model_metadata").get("lock"));
    }

    @Test
    void changesetsOutsideATransactionAreWatchedFromASecondConnection() {
        // CONCURRENTLY takes a lock that blocks neither reads nor writes: nothing to flag
        assertEquals(
                "ShareUpdateExclusiveLock",
                impact("index-concurrently::bob", "model_metadata").get("lock"));
        assertEquals(
                "nothing", impact("index-concurrently::bob", "model_metadata").get("blocks"));
        assertEquals(List.of(), rules("index-concurrently::bob"));
        // the same plain index outside a transaction still blocks writes while it builds
        assertEquals(
                "ShareLock",
                impact("index-outside-transaction::bob", "model_metadata").get("lock"));
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules("index-outside-transaction::bob"));
    }

    @Test
    void rewritesAndScansAsPostgresqlDidThem() {
        assertEquals(true, impact("hits-bigint::bob", "model_metadata").get("rewrite"));
        assertEquals(false, impact("label-text::bob", "model_metadata").get("rewrite"));
        assertEquals(false, impact("constant-default::bob", "model_metadata").get("rewrite"));
        assertEquals(true, impact("volatile-default::bob", "model_metadata").get("rewrite"));
        assertEquals(true, impact("version-not-null::bob", "model_metadata").get("scan"));
        assertEquals(false, impact("version-not-null::bob", "model_metadata").get("rewrite"));
        assertEquals(true, impact("owner-fk::bob", "model_metadata").get("scan"));
    }

    @Test
    void eachRuleFiresWherePostgresqlConfirmsIt() {
        assertEquals(List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT), rules("index-label::bob"));
        assertEquals(List.of(ImpactRules.NO_LOCK_TIMEOUT, ImpactRules.UNIQUE), rules("unique-name-version::bob"));
        assertEquals(List.of(ImpactRules.NO_LOCK_TIMEOUT, ImpactRules.NOT_NULL), rules("version-not-null::bob"));
        assertEquals(List.of(ImpactRules.NO_LOCK_TIMEOUT, ImpactRules.TYPE_REWRITE), rules("hits-bigint::bob"));
        assertEquals(
                List.of(ImpactRules.NO_LOCK_TIMEOUT, ImpactRules.VOLATILE_DEFAULT), rules("volatile-default::bob"));
        // owner_id has no index: deletes from owner will read model_metadata in full
        assertEquals(
                List.of(ImpactRules.VALIDATED, ForeignKeyWithoutIndex.ID, ImpactRules.NO_LOCK_TIMEOUT),
                rules("owner-fk::bob"));
        assertEquals(List.of(ImpactRules.BREAKING, ImpactRules.NO_LOCK_TIMEOUT), rules("rename-label::bob"));
    }

    @Test
    void aRewriteIsPinnedOnTheChangeThatCausesItOnce() {
        // the random() default rewrites the table; the drop in the same changeset does not, and is
        // still the breaking change it is; the drop runs while the first change's AccessExclusiveLock is held, but
        // changes only the catalog, so it holds the lock no longer at production's size than here
        assertEquals(true, impact("serial-and-drop::bob", "model_metadata").get("rewrite"));
        assertEquals(
                List.of(ImpactRules.BREAKING, ImpactRules.NO_LOCK_TIMEOUT, ImpactRules.VOLATILE_DEFAULT),
                rules("serial-and-drop::bob"));
    }

    @Test
    void falsePositivesOfStaticRulesAreCleared() {
        // varchar to text and a constant default change no data: only the lock remains
        assertEquals(List.of(ImpactRules.NO_LOCK_TIMEOUT), rules("label-text::bob"));
        assertEquals(List.of(ImpactRules.NO_LOCK_TIMEOUT), rules("constant-default::bob"));
        // a table created in the same changeset has no clients yet
        assertEquals(List.of(), rules("new-table-and-index::bob"));
        // lock_timeout set by the changeset itself
        assertEquals(List.of(ImpactRules.INDEX), rules("guarded-index::bob"));
        assertTrue(
                result.findings().stream()
                        .noneMatch(f -> f.rule().startsWith("smoke.impact.") && f.severity() == Severity.ERROR),
                () -> String.valueOf(result.findings()));
    }

    @Test
    void aFindingNamesTheChangesetLineTableLockAndTheSafeLiquibase() {
        Finding unique = result.findings().stream()
                .filter(f -> f.rule().equals(ImpactRules.UNIQUE))
                .findFirst()
                .orElseThrow();
        assertEquals(M, unique.file());
        assertTrue(unique.line() > 0);
        assertTrue(
                unique.message()
                        .startsWith(
                                "adds a unique constraint on model_metadata(name, version) and builds its"
                                        + " index under AccessExclusiveLock (AccessExclusiveLock, blocks reads and writes, held "),
                unique.message());
        assertTrue(
                unique.hint()
                        .contains("runInTransaction=\"false\"><sql>CREATE UNIQUE INDEX CONCURRENTLY"
                                + " uq_name_version ON model_metadata (name, version)</sql>"),
                unique.hint());
        assertTrue(
                unique.hint().contains("ADD CONSTRAINT uq_name_version UNIQUE USING INDEX uq_name_version"),
                unique.hint());
    }
}
