package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.impact.rules.ForeignKeyWithoutIndex;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rules decide by what PostgreSQL did, not by how the change is written: the hazards of issue 25 written as
 * Liquibase change types, as {@code <sql>} changes and as a formatted-SQL changelog draw the same rules with the same
 * figures (lock, what it blocks, rewrite, scan).
 */
class ImpactSpellingsTest {

    /** How a changelog spells the same changes. */
    enum Spelling {
        CHANGE_TYPES,
        SQL,
        FORMATTED_SQL
    }

    private static final String SETUP = "CREATE TABLE parent (id BIGINT PRIMARY KEY);"
            + " CREATE TABLE model_metadata (id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20), v INT,"
            + " label VARCHAR(20), parent_id BIGINT);"
            + " INSERT INTO parent SELECT g FROM generate_series(1, 10) g;"
            + " INSERT INTO model_metadata SELECT g, 'm' || g, '1', g, 'x', 1 + g % 10 FROM generate_series(1, 20000) g";

    /** id, SQL, Liquibase change (YAML flow style). */
    private static final List<String[]> CHANGES = List.of(
            new String[] {
                "ix",
                "CREATE INDEX ix ON model_metadata (name)",
                "createIndex: {tableName: model_metadata, indexName: ix, columns: [{column: {name: name}}]}"
            },
            new String[] {
                "uq",
                "ALTER TABLE model_metadata ADD CONSTRAINT uq_name_version UNIQUE (name, version)",
                "addUniqueConstraint: {tableName: model_metadata, columnNames: \"name, version\","
                        + " constraintName: uq_name_version}"
            },
            new String[] {
                "bigint",
                "ALTER TABLE model_metadata ALTER COLUMN v TYPE bigint",
                "modifyDataType: {tableName: model_metadata, columnName: v, newDataType: BIGINT}"
            },
            new String[] {
                "not-null",
                "ALTER TABLE model_metadata ALTER COLUMN name SET NOT NULL",
                "addNotNullConstraint: {tableName: model_metadata, columnName: name, columnDataType: VARCHAR(100)}"
            },
            new String[] {
                "fk",
                "ALTER TABLE model_metadata ADD CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent(id)",
                "addForeignKeyConstraint: {baseTableName: model_metadata, baseColumnNames: parent_id,"
                        + " constraintName: fk_parent, referencedTableName: parent, referencedColumnNames: id}"
            },
            new String[] {
                "rename",
                "ALTER TABLE model_metadata RENAME COLUMN version TO model_version",
                "renameColumn: {tableName: model_metadata, oldColumnName: version, newColumnName: model_version,"
                        + " columnDataType: VARCHAR(20)}"
            },
            new String[] {
                "text",
                "ALTER TABLE model_metadata ALTER COLUMN label TYPE text",
                "modifyDataType: {tableName: model_metadata, columnName: label, newDataType: TEXT}"
            },
            new String[] {
                "new-table-index",
                "CREATE TABLE audit (id BIGINT); CREATE INDEX ix_audit ON audit (id)",
                "createTable: {tableName: audit, columns: [{column: {name: id, type: BIGINT}}]}\n"
                        + "        - createIndex: {tableName: audit, indexName: ix_audit, columns: [{column: {name: id}}]}"
            });

    /** What each changeset draws, whatever the spelling. */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "ix", List.of(ImpactRules.INDEX, ImpactRules.NO_LOCK_TIMEOUT),
            "uq", List.of(ImpactRules.NO_LOCK_TIMEOUT, ImpactRules.UNIQUE),
            "bigint", List.of(ImpactRules.NO_LOCK_TIMEOUT, ImpactRules.TYPE_REWRITE),
            "not-null", List.of(ImpactRules.NO_LOCK_TIMEOUT, ImpactRules.NOT_NULL),
            "fk", List.of(ImpactRules.VALIDATED, ForeignKeyWithoutIndex.ID, ImpactRules.NO_LOCK_TIMEOUT),
            "rename", List.of(ImpactRules.BREAKING, ImpactRules.NO_LOCK_TIMEOUT),
            // varchar to text rewrites nothing; a table created in the changeset has no clients
            "text", List.of(ImpactRules.NO_LOCK_TIMEOUT),
            "new-table-index", List.of());

    @TempDir
    static Path dir;

    static final Map<Spelling, SmokeResult> results = new EnumMap<>(Spelling.class);

    @BeforeAll
    static void run() throws Exception {
        for (Spelling spelling : Spelling.values()) {
            SmokeFixture fixture = new SmokeFixture(Files.createDirectory(dir.resolve(spelling.name())));
            if (spelling == Spelling.FORMATTED_SQL) {
                StringBuilder sql = new StringBuilder("--liquibase formatted sql\n\n--changeset alice:tables\n")
                        .append(SETUP.replace("; ", ";\n"))
                        .append(";\n");
                for (String[] change : CHANGES) {
                    sql.append("\n--changeset bob:")
                            .append(change[0])
                            .append("\n")
                            .append(change[1].replace("; ", ";\n"))
                            .append(";\n");
                }
                fixture.masterName("db/changelog/db.changelog-master.sql").master(sql.toString());
            } else {
                StringBuilder yaml = new StringBuilder("databaseChangeLog:\n");
                yaml.append(
                                "  - changeSet:\n      id: tables\n      author: alice\n      changes:\n        - sql: {sql: \"")
                        .append(SETUP)
                        .append("\"}\n");
                for (String[] change : CHANGES) {
                    yaml.append("  - changeSet:\n      id: ")
                            .append(change[0])
                            .append("\n      author: bob\n      changes:\n        - ")
                            .append(spelling == Spelling.SQL ? "sql: {sql: \"" + change[1] + "\"}" : change[2])
                            .append("\n");
                }
                fixture.master(yaml.toString());
            }
            fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("spell"));
            fixture.rollbackMode = RollbackMode.OFF;
            results.put(spelling, fixture.run());
        }
    }

    private static List<String> rules(Spelling spelling, String id) {
        return results.get(spelling).findings().stream()
                .filter(f -> f.subject().endsWith("::" + id + "::bob"))
                .map(Finding::rule)
                .filter(r -> r.startsWith("smoke.impact."))
                .sorted()
                .collect(Collectors.toList());
    }

    /** The figures of each traced table: lock, what it blocks, rewrite, scan (not the times). */
    private static List<String> figures(Spelling spelling, String id) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> impacts =
                (List<Map<String, Object>>) results.get(spelling).summary().get("impact");
        return impacts.stream()
                .filter(i -> ((String) i.get("changeset")).endsWith("::" + id + "::bob"))
                .map(i -> i.get("table") + " " + i.get("lock") + " blocks " + i.get("blocks") + " rewrite "
                        + i.get("rewrite") + " scan " + i.get("scan"))
                .sorted()
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Spelling.class)
    void eachHazardDrawsItsRuleWhateverTheSpelling(Spelling spelling) {
        assertEquals(List.of(), SmokeFixture.errors(results.get(spelling)));
        for (String[] change : CHANGES) {
            List<String> expected = EXPECTED.get(change[0]).stream().sorted().toList();
            assertEquals(expected, rules(spelling, change[0]), spelling + " " + change[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(Spelling.class)
    void theFiguresAreThoseOfTheLiquibaseChangeTwin(Spelling spelling) {
        for (String[] change : CHANGES) {
            assertEquals(
                    figures(Spelling.CHANGE_TYPES, change[0]),
                    figures(spelling, change[0]),
                    spelling + " " + change[0]);
        }
        assertEquals(
                List.of("model_metadata AccessExclusiveLock blocks reads and writes rewrite true scan true"),
                figures(spelling, "bigint"));
    }

    @Test
    void theHintKeepsTheChangesetsOwnForm() {
        Finding sqlFk = finding(Spelling.SQL, "fk", ImpactRules.VALIDATED);
        assertTrue(
                sqlFk.hint()
                        .startsWith("<sql>ALTER TABLE model_metadata ADD CONSTRAINT fk_parent FOREIGN KEY (parent_id)"
                                + " REFERENCES parent(id) NOT VALID</sql>, then in a later changeset <sql>ALTER TABLE"
                                + " model_metadata VALIDATE CONSTRAINT fk_parent</sql>"),
                sqlFk.hint());
        Finding twinFk = finding(Spelling.CHANGE_TYPES, "fk", ImpactRules.VALIDATED);
        assertTrue(twinFk.hint().startsWith("<addForeignKeyConstraint ... validate=\"false\"/>"), twinFk.hint());
        Finding index = finding(Spelling.FORMATTED_SQL, "ix", ImpactRules.INDEX);
        assertEquals(
                "--changeset bob:ix runInTransaction:false CREATE INDEX CONCURRENTLY ix ON model_metadata (name);",
                index.hint());
        Finding formattedFk = finding(Spelling.FORMATTED_SQL, "fk", ImpactRules.VALIDATED);
        assertTrue(
                formattedFk
                        .hint()
                        .startsWith("ALTER TABLE model_metadata ADD CONSTRAINT fk_parent FOREIGN KEY (parent_id)"
                                + " REFERENCES parent(id) NOT VALID, then in a later changeset ALTER TABLE"
                                + " model_metadata VALIDATE CONSTRAINT fk_parent"),
                formattedFk.hint());
        assertEquals(
                "builds index ix on existing table model_metadata without CONCURRENTLY (ShareLock, blocks writes,"
                        + " held ",
                index.message().substring(0, index.message().indexOf("held ") + 5));
        Finding type = finding(Spelling.SQL, "bigint", ImpactRules.TYPE_REWRITE);
        assertTrue(
                type.message()
                        .startsWith("changes model_metadata.v from integer to bigint, which rewrites the whole"
                                + " table (AccessExclusiveLock"),
                type.message());
        Finding rename = finding(Spelling.FORMATTED_SQL, "rename", ImpactRules.BREAKING);
        assertTrue(
                rename.message().startsWith("renames column model_metadata.version to model_version: "),
                rename.message());
    }

    private static Finding finding(Spelling spelling, String id, String rule) {
        return results.get(spelling).findings().stream()
                .filter(f ->
                        f.subject().endsWith("::" + id + "::bob") && f.rule().equals(rule))
                .findFirst()
                .orElseThrow(() -> new AssertionError(spelling + " " + id + " " + rule));
    }
}
