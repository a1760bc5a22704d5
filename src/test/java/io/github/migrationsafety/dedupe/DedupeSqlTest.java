package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.TableRef;
import java.nio.file.Path;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The exact SQL a dedupe run sends, per dialect and configuration, without a database. */
class DedupeSqlTest {

    private static final String WHERE = "created_at < DATE '2025-01-01'";

    /** {@code model_metadata(id, name, created_at, version)}, keys (name, version), as the dialect stores the names. */
    static DedupeTarget target(Dialect dialect, boolean idIsPrimaryKey, boolean keepColumn, String where) {
        TableRef table = new TableRef(stored(dialect, "public"), stored(dialect, "model_metadata"), dialect);
        ColumnRef id = new ColumnRef(stored(dialect, "id"), Types.BIGINT, "bigint", false, dialect);
        ColumnRef name = new ColumnRef(stored(dialect, "name"), Types.VARCHAR, "varchar", true, dialect);
        ColumnRef createdAt = new ColumnRef(stored(dialect, "created_at"), Types.TIMESTAMP, "timestamp", true, dialect);
        ColumnRef version = new ColumnRef(stored(dialect, "version"), Types.INTEGER, "int", true, dialect);
        return new DedupeTarget(
                table,
                List.of(id, name, createdAt, version),
                List.of(name, version),
                id,
                idIsPrimaryKey,
                keepColumn ? createdAt : null,
                where,
                dialect);
    }

    private static String stored(Dialect dialect, String name) {
        return dialect == Dialect.H2 ? name.toUpperCase(Locale.ROOT) : name;
    }

    private static DedupeConfig config(String keep, boolean nullsDistinct) {
        return DedupeConfig.defaults("model_metadata", List.of("name", "version"), Path.of("dedupe-report.csv"), null)
                .withKeep(KeepRule.parse(keep))
                .withNullsDistinct(nullsDistinct);
    }

    @Test
    void h2LowestIdNullsDistinct() {
        DedupeTarget target = target(Dialect.H2, true, false, null);
        DedupeConfig config = config("lowest-id", true);
        assertEquals(
                "SELECT g.* FROM (SELECT s.*, DENSE_RANK() OVER (ORDER BY s.\"NAME\", s.\"VERSION\") AS "
                        + "ms_group FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY t.\"NAME\", t.\"VERSION\" ORDER BY "
                        + "t.\"ID\" ASC) AS ms_rank, LEAD(1) OVER (PARTITION BY t.\"NAME\", t.\"VERSION\" ORDER BY t.\"ID\" "
                        + "ASC) AS ms_next FROM \"PUBLIC\".\"MODEL_METADATA\" t WHERE t.\"NAME\" IS NOT NULL AND "
                        + "t.\"VERSION\" IS NOT NULL) s WHERE s.ms_rank > 1 OR s.ms_next IS NOT NULL) g ORDER BY "
                        + "g.\"NAME\", g.\"VERSION\", g.ms_rank",
                new PortableRanking(target, config).reportSql());
        assertEquals(
                "DELETE FROM \"PUBLIC\".\"MODEL_METADATA\" WHERE \"ID\" IN (SELECT ms_del FROM ms_dedupe_plan)",
                DedupeSql.delete(target));
        assertEquals(
                "CREATE LOCAL TEMPORARY TABLE ms_dedupe_plan ON COMMIT DROP TRANSACTIONAL AS SELECT t.\"ID\" AS ms_del,"
                        + " t.\"ID\" AS ms_kept FROM \"PUBLIC\".\"MODEL_METADATA\" t WHERE 1 = 0",
                DedupeSql.createPlan(target));
        assertEquals("INSERT INTO ms_dedupe_plan (ms_del, ms_kept) VALUES (?, ?)", DedupeSql.insertPair());
        assertEquals(List.of(), DedupeSql.preferIndexLookups(target, true));
        assertEquals(List.of(), DedupeSql.rankingSettings(target), "H2 has no parallel plans to allow");
        assertEquals(List.of(), NearDuplicateSql.searchSettings(target), "nor JIT compilation");
        assertEquals(List.of(), NearDuplicateSql.besideSettings(target), "nor parallel workers to hold back");
    }

    @Test
    void h2HighestIdInWhereScopeNullsNotDistinct() {
        DedupeTarget target = target(Dialect.H2, true, false, "CREATED_AT < DATE '2025-01-01'");
        assertEquals(
                "SELECT s.*, DENSE_RANK() OVER (ORDER BY s.\"NAME\", s.\"VERSION\") AS ms_group FROM (SELECT "
                        + "t.*, ROW_NUMBER() OVER (PARTITION BY t.\"NAME\", t.\"VERSION\" ORDER BY t.\"ID\" DESC) AS "
                        + "ms_rank, LEAD(1) OVER (PARTITION BY t.\"NAME\", t.\"VERSION\" ORDER BY t.\"ID\" DESC) AS "
                        + "ms_next FROM \"PUBLIC\".\"MODEL_METADATA\" t WHERE (CREATED_AT < DATE '2025-01-01')) s WHERE "
                        + "s.ms_rank > 1 OR s.ms_next IS NOT NULL",
                WindowRanking.ranked(target, config("highest-id", false), false));
    }

    @Test
    void postgresqlNewestInWhereScopeNullsNotDistinct() {
        DedupeTarget target = target(Dialect.POSTGRESQL, true, true, WHERE);
        DedupeConfig config = config("newest:created_at", false);
        assertEquals(
                "SELECT d.ms_group, t.\"name\", t.\"version\", t.\"id\", CASE WHEN d.ms_rank = 1 THEN 'KEEP' "
                        + "ELSE 'DELETE' END, t.\"created_at\" FROM (SELECT s.\"id\", s.\"name\", s.\"version\", s.ms_rank, "
                        + "s.ms_next, DENSE_RANK() OVER (ORDER BY s.\"name\", s.\"version\") AS ms_group FROM (SELECT "
                        + "t.\"id\", t.\"name\", t.\"version\", ROW_NUMBER() OVER (PARTITION BY t.\"name\", t.\"version\" "
                        + "ORDER BY t.\"created_at\" DESC NULLS LAST, t.\"id\" ASC) AS ms_rank, LEAD(1) OVER (PARTITION "
                        + "BY t.\"name\", t.\"version\" ORDER BY t.\"created_at\" DESC NULLS LAST, t.\"id\" ASC) AS ms_next "
                        + "FROM \"public\".\"model_metadata\" t WHERE (created_at < DATE '2025-01-01')) s WHERE "
                        + "s.ms_rank > 1 OR s.ms_next IS NOT NULL) d JOIN \"public\".\"model_metadata\" t ON t.\"id\" = "
                        + "d.\"id\" ORDER BY d.\"name\", d.\"version\", d.ms_rank",
                new WindowRanking(target, config).reportSql());
        assertEquals(
                "DELETE FROM \"public\".\"model_metadata\" t USING ms_dedupe_plan p WHERE t.\"id\" = p.ms_del",
                DedupeSql.delete(target));
        assertEquals(
                "CREATE TEMPORARY TABLE ms_dedupe_plan ON COMMIT DROP AS SELECT t.\"id\" AS ms_del, t.\"id\" AS"
                        + " ms_kept FROM \"public\".\"model_metadata\" t WHERE 1 = 0",
                DedupeSql.createPlan(target));
        assertEquals(
                List.of("SET LOCAL enable_hashjoin = off", "SET LOCAL enable_mergejoin = off"),
                DedupeSql.preferIndexLookups(target, true));
        assertEquals(
                List.of("SET LOCAL enable_hashjoin = on", "SET LOCAL enable_mergejoin = on"),
                DedupeSql.preferIndexLookups(target, false));
        assertEquals(
                "SELECT 1 FROM \"public\".\"model_metadata\" WHERE (created_at < DATE '2025-01-01') AND 1=0",
                DedupeSql.parseCheck(target.table(), WHERE));
    }

    @Test
    void postgresqlOldestWhenTheIdIsNotThePrimaryKeyRanksWholeRows() {
        DedupeTarget target = target(Dialect.POSTGRESQL, false, true, null);
        assertEquals(
                "SELECT g.ms_group, g.\"name\", g.\"version\", g.\"id\", CASE WHEN g.ms_rank = 1 THEN 'KEEP' "
                        + "ELSE 'DELETE' END, g.\"created_at\" FROM (SELECT s.*, DENSE_RANK() OVER (ORDER BY s.\"name\", "
                        + "s.\"version\") AS ms_group FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY t.\"name\", "
                        + "t.\"version\" ORDER BY t.\"created_at\" ASC NULLS LAST, t.\"id\" ASC) AS ms_rank, LEAD(1) OVER "
                        + "(PARTITION BY t.\"name\", t.\"version\" ORDER BY t.\"created_at\" ASC NULLS LAST, t.\"id\" ASC) "
                        + "AS ms_next FROM \"public\".\"model_metadata\" t WHERE t.\"name\" IS NOT NULL AND t.\"version\" IS "
                        + "NOT NULL) s WHERE s.ms_rank > 1 OR s.ms_next IS NOT NULL) g ORDER BY g.\"name\", "
                        + "g.\"version\", g.ms_rank",
                new WindowRanking(target, config("oldest:created_at", true)).reportSql());
        assertEquals(List.of(), DedupeSql.preferIndexLookups(target, true));
    }

    @Test
    void oneWayOfRankingIsChosenFromTheFacts() {
        DedupeConfig config = config("lowest-id", true);
        assertInstanceOf(PortableRanking.class, RankingWay.of(target(Dialect.H2, true, false, null), config, true));
        assertInstanceOf(
                SemiJoinRanking.class, RankingWay.of(target(Dialect.POSTGRESQL, true, false, WHERE), config, true));
        assertInstanceOf(
                WindowRanking.class,
                RankingWay.of(target(Dialect.POSTGRESQL, true, false, null), config, false),
                "statistics sample keys normalisation may change");
        assertInstanceOf(
                WindowRanking.class,
                RankingWay.of(target(Dialect.POSTGRESQL, false, false, null), config, true),
                "the id is not the primary key");
        assertInstanceOf(
                WindowRanking.class,
                RankingWay.of(target(Dialect.POSTGRESQL, true, false, null), config("lowest-id", false), true),
                "NULL keys equal");
    }

    @Test
    void nearDuplicatesCompareNormalisedTextKeys() {
        assertEquals(
                "WITH ms_changed AS (SELECT t.\"NAME\", t.\"VERSION\" FROM \"PUBLIC\".\"MODEL_METADATA\" t WHERE "
                        + "t.\"NAME\" IS NOT NULL AND t.\"VERSION\" IS NOT NULL AND (LOWER(TRIM(t.\"NAME\")) <> t.\"NAME\")) "
                        + "SELECT COUNT(*), MIN(d.\"NAME\"), MAX(d.\"NAME\"), MIN(d.\"VERSION\"), MAX(d.\"VERSION\") FROM "
                        + "(SELECT c.\"NAME\", c.\"VERSION\" FROM ms_changed c UNION SELECT t.\"NAME\", t.\"VERSION\" FROM "
                        + "\"PUBLIC\".\"MODEL_METADATA\" t WHERE t.\"NAME\" IS NOT NULL AND t.\"VERSION\" IS NOT NULL AND "
                        + "EXISTS (SELECT 1 FROM ms_changed c WHERE LOWER(TRIM(c.\"NAME\")) = t.\"NAME\" AND c.\"VERSION\" "
                        + "= t.\"VERSION\")) d GROUP BY LOWER(TRIM(d.\"NAME\")), d.\"VERSION\" HAVING COUNT(*) > 1 ORDER "
                        + "BY COUNT(*) DESC, 2, 3, 4, 5",
                NearDuplicateSql.groups(target(Dialect.H2, true, false, null)));
        assertEquals(
                "SELECT COUNT(*) FROM \"public\".\"model_metadata\" t WHERE t.\"name\" IS NOT NULL AND "
                        + "t.\"version\" IS NOT NULL AND (created_at < DATE '2025-01-01') AND (LOWER(t.\"name\" COLLATE "
                        + "\"C\") <> t.\"name\" OR OCTET_LENGTH(t.\"name\") <> CHAR_LENGTH(t.\"name\") OR t.\"name\" COLLATE "
                        + "\"C\" LIKE ' %' OR t.\"name\" COLLATE \"C\" LIKE '% ')",
                NearDuplicateSql.count(target(Dialect.POSTGRESQL, true, false, WHERE)));
    }

    @Test
    void referencesArePointedAtTheKeptRow() {
        Reference reference = new Reference(
                "fk_run_model",
                new TableRef("public", "training_run", Dialect.POSTGRESQL),
                new ColumnRef("model_id", Types.BIGINT, "int8", true, Dialect.POSTGRESQL),
                new ColumnRef("id", Types.BIGINT, "int8", false, Dialect.POSTGRESQL));
        assertEquals(
                "SELECT COUNT(*) FROM \"public\".\"training_run\" r WHERE r.\"model_id\" IN (SELECT ms_del FROM "
                        + "ms_dedupe_plan)",
                DedupeSql.referencedCount(reference));
        assertEquals(
                "SELECT r.\"id\", r.\"model_id\", p.ms_kept FROM \"public\".\"training_run\" r JOIN ms_dedupe_plan"
                        + " p ON r.\"model_id\" = p.ms_del ORDER BY 1",
                DedupeSql.repoints(reference));
        assertEquals(
                "UPDATE \"public\".\"training_run\" SET \"model_id\" = (SELECT p.ms_kept FROM ms_dedupe_plan p WHERE"
                        + " p.ms_del = \"public\".\"training_run\".\"model_id\") WHERE \"model_id\" IN (SELECT ms_del FROM"
                        + " ms_dedupe_plan)",
                DedupeSql.repoint(reference));
    }
}
