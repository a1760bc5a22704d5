package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.impact.rules.CheckValidated;
import io.github.migrationsafety.impact.rules.DropIndexNotConcurrent;
import io.github.migrationsafety.impact.rules.EnumValueRenamed;
import io.github.migrationsafety.impact.rules.ExclusionConstraint;
import io.github.migrationsafety.impact.rules.GeneratedColumnRewrite;
import io.github.migrationsafety.impact.rules.LockHeldAcrossChanges;
import io.github.migrationsafety.impact.rules.ReindexNotConcurrent;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules added for issue 25, each on what PostgreSQL did to an existing table, written as {@code <sql>}, next to
 * the safe way of doing the same, which draws nothing (or only the lock_timeout warning, where a lock is taken).
 */
class ImpactRulesTest {

    private static final String NLT = ImpactRules.NO_LOCK_TIMEOUT;

    @TempDir
    static Path dir;

    static SmokeResult result;

    private static String changeset(String id, String sql) {
        return "  - changeSet:\n      id: " + id + "\n      author: bob\n      changes:\n        - sql: {sql: \"" + sql
                + "\"}\n";
    }

    private static String outside(String id, String sql) {
        return "  - changeSet:\n      id: " + id + "\n      author: bob\n      runInTransaction: false\n"
                + "      changes:\n        - sql: {sql: \"" + sql + "\"}\n";
    }

    @BeforeAll
    static void run() throws Exception {
        String yaml = "databaseChangeLog:\n"
                + changeset(
                        "tables",
                        "CREATE TYPE mood AS ENUM ('happy', 'sad');"
                                + " CREATE TABLE parent (id BIGINT PRIMARY KEY);"
                                + " CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(100), v INT, feeling mood,"
                                + " parent_id BIGINT);"
                                + " CREATE INDEX ix_v ON t (v); CREATE INDEX ix_w ON t (v, id);"
                                + " CREATE INDEX ix_name ON t (name); CREATE INDEX ix_parent ON t (parent_id);"
                                + " CREATE TABLE old_stuff (id BIGINT);"
                                + " CREATE TABLE purged (id BIGINT PRIMARY KEY, note TEXT);"
                                + " CREATE INDEX ix_purged_note ON purged (note);"
                                + " CREATE TABLE jobs (id BIGINT PRIMARY KEY);"
                                + " CREATE TABLE triggers (id BIGINT PRIMARY KEY, job_id BIGINT REFERENCES jobs (id));"
                                + " CREATE TABLE archive (id BIGINT PRIMARY KEY, note TEXT);"
                                + " CREATE TABLE events (id BIGINT, at DATE) PARTITION BY RANGE (at);"
                                + " CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO"
                                + " ('2025-01-01');"
                                + " CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO"
                                + " ('2026-01-01');"
                                + " INSERT INTO parent SELECT g FROM generate_series(1, 10) g;"
                                + " INSERT INTO t SELECT g, 'n' || g, g, 'happy', 1 + g % 10 FROM"
                                + " generate_series(1, 20000) g;"
                                + " INSERT INTO events SELECT g, DATE '2024-06-01' + (g % 400) FROM"
                                + " generate_series(1, 5000) g")
                + changeset("drop-index", "DROP INDEX ix_v")
                + outside("drop-index-concurrently", "DROP INDEX CONCURRENTLY ix_w")
                + changeset("reindex", "REINDEX INDEX ix_name")
                + outside("reindex-concurrently", "REINDEX INDEX CONCURRENTLY ix_name")
                + changeset("check", "ALTER TABLE t ADD CONSTRAINT ck_v CHECK (v > 0)")
                + changeset("check-not-valid", "ALTER TABLE t ADD CONSTRAINT ck_v2 CHECK (v < 1000000) NOT VALID")
                + changeset("check-validate", "ALTER TABLE t VALIDATE CONSTRAINT ck_v2")
                + changeset("exclusion", "ALTER TABLE t ADD CONSTRAINT ex_name EXCLUDE USING btree (name WITH =)")
                + changeset(
                        "fk-not-valid-indexed",
                        "ALTER TABLE t ADD CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) NOT"
                                + " VALID")
                + "  - changeSet:\n      id: held-longer\n      author: bob\n      changes:\n"
                + "        - sql: {sql: \"ALTER TABLE t ADD COLUMN note TEXT\"}\n"
                + "        - sql: {sql: \"UPDATE t SET note = 'x' WHERE id < 100\"}\n"
                + "  - changeSet:\n      id: held-briefly\n      author: bob\n      changes:\n"
                + "        - sql: {sql: \"ALTER TABLE t ADD COLUMN note3 TEXT\"}\n"
                + "        - sql: {sql: \"ALTER TABLE t ADD COLUMN note4 TEXT\"}\n"
                + "  - changeSet:\n      id: lock-last\n      author: bob\n      changes:\n"
                + "        - sql: {sql: \"SET LOCAL lock_timeout = '3s'\"}\n"
                + "        - sql: {sql: \"ALTER TABLE t ADD COLUMN note2 TEXT\"}\n"
                + changeset("serial", "ALTER TABLE t ADD COLUMN seq BIGSERIAL")
                + changeset("identity", "ALTER TABLE t ADD COLUMN ident BIGINT GENERATED ALWAYS AS IDENTITY")
                + changeset("generated", "ALTER TABLE t ADD COLUMN v2 BIGINT GENERATED ALWAYS AS (v * 2) STORED")
                + changeset("enum-rename", "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy'")
                + changeset("enum-add", "ALTER TYPE mood ADD VALUE 'calm'")
                + changeset("partitioned-index", "CREATE INDEX ix_events_at ON events (at)")
                + changeset("partitioned-index-parent-only", "CREATE INDEX ix_events_id ON ONLY events (id)")
                + outside("unique-index-concurrently", "CREATE UNIQUE INDEX CONCURRENTLY uq_name ON t (name)")
                + changeset("unique-using-index", "ALTER TABLE t ADD CONSTRAINT uq_name UNIQUE USING INDEX uq_name")
                + changeset("cluster", "CLUSTER t USING t_pkey")
                + changeset("truncate", "TRUNCATE purged")
                + outside("truncate-outside-a-transaction", "TRUNCATE purged")
                + outside(
                        "truncate-then-cluster-outside-a-transaction",
                        "TRUNCATE archive; CLUSTER archive USING archive_pkey")
                + outside(
                        "cluster-then-truncate-outside-a-transaction",
                        "CLUSTER purged USING purged_pkey; TRUNCATE purged")
                + changeset("truncate-twice", "TRUNCATE triggers CASCADE; TRUNCATE jobs CASCADE")
                + changeset("truncate-then-cluster", "TRUNCATE archive; CLUSTER archive USING archive_pkey")
                + changeset("drop-table", "DROP TABLE old_stuff");
        SmokeFixture fixture = new SmokeFixture(dir).master(yaml);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("rules"));
        fixture.rollbackMode = RollbackMode.OFF;
        result = fixture.run();
        assertEquals(List.of(), SmokeFixture.errors(result));
    }

    private static List<String> rules(String changeset) {
        return result.findings().stream()
                .filter(f -> f.subject().endsWith("::" + changeset + "::bob"))
                .map(Finding::rule)
                .filter(r -> r.startsWith("smoke.impact."))
                .sorted()
                .collect(Collectors.toList());
    }

    private static Finding finding(String changeset, String rule) {
        return result.findings().stream()
                .filter(f -> f.subject().endsWith("::" + changeset + "::bob")
                        && f.rule().equals(rule))
                .findFirst()
                .orElseThrow(() -> new AssertionError(changeset + " " + rule + ": " + rules(changeset)));
    }

    @Test
    void dropIndexNotConcurrent() {
        assertEquals(List.of(DropIndexNotConcurrent.ID, NLT), rules("drop-index"));
        assertEquals(
                "<changeSet id=\"drop-index\" author=\"bob\" runInTransaction=\"false\"><sql>DROP INDEX CONCURRENTLY"
                        + " ix_v</sql></changeSet>",
                finding("drop-index", DropIndexNotConcurrent.ID).hint());
        assertEquals(List.of(), rules("drop-index-concurrently"));
    }

    @Test
    void reindexNotConcurrent() {
        assertEquals(List.of(NLT, ReindexNotConcurrent.ID), rules("reindex"));
        assertTrue(finding("reindex", ReindexNotConcurrent.ID)
                .message()
                .startsWith("rebuilds index ix_name of t without CONCURRENTLY (ShareLock, blocks writes"));
        assertEquals(List.of(), rules("reindex-concurrently"));
    }

    @Test
    void checkValidated() {
        assertEquals(List.of(CheckValidated.ID, NLT), rules("check"));
        assertEquals(
                "<sql>ALTER TABLE t ADD CONSTRAINT ck_v CHECK ((v > 0)) NOT VALID</sql>, then in a later changeset"
                        + " <sql>ALTER TABLE t VALIDATE CONSTRAINT ck_v</sql> (it takes only ShareUpdateExclusiveLock)",
                finding("check", CheckValidated.ID).hint());
        // NOT VALID checks only new rows; VALIDATE later takes ShareUpdateExclusiveLock, which blocks no client
        assertEquals(List.of(NLT), rules("check-not-valid"));
        assertEquals(List.of(), rules("check-validate"));
    }

    @Test
    void exclusionConstraint() {
        assertEquals(List.of(ExclusionConstraint.ID, NLT), rules("exclusion"));
    }

    @Test
    void foreignKeyWithoutIndex() {
        // indexed and NOT VALID: neither the scan nor the missing index; ShareRowExclusiveLock still blocks writes
        assertEquals(List.of(NLT), rules("fk-not-valid-indexed"));
    }

    @Test
    void lockHeldAcrossChanges() {
        assertEquals(List.of(LockHeldAcrossChanges.ID, NLT), rules("held-longer"));
        assertTrue(finding("held-longer", LockHeldAcrossChanges.ID)
                .message()
                .matches("takes AccessExclusiveLock on t in change 1 of 2 \\(sql\\) and holds it while 1 more change"
                        + " run \\(\\d+ ms here\\), among them change 2 \\(sql\\), which reads or writes rows: .*"));
        // a later change to the catalog alone holds the lock for the same few milliseconds at any size
        assertEquals(List.of(NLT), rules("held-briefly"));
        assertEquals(List.of(), rules("lock-last"));
    }

    @Test
    void generatedColumnRewrite() {
        assertEquals(List.of(GeneratedColumnRewrite.ID, NLT), rules("serial"));
        assertEquals(List.of(GeneratedColumnRewrite.ID, NLT), rules("identity"));
        assertEquals(List.of(GeneratedColumnRewrite.ID, NLT), rules("generated"));
        assertTrue(finding("generated", GeneratedColumnRewrite.ID)
                .message()
                .startsWith("adds a stored generated column v2 to t, computed for every row, which rewrites"));
    }

    @Test
    void enumValueRenamed() {
        assertEquals(List.of(EnumValueRenamed.ID), rules("enum-rename"));
        assertTrue(finding("enum-rename", EnumValueRenamed.ID)
                .message()
                .startsWith("renames value 'sad' of enum mood to 'unhappy', used by t.feeling: "));
        // ADD VALUE takes no table lock and rewrites nothing on PostgreSQL 12+
        assertEquals(List.of(), rules("enum-add"));
    }

    @Test
    void anIndexOnAPartitionedTableIsReportedOnceWithoutConcurrently() {
        assertEquals(List.of(ImpactRules.INDEX, NLT), rules("partitioned-index"));
        String hint = finding("partitioned-index", ImpactRules.INDEX).hint();
        assertTrue(hint.contains("<sql>CREATE INDEX ix_events_at ON ONLY events (at)</sql>"), hint);
        assertTrue(hint.contains("ALTER INDEX ix_events_at ATTACH PARTITION"), hint);
        assertTrue(!hint.contains("ON events") && !hint.contains("CONCURRENTLY ix_events_at ON events"), hint);
        // the hint's first step: instant, and invalid until every partition's index is attached, which is not a
        // failed concurrent build (smoke.impact.invalid-index) nor an index build that blocks writes
        assertEquals(List.of(NLT), rules("partitioned-index-parent-only"));
    }

    @Test
    void aUniqueConstraintOnAnIndexBuiltConcurrentlyBuildsNothing() {
        assertEquals(List.of(), rules("unique-index-concurrently"));
        assertEquals(List.of(NLT), rules("unique-using-index"));
    }

    @Test
    void aConcurrentBuildThatFailedLeavesAnInvalidIndex(@TempDir Path own) throws Exception {
        // outside a transaction the failed build's index stays, INVALID, as it would in production
        SmokeFixture fixture = new SmokeFixture(own)
                .master("databaseChangeLog:\n"
                        + changeset(
                                "tables",
                                "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT);"
                                        + " INSERT INTO t SELECT g, g % 10 FROM generate_series(1, 100) g")
                        + outside("unique-index-fails", "CREATE UNIQUE INDEX CONCURRENTLY uq_v ON t (v)"));
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("invalid_index"));
        fixture.rollbackMode = RollbackMode.OFF;
        SmokeResult failed = fixture.run();
        Finding invalid = failed.findings().stream()
                .filter(f -> f.rule().equals(ImpactRules.INVALID_INDEX))
                .findFirst()
                .orElseThrow(() -> new AssertionError(failed.findings().toString()));
        assertEquals("db/changelog/db.changelog-master.yaml::unique-index-fails::bob", invalid.subject());
        assertTrue(invalid.message().startsWith("left index uq_v INVALID"), invalid.message());
        assertEquals(
                "<changeSet id=\"unique-index-fails-drop-invalid\" author=\"bob\" runInTransaction=\"false\"><sql>DROP"
                        + " INDEX CONCURRENTLY uq_v</sql></changeSet> then fix the cause (often duplicate rows for a"
                        + " unique index) and build it again",
                invalid.hint());
        assertTrue(
                failed.findings().stream()
                        .anyMatch(f -> f.rule().equals("smoke.changeset-failed")
                                && f.subject().equals(invalid.subject())),
                failed.findings()::toString);
    }

    @Test
    void anUnexplainedRewriteAndADroppedTable() {
        assertEquals(List.of(NLT, ImpactRules.REWRITE), rules("cluster"));
        assertEquals(List.of(ImpactRules.BREAKING, NLT), rules("drop-table"));
        // TRUNCATE gives the table a new file without reading a row: not a rewrite, as fast at any size
        assertEquals(List.of(NLT), rules("truncate"));
        // outside a transaction each statement commits and takes its counts of reads with it: the file nodes around
        // each TRUNCATE tell its new file from a rewrite's, and that it held AccessExclusiveLock, however brief (the
        // locks of a changeset outside a transaction are sampled)
        assertEquals(List.of(NLT), rules("truncate-outside-a-transaction"));
        assertTrue(
                finding("truncate-outside-a-transaction", NLT)
                        .message()
                        .startsWith("takes AccessExclusiveLock on purged with no lock_timeout"),
                () -> finding("truncate-outside-a-transaction", NLT).message());
        assertTrue(
                rules("truncate-then-cluster-outside-a-transaction").contains(ImpactRules.REWRITE),
                () -> rules("truncate-then-cluster-outside-a-transaction").toString());
        assertTrue(
                rules("cluster-then-truncate-outside-a-transaction").contains(ImpactRules.REWRITE),
                () -> rules("cluster-then-truncate-outside-a-transaction").toString());
        // triggers is truncated twice, the second time by jobs' CASCADE: two index builds on its one index, which
        // a rewrite (one read of the old file and one index build) would also give; each TRUNCATE's reads are its own
        assertEquals(List.of(NLT), rules("truncate-twice"));
        // a TRUNCATE's index builds are counted apart, not forgiven: the CLUSTER after it still reads the file
        assertEquals(List.of(NLT, ImpactRules.REWRITE), rules("truncate-then-cluster"));
    }
}
