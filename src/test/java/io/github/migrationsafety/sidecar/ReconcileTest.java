package io.github.migrationsafety.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Database ↔ sidecar reconciliation, both directions, on real H2 and real PostgreSQL. */
class ReconcileTest {

    @TempDir
    Path models;

    static ConnectionSettings database(String kind) {
        ConnectionSettings settings =
                kind.equals("h2") ? H2Database.fresh("reconcile") : PostgresServer.freshDatabase("reconcile");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata (id INTEGER PRIMARY KEY, name VARCHAR(100), version VARCHAR(20))",
                "INSERT INTO model_metadata VALUES (1, 'churn', '1'), (2, 'churn', '2'), (3, 'churn', '2'),"
                        + " (4, 'ranker', '7'), (5, 'fraud', '3')");
        return settings;
    }

    SidecarResult run(ConnectionSettings settings, String query) throws SidecarException {
        ModelFixture fixture = new ModelFixture(models);
        SidecarConfig base = fixture.config(SigningMode.OFF, null);
        return new SidecarVerifier(
                        new SidecarConfig(
                                models,
                                null,
                                null,
                                base.sidecarSuffix(),
                                base.signing(),
                                base.key(),
                                null,
                                null,
                                2,
                                new ReconcileConfig(settings, query),
                                null),
                        new CapturingLog())
                .run();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void reportsRowsWithoutArtifactsAndArtifactsWithoutRows(String kind) throws Exception {
        ConnectionSettings settings = database(kind);
        ModelFixture fixture = new ModelFixture(models);
        fixture.model("churn/1/model.pkl", "churn", "1");
        fixture.model("churn/2/model.pkl", "churn", "2");
        fixture.model("ranker/7/model.onnx", "ranker", "7");
        fixture.model("ranker/8/model.onnx", "ranker", "8");
        SidecarResult report = run(settings, null);
        assertEquals(
                List.of(
                        "row name 'fraud' version '3': the database lists this model but no artifact under modelsDirectory has a"
                                + " sidecar with name 'fraud' version '3' Fix: Deploy the artifact with its sidecar, or fix the row"
                                + " before the application tries to load the model.",
                        "ranker/8/model.onnx: its sidecar declares name 'ranker' version '8' but the query (SELECT name, version"
                                + " FROM model_metadata) returns no such row Fix: Insert the row the application needs, or remove"
                                + " the artifact if the model is retired."),
                report.findings().stream().map(f -> f.describe()).toList());
        assertEquals(4, report.summary().get("databaseModels"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void passesWhenBothSidesAgreeAndIntegerVersionsMatch(String kind) throws Exception {
        ConnectionSettings settings = database(kind);
        Sql.run(
                settings,
                "CREATE TABLE deployed (model VARCHAR(100), v INTEGER)",
                "INSERT INTO deployed VALUES ('churn', 2)");
        ModelFixture fixture = new ModelFixture(models);
        fixture.model("churn/2/model.pkl", "churn", "2");
        SidecarResult report = run(settings, "SELECT model, v FROM deployed");
        assertEquals(List.of(), report.findings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void nullRowsDuplicateModelsAndArtifactsWithOtherProblems(String kind) throws Exception {
        ConnectionSettings settings = database(kind);
        Sql.run(settings, "INSERT INTO model_metadata VALUES (6, 'ghost', NULL)");
        ModelFixture fixture = new ModelFixture(models);
        fixture.model("churn/1/model.pkl", "churn", "1");
        fixture.model("churn/2/model.pkl", "churn", "2");
        fixture.model("churn/2-copy/model.pkl", "churn", "2");
        fixture.model("ranker/7/model.onnx", "ranker", "7");
        fixture.file("ranker/7/model.bin", new byte[] {7}); // shares ranker/7/model_metadata.json: the same model
        fixture.model("fraud/3/model.pkl", "fraud", "3");
        // fraud's checksum is wrong: that is its own problem, and its row still has its artifact
        Path sidecar = models.resolve("fraud/3/model_metadata.json");
        Files.writeString(
                sidecar,
                Files.readString(sidecar)
                        .replaceAll(
                                "\"feature_list_checksum\" *: *\"[0-9a-f]+\"",
                                "\"feature_list_checksum\": \"" + "0".repeat(64) + "\""));
        SidecarResult report = run(settings, null);
        assertEquals(
                List.of(
                        "sidecars.checksum-mismatch fraud/3/model.pkl",
                        "sidecars.reconcile-duplicate-model churn/2/model.pkl: its sidecar churn/2/model_metadata.json"
                                + " declares name 'churn' version '2', as does churn/2-copy/model_metadata.json (of"
                                + " churn/2-copy/model.pkl); one database row cannot tell them apart",
                        "sidecars.reconcile-null row name 'ghost' version NULL: the query (SELECT name, version FROM"
                                + " model_metadata) returns a NULL name or version, which no sidecar can match"),
                report.findings().stream()
                        .map(f -> f.rule().equals("sidecars.checksum-mismatch")
                                ? f.rule() + " " + f.subject()
                                : f.rule() + " " + f.subject() + ": " + f.message())
                        .toList());
        assertEquals(5, report.summary().get("databaseModels"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void badQueryIsAConfigurationError(String kind) throws Exception {
        ConnectionSettings settings = database(kind);
        new ModelFixture(models).model("m.pkl", "m", "1");
        SidecarException oneColumn =
                assertThrows(SidecarException.class, () -> run(settings, "SELECT name FROM model_metadata"));
        assertEquals(
                "Parameter 'reconcileQuery': the query returns 1 column(s); it must return the model name and"
                        + " version as its first two columns, e.g. SELECT name, version FROM model_metadata.",
                oneColumn.getMessage());
        SidecarException missing =
                assertThrows(SidecarException.class, () -> run(settings, "SELECT a, b FROM no_such_table"));
        assertEquals(
                true,
                missing.getMessage()
                        .startsWith("Parameter 'reconcileQuery': the query 'SELECT a, b FROM"
                                + " no_such_table' failed on " + settings.safeUrl() + ": "),
                missing.getMessage());
        assertEquals(false, missing.getMessage().contains(PostgresServer.PASSWORD));
    }
}
