package io.github.migrationsafety.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Sql;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Identifier validation against real H2 and PostgreSQL metadata, with each database's case rules. */
class SchemaCatalogTest {

    private static ConnectionSettings h2;
    private static ConnectionSettings postgres;

    @BeforeAll
    static void createSchemas() {
        h2 = H2Database.fresh("catalog");
        postgres = PostgresServer.freshDatabase("catalog");
        for (ConnectionSettings db : List.of(h2, postgres)) {
            Sql.run(
                    db,
                    "CREATE TABLE model_metadata (id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20))",
                    "CREATE TABLE \"MixedCase\" (\"Id\" INT PRIMARY KEY, \"select\" VARCHAR(10))",
                    "CREATE TABLE x (id INT)");
        }
    }

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2", h2), Arguments.of("postgres", postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void resolvesUnquotedNamesWithTheDatabasesFolding(String label, ConnectionSettings db) throws Exception {
        try (Connection c = Databases.open(db)) {
            SchemaCatalog catalog = SchemaCatalog.of(c);
            TableRef table = catalog.table("model_metadata", "table");
            String stored = label.equals("h2") ? "MODEL_METADATA" : "model_metadata";
            assertEquals(stored, table.name());
            assertEquals(table, catalog.table("MODEL_METADATA", "table"));
            assertEquals(table, catalog.table(table.schema() + ".model_metadata", "table"));
            assertEquals(
                    label.equals("h2") ? "\"PUBLIC\".\"MODEL_METADATA\"" : "\"public\".\"model_metadata\"",
                    table.sql());
            ColumnRef version = catalog.column(table, "Version", "keyColumns");
            assertEquals(label.equals("h2") ? "VERSION" : "version", version.name());
            assertEquals(
                    List.of(label.equals("h2") ? "ID" : "id"),
                    catalog.primaryKey(table).stream().map(ColumnRef::name).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void resolvesQuotedMixedCaseNamesAndKeywords(String label, ConnectionSettings db) throws Exception {
        try (Connection c = Databases.open(db)) {
            SchemaCatalog catalog = SchemaCatalog.of(c);
            TableRef table = catalog.table("\"MixedCase\"", "table");
            assertEquals("MixedCase", table.name());
            assertEquals("MixedCase", catalog.table("mixedcase", "table").name());
            assertEquals(
                    "\"select\"", catalog.column(table, "select", "keyColumns").sql());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void rejectsInjectionAndListsWhatExists(String label, ConnectionSettings db) throws Exception {
        try (Connection c = Databases.open(db)) {
            SchemaCatalog catalog = SchemaCatalog.of(c);
            DatabaseException e =
                    assertThrows(DatabaseException.class, () -> catalog.table("name; drop table x", "table"));
            String schema = label.equals("h2") ? "PUBLIC" : "public";
            String tables = label.equals("h2") ? "MODEL_METADATA, MixedCase, X" : "MixedCase, model_metadata, x";
            assertEquals(
                    "Parameter 'table': no table named 'name; drop table x' in schema " + schema + ". Existing: "
                            + tables + ". Use one of these names.",
                    e.getMessage());
            TableRef table = catalog.table("model_metadata", "table");
            DatabaseException column =
                    assertThrows(DatabaseException.class, () -> catalog.column(table, "name) OR 1=1 --", "keyColumns"));
            assertTrue(column.getMessage().startsWith("Parameter 'keyColumns': no column named "), column.getMessage());
            assertTrue(column.getMessage().contains("Existing: "), column.getMessage());
        }
        assertEquals(List.of("0"), Sql.rows(db, "SELECT COUNT(*) FROM x"));
    }
}
