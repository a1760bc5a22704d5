package io.github.migrationsafety.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.CapturingLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SidecarSignerTest {

    @TempDir
    Path models;

    ModelFixture fixture;
    CapturingLog log = new CapturingLog();

    @BeforeEach
    void setUp() {
        fixture = new ModelFixture(models);
    }

    SidecarResult sign(SigningMode mode, String key, boolean check) throws SidecarException {
        return new SidecarSigner(
                        new SignConfig(
                                models,
                                null,
                                null,
                                SidecarConfig.DEFAULT_SUFFIX,
                                mode,
                                ModelFixture.key(key),
                                2,
                                check,
                                null),
                        log)
                .run();
    }

    static String python(String style) {
        return PythonJsonTest.vectorFile("sidecar-files.json")
                .get("files")
                .get(style)
                .textValue();
    }

    static String checksumMember(String style, String text) {
        String checksum = PythonJson.checksum(List.of("age", "r\u00e9gion"));
        return switch (style) {
            case "indent2" -> "\n  \"feature_list_checksum\": \"" + checksum + "\",";
            case "indent4" -> "\n    \"feature_list_checksum\": \"" + checksum + "\",";
            default -> " \"feature_list_checksum\": \"" + checksum + "\",";
        };
    }

    /** Python wrote the file; with its checksum removed, sign must write back exactly what Python wrote. */
    @ParameterizedTest
    @ValueSource(strings = {"indent2", "indent4", "compact-default"})
    void insertsTheChecksumInTheFilesOwnStyle(String style) throws Exception {
        String original = python(style);
        String member = checksumMember(style, original);
        assertTrue(original.contains(member));
        fixture.file("churn.pkl", new byte[] {1});
        fixture.rawSidecar("churn.pkl", original.replace(member, ""));
        SidecarResult report = sign(SigningMode.OFF, null, false);
        assertTrue(report.passed(), report.findings().toString());
        assertEquals(original, Files.readString(fixture.sidecarPath("churn.pkl")));
        assertTrue(log.lines().contains("[INFO] Updated churn_metadata.json: feature_list_checksum"), log.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"indent2", "indent4", "compact-default"})
    void replacesAStaleChecksumInPlace(String style) throws Exception {
        String original = python(style);
        String stale = original.replace(PythonJson.checksum(List.of("age", "r\u00e9gion")), "0".repeat(64));
        fixture.file("churn.pkl", new byte[] {1});
        fixture.rawSidecar("churn.pkl", stale);
        sign(SigningMode.OFF, null, false);
        assertEquals(original, Files.readString(fixture.sidecarPath("churn.pkl")));
    }

    @Test
    void addsTheSignatureAfterTheChecksumAndTheResultVerifies() throws Exception {
        byte[] artifact = "model bytes".getBytes(StandardCharsets.UTF_8);
        fixture.file("churn.pkl", artifact);
        String original = python("indent2");
        fixture.rawSidecar("churn.pkl", original);
        sign(SigningMode.REQUIRED, ModelFixture.KEY, false);
        String checksumLine =
                "  \"feature_list_checksum\": \"" + PythonJson.checksum(List.of("age", "r\u00e9gion")) + "\",\n";
        assertEquals(
                original.replace(
                        checksumLine,
                        checksumLine + "  \"artifact_sig\": \"" + ModelFixture.hmac(artifact, ModelFixture.KEY)
                                + "\",\n"),
                Files.readString(fixture.sidecarPath("churn.pkl")));
        SidecarResult verified = new SidecarVerifier(fixture.config(SigningMode.REQUIRED, ModelFixture.KEY), log).run();
        assertEquals(List.of(), verified.findings());
        assertEquals(1, verified.summary().get("signaturesVerified"));
    }

    @Test
    void upToDateSidecarsAreNotRewritten() throws Exception {
        fixture.model("m.pkl", "m", "1");
        Path sidecar = fixture.sidecarPath("m.pkl");
        Files.setLastModifiedTime(sidecar, FileTime.fromMillis(1_000_000L));
        SidecarResult report = sign(SigningMode.REQUIRED, ModelFixture.KEY, false);
        assertEquals(0, report.summary().get("sidecarsUpdated"));
        assertEquals(1, report.summary().get("sidecarsUpToDate"));
        assertEquals(1_000_000L, Files.getLastModifiedTime(sidecar).toMillis());
    }

    @Test
    void checkListsChangesAndWritesNothing() throws Exception {
        fixture.file("churn.pkl", new byte[] {1});
        String stale = python("indent2").replace(PythonJson.checksum(List.of("age", "r\u00e9gion")), "0".repeat(64));
        fixture.rawSidecar("churn.pkl", stale);
        SidecarResult report = sign(SigningMode.AUTO, ModelFixture.KEY, true);
        assertTrue(report.passed());
        assertEquals(stale, Files.readString(fixture.sidecarPath("churn.pkl")));
        assertEquals(1, report.summary().get("sidecarsToUpdate"));
        assertTrue(
                log.lines().contains("[INFO] Would update churn_metadata.json: feature_list_checksum, artifact_sig"),
                log.text());
    }

    @Test
    void refusesWithoutFeatureListAndThenWritesNothingAtAll() throws Exception {
        fixture.file("good.pkl", new byte[] {1});
        String stale = python("indent2").replace(PythonJson.checksum(List.of("age", "r\u00e9gion")), "0".repeat(64));
        fixture.rawSidecar("good.pkl", stale);
        fixture.file("bad.pkl", new byte[] {2});
        fixture.rawSidecar("bad.pkl", "{\n  \"name\": \"bad\",\n  \"version\": \"1\"\n}\n");
        fixture.file("bare.onnx", new byte[] {3});
        SidecarResult report = sign(SigningMode.AUTO, ModelFixture.KEY, false);
        assertEquals(
                List.of(
                        "bad.pkl: sidecar bad_metadata.json has no 'feature_list'; refusing to sign an artifact whose input"
                                + " features are unknown Fix: Add \"feature_list\": [...] with the model's input feature names,"
                                + " then run sign again.",
                        "bare.onnx: has no sidecar bare_metadata.json; sign only completes sidecars and never invents a"
                                + " feature_list Fix: Write the sidecar with name, version and feature_list (the model service"
                                + " does), then run sign again, or exclude the artifact with <excludes>."),
                report.errors().stream()
                        .map(f -> new Finding(
                                        f.severity(),
                                        f.rule(),
                                        f.subject(),
                                        f.message(),
                                        f.expected(),
                                        f.actual(),
                                        f.hint(),
                                        null,
                                        0)
                                .describe())
                        .sorted()
                        .toList());
        assertEquals(stale, Files.readString(fixture.sidecarPath("good.pkl")));
        assertTrue(
                log.lines()
                        .contains("[WARNING] No sidecar was changed because some could not be signed; fix the"
                                + " problems below and run again"),
                log.text());
    }

    @Test
    void refusedLinksAndInvalidFeatureListsFailTheirCheckAndNothingIsWritten(@TempDir Path outside) throws Exception {
        fixture.model("good.pkl", "good", "1");
        String good = Files.readString(fixture.sidecarPath("good.pkl"));
        Files.writeString(
                fixture.sidecarPath("good.pkl"),
                good.replace(PythonJson.checksum(List.of("age", "income")), "0".repeat(64)));
        fixture.file("linked.pkl", new byte[] {1});
        Files.writeString(
                outside.resolve("linked_metadata.json"),
                "{\"name\": \"x\", \"version\": \"1\"," + " \"feature_list\": [\"a\"]}");
        Files.createSymbolicLink(fixture.sidecarPath("linked.pkl"), outside.resolve("linked_metadata.json"));
        fixture.file("dup.pkl", new byte[] {2});
        fixture.rawSidecar("dup.pkl", "{\"name\": \"dup\", \"version\": \"1\", \"feature_list\": [\"a\", \"a\"]}");
        fixture.file("empty.pkl", new byte[] {3});
        fixture.rawSidecar("empty.pkl", "{\"name\": \"empty\", \"version\": \"1\", \"feature_list\": []}");
        String before = Files.readString(fixture.sidecarPath("good.pkl"));
        SidecarResult report = sign(SigningMode.AUTO, ModelFixture.KEY, false);
        assertEquals(
                List.of(
                        "dup_metadata.json FAILED",
                        "empty_metadata.json FAILED",
                        "good_metadata.json PASSED",
                        "linked_metadata.json FAILED"),
                report.checks().stream().map(c -> c.name() + " " + c.outcome()).toList());
        assertEquals(
                List.of(
                        "sidecars.feature-duplicate dup.pkl",
                        "sidecars.feature-list-empty empty.pkl",
                        "sidecars.symlink-escape linked_metadata.json"),
                report.errors().stream()
                        .map(f -> f.rule() + " " + f.subject())
                        .sorted()
                        .toList());
        assertEquals(
                before, Files.readString(fixture.sidecarPath("good.pkl")), "nothing is written when any is refused");
        assertEquals(1, report.summary().get("sidecarsToUpdate"));
    }

    @Test
    void requiredWithoutKeyFailsBeforeAnything() {
        SidecarException e = assertThrows(SidecarException.class, () -> sign(SigningMode.REQUIRED, "", false));
        assertEquals(
                "signing=required but the environment variable MODEL_ARTIFACT_SIGNING_KEY is empty. Export the"
                        + " signing key in MODEL_ARTIFACT_SIGNING_KEY (or name another variable with 'signingKeyEnv'); no sidecar"
                        + " was changed.",
                e.getMessage());
    }

    @Test
    void keepsPermissionsAndLeavesNoTemporaryFiles() throws Exception {
        fixture.file("m.pkl", new byte[] {1});
        fixture.rawSidecar("m.pkl", "{\"name\": \"m\", \"version\": 1, \"feature_list\": [\"a\"], \"x\": 1e-05}");
        Path sidecar = fixture.sidecarPath("m.pkl");
        Files.setPosixFilePermissions(sidecar, PosixFilePermissions.fromString("rw-r--r--"));
        sign(SigningMode.AUTO, null, false);
        assertEquals(
                "{\"name\": \"m\", \"version\": 1, \"feature_list\": [\"a\"], \"feature_list_checksum\": \""
                        + PythonJson.checksum(List.of("a")) + "\", \"x\": 1e-05}",
                Files.readString(sidecar));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(sidecar)));
        try (Stream<Path> files = Files.list(models)) {
            assertEquals(
                    List.of("m.pkl", "m_metadata.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(
                log.lines()
                        .contains("[INFO] artifact_sig not written: MODEL_ARTIFACT_SIGNING_KEY is not set"
                                + " (signing=auto); only feature_list_checksum is computed"),
                log.text());
    }

    @Test
    void keyNeverInLogOrReport() throws Exception {
        fixture.file("m.pkl", new byte[] {1});
        fixture.rawSidecar("m.pkl", "{\"name\": \"m\", \"version\": \"1\", \"feature_list\": [\"a\"]}");
        SidecarResult report = sign(SigningMode.REQUIRED, ModelFixture.KEY, false);
        assertFalse(log.text().contains(ModelFixture.KEY));
        assertFalse(report.toString().contains(ModelFixture.KEY));
        assertFalse(Files.readString(fixture.sidecarPath("m.pkl")).contains(ModelFixture.KEY));
    }
}
