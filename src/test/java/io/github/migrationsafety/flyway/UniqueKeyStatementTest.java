package io.github.migrationsafety.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements that add a unique key, in the spellings PostgreSQL and H2 accept; every other statement adds none. */
class UniqueKeyStatementTest {

    private static UniqueKeyStatement.Key key(String table, String change, String... columns) {
        return new UniqueKeyStatement.Key(table, List.of(columns), change, null);
    }

    private static final String ADD = UniqueKeyStatement.ADD_UNIQUE;
    private static final String INDEX = UniqueKeyStatement.CREATE_UNIQUE_INDEX;

    @Test
    void alterTableAddUnique() {
        assertEquals(
                List.of(key("model_metadata", ADD, "name", "version")),
                UniqueKeyStatement.keys("ALTER TABLE model_metadata ADD CONSTRAINT uq_model UNIQUE (name, version)"));
        assertEquals(
                List.of(key("app.model_metadata", ADD, "name")),
                UniqueKeyStatement.keys("alter table if exists only app.model_metadata add unique (name)"));
        assertEquals(
                List.of(new UniqueKeyStatement.Key(
                        "\"App\".\"Model Metadata\"", List.of("\"Name\"", "version"), ADD, null, true)),
                UniqueKeyStatement.keys("-- the key\nALTER TABLE \"App\".\"Model Metadata\"\n"
                        + "  ADD CONSTRAINT \"uq\" UNIQUE NULLS NOT DISTINCT (\"Name\", version) /* 15+ */"));
        assertEquals(
                List.of(key("t", ADD, "a"), key("t", ADD, "b", "c")),
                UniqueKeyStatement.keys("ALTER TABLE t ADD CONSTRAINT x UNIQUE (a), ADD COLUMN d int DEFAULT (1),"
                        + " ADD UNIQUE (b, c) INCLUDE (d)"));
    }

    @Test
    void createUniqueIndex() {
        assertEquals(
                List.of(key("model_metadata", INDEX, "name", "version")),
                UniqueKeyStatement.keys("CREATE UNIQUE INDEX ux_model ON model_metadata (name, version)"));
        assertEquals(
                List.of(key("public.model_metadata", INDEX, "name", "version")),
                UniqueKeyStatement.keys("create unique index concurrently if not exists ux_model on only"
                        + " public.model_metadata using btree (name COLLATE \"C\" text_pattern_ops DESC NULLS LAST,"
                        + " version) INCLUDE (id) WITH (fillfactor = 90)"));
        assertEquals(List.of(key("t", INDEX, "a")), UniqueKeyStatement.keys("CREATE UNIQUE INDEX ON t(a)"));
        assertEquals(
                List.of(new UniqueKeyStatement.Key("t", List.of("a", "b"), INDEX, null, true)),
                UniqueKeyStatement.keys("CREATE UNIQUE INDEX ux ON t (a, b) NULLS NOT DISTINCT"));
    }

    @Test
    void expressionAndPartialIndexesAreSkippedWithTheReason() {
        assertEquals(
                List.of(new UniqueKeyStatement.Key(
                        "t", List.of(), INDEX, "it is an index over an expression, not over columns")),
                UniqueKeyStatement.keys("CREATE UNIQUE INDEX ux ON t (lower(name))"));
        assertEquals(
                List.of(new UniqueKeyStatement.Key(
                        "t", List.of(), INDEX, "it is an index over an expression, not over columns")),
                UniqueKeyStatement.keys("CREATE UNIQUE INDEX ux ON t ((a + b))"));
        assertEquals(
                List.of(new UniqueKeyStatement.Key(
                        "t", List.of(), INDEX, "it is a partial index (WHERE), unique only over some rows")),
                UniqueKeyStatement.keys("CREATE UNIQUE INDEX ux ON t (a) WHERE deleted_at IS NULL"));
    }

    @Test
    void otherStatementsAddNoKey() {
        for (String sql : List.of(
                "CREATE INDEX ix ON t (a)",
                "CREATE TABLE t (a int UNIQUE, b int, UNIQUE (a, b))",
                "ALTER TABLE t ADD COLUMN a int",
                "ALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY (a)",
                "ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX ux",
                "ALTER TABLE t DROP CONSTRAINT unique_a",
                "INSERT INTO t VALUES ('ALTER TABLE t ADD UNIQUE (a)')",
                "-- ALTER TABLE t ADD UNIQUE (a)\nSELECT 1")) {
            assertEquals(List.of(), UniqueKeyStatement.keys(sql), sql);
        }
    }
}
