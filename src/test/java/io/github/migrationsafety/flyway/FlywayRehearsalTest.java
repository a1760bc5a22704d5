package io.github.migrationsafety.flyway;

import static io.github.migrationsafety.testsupport.RehearsalResults.data;
import static io.github.migrationsafety.testsupport.RehearsalResults.describe;
import static io.github.migrationsafety.testsupport.RehearsalResults.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.rehearsal.RehearsalConfig;
import io.github.migrationsafety.rehearsal.RehearsalEngine;
import io.github.migrationsafety.rehearsal.RehearsalReport;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.Postgres15Server;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rehearsal of Flyway migrations against a real production: a PostgreSQL 15 database (the version the machine's
 * pg_dump reads) built by Flyway's own migrate and then altered by hand. The smoke from an empty database passes, the
 * rehearsal (production's {@code flyway_schema_history} deciding what is pending) fails naming the cause, and
 * production is the same before and after.
 */
class FlywayRehearsalTest {

    private static final String V1 = """
            CREATE TABLE owner (id BIGINT PRIMARY KEY, label VARCHAR(20));
            CREATE TABLE model_metadata (
              id BIGSERIAL PRIMARY KEY,
              name VARCHAR(100) NOT NULL,
              version VARCHAR(20) DEFAULT '1.0',
              owner_id BIGINT
            );
            CREATE INDEX model_metadata_owner ON model_metadata (owner_id);
            """;

    @TempDir
    Path dir;

    private final CapturingLog log = new CapturingLog();

    /** The project's Flyway settings, for the smoke, the rehearsal and Flyway's own runs alike. */
    private Map<String, String> settings = Map.of();

    @Test
    void anUntouchedProductionShowsNoDriftNoDataFindingAndTheEmptySmokesVerdicts() throws Exception {
        ConnectionSettings production = production(
                "",
                "INSERT INTO owner VALUES (1, 'a'), (2, 'b')",
                "INSERT INTO model_metadata (name, version, owner_id) VALUES ('m', '1', 1), ('m', '2', 2), ('n', '1', NULL)");
        migration("V2__index_name.sql", "CREATE INDEX idx_name ON model_metadata (name);\n");
        migration("V3__label_not_null.sql", "ALTER TABLE owner ALTER COLUMN label SET NOT NULL;\n");
        migration(
                "V4__owner_fk.sql",
                "ALTER TABLE model_metadata ADD CONSTRAINT fk_owner FOREIGN KEY (owner_id) REFERENCES owner (id);\n");
        migration(
                "V5__unique_name_version.sql",
                "CREATE UNIQUE INDEX uq_name_version ON model_metadata (name, version);\n");
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
            assertEquals("passed", entry.get("empty"), entry.toString());
            assertEquals(entry.get("empty"), entry.get("rehearsal"), entry.toString());
        }
        assertEquals(
                List.of(
                        "db/migration/V3__label_not_null.sql NOT NULL on owner.label: 0",
                        "db/migration/V4__owner_fk.sql foreign key fk_owner model_metadata(owner_id) -> owner(id): 0",
                        "db/migration/V5__unique_name_version.sql unique key uq_name_version on"
                                + " model_metadata(name, version): 0"),
                data(result));
        assertTrue(log.text().contains("Rehearsal: pg_dump 15 ("), log.text());
        assertTrue(
                log.text().contains("Rehearsal: 4 pending migrations on production's schema: 4 passed, 0 failed"),
                log.text());
        assertTrue(
                log.text()
                        .contains("Rehearsal: drift: 0 differences between production's schema and what its 1"
                                + " applied migration makes"),
                log.text());
        assertFalse(log.text().contains(PostgresServer.PASSWORD));
        assertTrue(result.passed());
        assertEquals(null, fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void anIndexAddedByHandThatAPendingMigrationAlsoCreates() throws Exception {
        ConnectionSettings production = production("CREATE INDEX idx_name ON model_metadata (name)");
        migration("V2__index_name.sql", "CREATE INDEX idx_name ON model_metadata (name);\n");
        List<String> before = state(production);

        SmokeResult smoke = smoke(production);
        assertTrue(smoke.passed(), () -> describe(smoke).toString());
        SmokeResult result = rehearse(smoke, production);

        assertEquals(
                List.of("warning smoke.rehearsal.drift index idx_name on model_metadata: exists in production, but no"
                        + " applied migration makes it (expected missing, actual CREATE INDEX ON public.model_metadata"
                        + " USING btree (name))"),
                describe(result, RehearsalEngine.DRIFT));
        Finding failed = single(result, RehearsalEngine.FAILED);
        assertEquals("db/migration/V2__index_name.sql", failed.subject());
        assertTrue(
                failed.message()
                        .startsWith("fails on production's schema but passed on an empty database: ERROR: relation"
                                + " \"idx_name\" already exists"),
                failed.message());
        assertTrue(
                failed.message()
                        .endsWith(" - production's schema drifted: index idx_name on model_metadata exists in"
                                + " production, but no applied migration makes it (expected missing, production"
                                + " CREATE INDEX ON public.model_metadata USING btree (name))"),
                failed.message());
        assertFalse(result.passed());
        // the report speaks of migrations, as the log does: a Flyway project has no changesets
        assertEquals(
                List.of(
                        List.of("pending migration", "empty database", "production's schema", "why it failed"),
                        List.of("object", "applied migrations make", "production has", "why"),
                        List.of("migration", "check", "rows", "sample keys")),
                RehearsalReport.tables(result.summary()).stream()
                        .map(t -> t.headers())
                        .toList());
        assertEquals("db/migration/V2__index_name.sql", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aDriftFromAnAppliedMigrationEditedSinceProductionRanItNamesTheEdit() throws Exception {
        // V1 ran; then its file gained an index. Flyway refuses production's migrate (checksum), and the rebuild, which
        // runs today's file, makes an index production never had: the edit's, not a change by hand
        ConnectionSettings production = production("");
        migration("V1__tables.sql", V1 + "CREATE INDEX model_metadata_version ON model_metadata (version);\n");
        migration("V2__stage.sql", "ALTER TABLE model_metadata ADD COLUMN stage VARCHAR(20);\n");
        List<String> before = state(production);

        SmokeResult result = rehearse(smoke(production), production);

        List<String> drift = describe(result, RehearsalEngine.DRIFT);
        assertEquals(1, drift.size(), drift::toString);
        assertTrue(
                drift.get(0)
                        .startsWith("warning smoke.rehearsal.drift index model_metadata_version on model_metadata: is"
                                + " missing in production: the applied migrations make it: the applied migration"
                                + " db/migration/V1__tables.sql was edited since production ran it (checksum "),
                drift.get(0));
        assertTrue(
                drift.get(0).contains(" now), and the rebuild ran today's text (expected CREATE INDEX"), drift.get(0));
        assertTrue(single(result, RehearsalEngine.DRIFT)
                .hint()
                .startsWith("production keeps what the migration made when it ran: if today's text is what"
                        + " production should have, make the difference in a new migration"));
        assertEquals(before, state(production));
    }

    @Test
    void aDriftFromAMigrationNoLongerAmongTheProjectsNamesIt() throws Exception {
        // V2 ran in production and was then deleted from the project: nothing rebuilds its index; Flyway's history
        // names the migration but not its table, so every object only production has may be its
        ConnectionSettings production = production("");
        migration("V2__index_version.sql", "CREATE INDEX idx_version ON model_metadata (version);\n");
        migrate(production);
        Files.delete(dir.resolve("classes/db/migration/V2__index_version.sql"));
        migration("V3__stage.sql", "ALTER TABLE model_metadata ADD COLUMN stage VARCHAR(20);\n");
        List<String> before = state(production);

        SmokeResult result = rehearse(smoke(production), production);

        assertEquals(
                List.of("warning smoke.rehearsal.drift index idx_version on model_metadata: exists in production, but"
                        + " no applied migration makes it: production's history lists db/migration/V2__index_version.sql,"
                        + " no longer in the migrations, which may have made it (expected missing, actual CREATE INDEX"
                        + " ON public.model_metadata USING btree (version))"),
                describe(result, RehearsalEngine.DRIFT));
        assertEquals(before, state(production));
    }

    @Test
    void aColumnDroppedByHandThatAPendingMigrationUses() throws Exception {
        ConnectionSettings production = production("ALTER TABLE model_metadata DROP COLUMN version");
        migration("V2__index_version.sql", "CREATE INDEX idx_version ON model_metadata (version);\n");
        List<String> before = state(production);

        SmokeResult smoke = smoke(production);
        assertTrue(smoke.passed(), () -> describe(smoke).toString());
        SmokeResult result = rehearse(smoke, production);

        List<String> drift = describe(result, RehearsalEngine.DRIFT);
        assertTrue(
                drift.contains("warning smoke.rehearsal.drift column model_metadata.version: is missing in production:"
                        + " the applied migrations make it (expected character varying(20) NULL DEFAULT '1.0'::character"
                        + " varying, actual missing)"),
                drift.toString());
        Finding failed = single(result, RehearsalEngine.FAILED);
        assertEquals("db/migration/V2__index_version.sql", failed.subject());
        assertTrue(
                failed.message()
                        .startsWith("fails on production's schema but passed on an empty database: ERROR: column"
                                + " \"version\" does not exist"),
                failed.message());
        assertTrue(
                failed.message()
                        .contains(" - production's schema drifted: column model_metadata.version is missing in"
                                + " production"),
                failed.message());
        assertEquals("db/migration/V2__index_version.sql", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aMigrationMergedBelowOneProductionRanThatRenamedItsColumn() throws Exception {
        // production ran V1 and V3; V2 was merged afterwards, and the application's Flyway runs it with outOfOrder
        settings = Map.of("flyway.outOfOrder", "true");
        migration("V3__rename_label.sql", "ALTER TABLE owner RENAME COLUMN label TO title;\n");
        ConnectionSettings production = production("");
        migration("V2__index_label.sql", "CREATE INDEX idx_owner_label ON owner (label);\n");
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        // the rebuild runs what production ran (V1, V3), not the pending V2: no drift
        assertEquals(List.of(), describe(result, RehearsalEngine.DRIFT));
        assertTrue(
                log.text()
                        .contains("Rehearsal: drift: 0 differences between production's schema and what its 2"
                                + " applied migrations make"),
                log.text());
        Finding failed = single(result, RehearsalEngine.FAILED);
        assertEquals("db/migration/V2__index_label.sql", failed.subject());
        assertEquals(
                "fails on production's schema but passed on an empty database: ERROR: column \"label\" does not exist"
                        + " (line 1) - merge order: it comes before db/migration/V3__rename_label.sql, which production"
                        + " already ran; an empty database runs it before that migration, production after",
                failed.message());
        assertEquals(
                "give it a version above production's current one and write it against the schema"
                        + " db/migration/V3__rename_label.sql leaves",
                failed.hint());
        assertEquals("db/migration/V2__index_label.sql", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void inASchemaFlywayNamesTheDriftAndTheCountsAreThatSchemas() throws Exception {
        // flyway.schemas: the migrations work in app, not in the connection's public schema
        settings = Map.of("flyway.schemas", "app");
        ConnectionSettings production = production(
                "CREATE INDEX idx_by_hand ON app.owner (label)", "INSERT INTO app.owner VALUES (1, 'a'), (2, NULL)");
        migration("V2__label_not_null.sql", "ALTER TABLE owner ALTER COLUMN label SET NOT NULL;\n");

        SmokeResult result = smokeThenRehearse(production);

        List<String> drift = describe(result, RehearsalEngine.DRIFT);
        assertEquals(1, drift.size(), drift::toString);
        assertTrue(drift.get(0).contains("idx_by_hand"), drift.get(0));
        assertEquals(
                "NOT NULL on owner.label: 1 row (id: 2) in production would make it fail",
                single(result, RehearsalEngine.DATA).message());
        assertTrue(log.text().contains(" copied schema app of "), log::text);
    }

    @Test
    void inEverySchemaFlywayNamesTheDriftAndTheCountsAreLookedFor() throws Exception {
        // flyway.schemas=app,audit: audit is the migrations' too, though not their default schema
        settings = Map.of("flyway.schemas", "app,audit");
        migration("V2__audit.sql", "CREATE TABLE audit.event (id bigint PRIMARY KEY, note varchar(20));\n");
        ConnectionSettings production = production(
                "CREATE INDEX idx_note_by_hand ON audit.event (note)",
                "INSERT INTO audit.event VALUES (1, 'a'), (2, NULL)");
        migration("V3__note_not_null.sql", "ALTER TABLE audit.event ALTER COLUMN note SET NOT NULL;\n");

        SmokeResult smoke = smoke(production);
        assertTrue(smoke.passed(), () -> describe(smoke).toString());
        SmokeResult result = rehearse(smoke, production);

        assertEquals(
                List.of("warning smoke.rehearsal.drift index idx_note_by_hand on audit.event: exists in production, but"
                        + " no applied migration makes it (expected missing, actual CREATE INDEX ON audit.event USING"
                        + " btree (note))"),
                describe(result, RehearsalEngine.DRIFT));
        assertEquals(
                "NOT NULL on audit.event.note: 1 row (id: 2) in production would make it fail",
                single(result, RehearsalEngine.DATA).message());
    }

    @Test
    void nullsUnderAPendingSetNotNull() throws Exception {
        ConnectionSettings production =
                production("", "INSERT INTO owner VALUES (1, 'a'), (2, NULL), (3, NULL), (4, 'd')");
        // spelled as plain SQL: the rehearsal knows the constraint by what it did to the catalog
        migration("V2__label_not_null.sql", "ALTER TABLE owner ALTER COLUMN label SET NOT NULL;\n");
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result, RehearsalEngine.DRIFT));
        assertEquals(List.of(), describe(result, RehearsalEngine.FAILED));
        Finding data = single(result, RehearsalEngine.DATA);
        assertEquals(Severity.ERROR, data.severity());
        assertEquals("db/migration/V2__label_not_null.sql", data.subject());
        assertEquals("NOT NULL on owner.label: 2 rows (id: 2, 3) in production would make it fail", data.message());
        assertEquals(List.of("db/migration/V2__label_not_null.sql NOT NULL on owner.label: 2"), data(result));
        assertFalse(result.passed());
        assertEquals("db/migration/V2__label_not_null.sql", fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aSetNotNullAfterABackfillInTheSameMigrationIsNotCountedOnTodaysRows() throws Exception {
        ConnectionSettings production = production("", "INSERT INTO owner VALUES (1, 'a'), (2, NULL)");
        // a comment that names the table writes nothing; the quoted, qualified UPDATE does
        migration(
                "V2__label_backfilled.sql",
                "-- update owner later\nUPDATE \"public\".\"owner\" SET label = 'none' WHERE label IS NULL;\n"
                        + "ALTER TABLE owner ALTER COLUMN label SET NOT NULL;\n");
        List<String> before = state(production);

        SmokeResult result = smokeThenRehearse(production);

        assertEquals(List.of(), describe(result), () -> log.text());
        assertEquals(
                List.of("db/migration/V2__label_backfilled.sql NOT NULL on owner.label: not counted: the pending"
                        + " migration db/migration/V2__label_backfilled.sql changes rows of owner before it; production's"
                        + " current rows are not the ones it meets"),
                data(result));
        assertEquals(null, fullCopyFailsAt(production));
        assertEquals(before, state(production));
    }

    @Test
    void aFailedMigrationInProductionsHistoryIsFlywaysOwnRefusal() throws Exception {
        ConnectionSettings production = production("");
        try (Connection c = Databases.open(production);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (2, '2', 'broken', 'SQL',"
                    + " 'V2__broken.sql', 1, 'app', 1, false)");
        }
        migration("V2__broken.sql", "SELECT 1;\n");
        migration("V3__stage.sql", "ALTER TABLE model_metadata ADD COLUMN stage VARCHAR(20);\n");

        SmokeResult result = rehearse(smoke(production), production);

        Finding refused = single(result, RehearsalEngine.FAILED);
        assertEquals("classpath:db/migration", refused.subject());
        assertTrue(
                refused.message()
                        .startsWith("Flyway refused the update on production's schema: Validate failed: Migrations"
                                + " have failed validation Detected failed migration to version 2 (broken)."),
                refused.message());
    }

    /** Production: V1 migrated by Flyway, then {@code alteration} by hand, then {@code rows}. */
    private ConnectionSettings production(String alteration, String... rows) throws Exception {
        migration("V1__tables.sql", V1);
        ConnectionSettings production = Postgres15Server.freshDatabase("flyprod");
        migrate(production);
        try (Connection c = Databases.open(production);
                Statement s = c.createStatement()) {
            if (!alteration.isEmpty()) {
                s.execute(alteration);
            }
            for (String row : rows) {
                s.execute(row);
            }
        }
        return production;
    }

    /** Flyway's own migrate of {@code production} with the migrations written so far. */
    private void migrate(ConnectionSettings production) throws Exception {
        try (URLClassLoader loader = loader()) {
            new FlywaySource(List.of("db/migration"), settings, loader)
                    .configure()
                    .dataSource(production.url(), production.username(), production.password())
                    .load()
                    .migrate();
        }
    }

    /**
     * Flyway's own migrate of a full copy of production (schema and rows: CREATE DATABASE ... TEMPLATE): the migration
     * it stops at, or {@code null}.
     */
    private String fullCopyFailsAt(ConnectionSettings production) throws Exception {
        String name = production.url().substring(production.url().lastIndexOf('/') + 1);
        String copy = name + "_full_copy";
        try (Connection c = Databases.open(new ConnectionSettings(
                        "jdbc:postgresql://localhost:" + Postgres15Server.port() + "/postgres",
                        PostgresServer.USER,
                        PostgresServer.PASSWORD));
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + copy + " TEMPLATE " + name);
        }
        ConnectionSettings full = production.onPostgresDatabase(copy);
        try (URLClassLoader loader = loader()) {
            FlywaySource source = new FlywaySource(List.of("db/migration"), settings, loader);
            try {
                source.configure()
                        .dataSource(full.url(), full.username(), full.password())
                        .load()
                        .migrate();
                return null;
            } catch (FlywayMigrateException e) {
                return FlywayMigrations.of(source, e.getMigration()).key();
            }
        }
    }

    private URLClassLoader loader() throws Exception {
        return new URLClassLoader(
                new URL[] {dir.resolve("classes").toUri().toURL()}, getClass().getClassLoader());
    }

    private void migration(String name, String sql) throws Exception {
        Path file = dir.resolve("classes/db/migration").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, sql, StandardCharsets.UTF_8);
    }

    private SmokeResult smoke(ConnectionSettings production) throws Exception {
        try (URLClassLoader loader = loader()) {
            return new FlywaySmoke(
                            new FlywaySmokeConfig(
                                    new FlywaySource(List.of("db/migration"), settings, loader),
                                    "postgresql",
                                    dir.resolve("out/migration.sql"),
                                    dir.resolve("work"),
                                    new PostgresTarget(false, PostgresServer.freshDatabase("flysmoke")),
                                    List.of(),
                                    null,
                                    false,
                                    Severity.ERROR,
                                    production,
                                    false,
                                    List.of()),
                            log)
                    .run();
        }
    }

    /** The smoke with {@code production}'s URL, which must pass, then the rehearsal on it. */
    private SmokeResult smokeThenRehearse(ConnectionSettings production) throws Exception {
        SmokeResult smoke = smoke(production);
        assertTrue(smoke.passed(), () -> describe(smoke).toString());
        return rehearse(smoke, production);
    }

    private SmokeResult rehearse(SmokeResult smoke, ConnectionSettings production) throws Exception {
        try (URLClassLoader loader = loader()) {
            return new RehearsalEngine(
                            new RehearsalConfig(
                                    null,
                                    production,
                                    new PostgresTarget(false, PostgresServer.freshDatabase("flyscratch")),
                                    null,
                                    dir.resolve("work"),
                                    Duration.ofSeconds(30),
                                    null,
                                    RehearsalConfig.DEFAULT_SAMPLES),
                            log)
                    .run(smoke, new FlywayRehearsal(new FlywaySource(List.of("db/migration"), settings, loader)));
        }
    }

    /** Production's state: columns, indexes, constraints, history rows and every table's rows (as text). */
    private static List<String> state(ConnectionSettings settings) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Connection c = Databases.open(settings);
                Statement s = c.createStatement()) {
            for (String query : List.of(
                    "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '"
                            + " || coalesce(column_default, '') FROM information_schema.columns"
                            + " WHERE table_schema = 'public' ORDER BY 1",
                    "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
                    "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                            + " WHERE connamespace = 'public'::regnamespace ORDER BY 1",
                    "SELECT installed_rank || ' ' || coalesce(version, 'R') || ' ' || checksum || ' ' || success"
                            + " || ' ' || installed_on FROM flyway_schema_history ORDER BY installed_rank",
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
