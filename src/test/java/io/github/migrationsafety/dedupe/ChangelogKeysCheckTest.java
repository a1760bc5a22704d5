package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.changelog.ChangelogException;
import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.changelog.ChangelogUniqueKeys;
import io.github.migrationsafety.changelog.UniqueKey;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keysFromChangelog: real Liquibase parsing of a real changelog, checked against real H2. */
class ChangelogKeysCheckTest {

    @TempDir
    Path dir;

    private static final String CHANGELOG = """
            databaseChangeLog:
              - changeSet:
                  id: unique-model
                  author: team
                  changes:
                    - addUniqueConstraint:
                        tableName: model_metadata
                        columnNames: name, version
              - changeSet:
                  id: unique-sidecar
                  author: team
                  changes:
                    - createIndex:
                        tableName: sidecar
                        indexName: ux_sidecar_path
                        unique: true
                        columns:
                          - column:
                              name: path
              - changeSet:
                  id: plain-index
                  author: team
                  changes:
                    - createIndex:
                        tableName: sidecar
                        indexName: ix_sidecar_model
                        columns:
                          - column:
                              name: model
            """;

    private ChangeLogKeysFixture fixture() throws Exception {
        Path root = dir.resolve("resources");
        Files.createDirectories(root.resolve("db/changelog"));
        Files.writeString(root.resolve("db/changelog/db.changelog-master.yaml"), CHANGELOG);
        ConnectionSettings settings = H2Database.fresh("changelog-keys");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(50), version VARCHAR(10))",
                "CREATE TABLE sidecar(id BIGINT PRIMARY KEY, path VARCHAR(50), model VARCHAR(50))",
                "INSERT INTO model_metadata VALUES (1, 'a', '1'), (2, 'a', '1'), (3, 'b', '1')",
                "INSERT INTO sidecar VALUES (1, 'x.json', 'a'), (2, 'x.json', 'a'), (3, 'y.json', 'a')");
        return new ChangeLogKeysFixture(root, settings);
    }

    private record ChangeLogKeysFixture(Path root, ConnectionSettings settings) {}

    private static ChangelogSource source(ChangeLogKeysFixture fixture, String file) {
        return new ChangelogSource(fixture.root(), file, Map.of(), "h2", ChangelogKeysCheckTest.class.getClassLoader());
    }

    @Test
    void readsTheUniqueKeysAChangelogAdds() throws Exception {
        ChangeLogKeysFixture fixture = fixture();
        List<UniqueKey> keys = ChangelogUniqueKeys.pending(
                        source(fixture, "db/changelog/db.changelog-master.yaml"), List.of(), new CapturingLog())
                .all();
        assertEquals(
                List.of(
                        UniqueKey.ofChangeSet(
                                "unique-model",
                                "team",
                                "db/changelog/db.changelog-master.yaml",
                                "model_metadata",
                                List.of("name", "version"),
                                "addUniqueConstraint"),
                        UniqueKey.ofChangeSet(
                                "unique-sidecar",
                                "team",
                                "db/changelog/db.changelog-master.yaml",
                                "sidecar",
                                List.of("path"),
                                "createIndex")),
                keys);
    }

    @Test
    void reportsDuplicatesForEveryPendingKeyAndSkipsAppliedChangesets() throws Exception {
        ChangeLogKeysFixture fixture = fixture();
        DedupeConfig base = DedupeConfig.defaults(
                "ignored", List.of("ignored"), dir.resolve("out/dedupe-report.csv"), dir.resolve("b"));
        try (Connection connection = Databases.open(fixture.settings())) {
            ChangelogKeysCheck.Result result = new ChangelogKeysCheck(connection, new CapturingLog())
                    .run(source(fixture, "db/changelog/db.changelog-master.yaml"), base);
            assertEquals(2, result.checked().size());
            List<String> messages =
                    result.findings().stream().map(Finding::message).toList();
            assertEquals(
                    List.of(
                            "changeset unique-model::team::db/changelog/db.changelog-master.yaml (addUniqueConstraint) would fail:"
                                    + " 1 duplicate group(s), 2 rows; 1 row(s) would be deleted (keep lowest-id)",
                            "changeset unique-sidecar::team::db/changelog/db.changelog-master.yaml (createIndex) would fail:"
                                    + " 1 duplicate group(s), 2 rows; 1 row(s) would be deleted (keep lowest-id)"),
                    messages);
            assertTrue(Files.exists(dir.resolve("out/dedupe-sidecar-path.csv")));
        }
        Sql.run(
                fixture.settings(),
                // the columns Liquibase 4 creates; the history is matched as Liquibase's update matches it
                "CREATE TABLE DATABASECHANGELOG(ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL,"
                        + " FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TIMESTAMP NOT NULL, ORDEREXECUTED INT NOT NULL,"
                        + " EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255),"
                        + " COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255),"
                        + " LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10))",
                "INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE)"
                        + " VALUES ('unique-sidecar', 'team', 'db/changelog/db.changelog-master.yaml',"
                        + " CURRENT_TIMESTAMP, 1, 'EXECUTED')");
        try (Connection connection = Databases.open(fixture.settings())) {
            ChangelogKeysCheck.Result result = new ChangelogKeysCheck(connection, new CapturingLog())
                    .run(source(fixture, "db/changelog/db.changelog-master.yaml"), base);
            assertEquals(
                    List.of("unique-model::team::db/changelog/db.changelog-master.yaml"),
                    result.checked().stream().map(c -> c.key().migration()).toList());
        }
    }

    @Test
    void aMissingChangelogSaysWhichParameterToFix() throws Exception {
        ChangeLogKeysFixture fixture = fixture();
        try (Connection connection = Databases.open(fixture.settings())) {
            String message = assertThrows(
                            ChangelogException.class,
                            () -> new ChangelogKeysCheck(connection, new CapturingLog())
                                    .run(
                                            source(fixture, "db/missing.yaml"),
                                            DedupeConfig.defaults("t", List.of("k"), dir.resolve("r.csv"), dir)))
                    .getMessage();
            assertEquals(
                    "Parameter 'changeLogFile': db/missing.yaml does not exist under "
                            + fixture.root().toAbsolutePath()
                            + ". Give the master changelog relative to 'changeLogDirectory', e.g."
                            + " db/changelog/db.changelog-master.yaml.",
                    message);
        }
    }
}
