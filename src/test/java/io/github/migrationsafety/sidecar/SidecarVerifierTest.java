package io.github.migrationsafety.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.GoalReport;
import io.github.migrationsafety.report.Redactor;
import io.github.migrationsafety.report.ReportWriter;
import io.github.migrationsafety.testsupport.CapturingLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarVerifierTest {

    @TempDir
    Path dir;

    Path models;
    ModelFixture fixture;
    CapturingLog log = new CapturingLog();

    @BeforeEach
    void setUp() throws Exception {
        models = Files.createDirectories(dir.resolve("models"));
        fixture = new ModelFixture(models);
    }

    SidecarResult run(SidecarConfig config) throws SidecarException {
        return new SidecarVerifier(config, log).run();
    }

    static List<String> described(SidecarResult report) {
        return report.findings().stream()
                .map(f -> f.severity().label() + " " + f.describe())
                .toList();
    }

    /** The finding lines without the trailing [file] marker, which holds a temp path. */
    static List<String> describedWithoutFiles(SidecarResult report) {
        return report.findings().stream()
                .map(f -> f.severity().label() + " "
                        + new Finding(
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
                .toList();
    }

    @Test
    void validSignedTreePasses() throws Exception {
        fixture.model("churn/v1/model.pkl", "churn", "1");
        fixture.model("churn/v2/model.pkl", "churn", "2");
        fixture.model("ranker.onnx", "ranker", "7");
        SidecarResult report = run(fixture.config(SigningMode.REQUIRED, ModelFixture.KEY));
        assertEquals(List.of(), described(report));
        assertTrue(report.passed());
        assertEquals(
                List.of("churn/v1/model.pkl", "churn/v2/model.pkl", "ranker.onnx"),
                report.checks().stream().map(Check::name).toList());
        assertEquals(3, report.summary().get("signaturesVerified"));
        assertEquals(3, report.summary().get("artifacts"));
    }

    @Test
    void tamperedArtifactFailsSignature() throws Exception {
        Path artifact = fixture.model("churn/v1/model.pkl", "churn", "1");
        Files.write(artifact, "tampered".getBytes(StandardCharsets.UTF_8));
        SidecarResult report = run(fixture.config(SigningMode.AUTO, ModelFixture.KEY));
        assertEquals(
                List.of("error churn/v1/model.pkl: artifact_sig in churn/v1/model_metadata.json does not verify:"
                        + " the artifact's bytes changed since it was signed, the signature was edited, or"
                        + " MODEL_ARTIFACT_SIGNING_KEY holds a different key Fix: Restore the artifact that was signed, or"
                        + " re-sign it with mvn migration-safety:sign if the new bytes are trusted."),
                described(report));
        assertEquals(Check.Outcome.FAILED, report.checks().get(0).outcome());
    }

    @Test
    void tamperedListIsReportedWithExpectedAndActual() throws Exception {
        fixture.model("m.pkl", "m", "1");
        ObjectNode sidecar = fixture.readSidecar("m.pkl");
        String stored = sidecar.get("feature_list_checksum").textValue();
        sidecar.putArray("feature_list").add("age").add("salary");
        fixture.sidecar("m.pkl", sidecar);
        SidecarResult report = run(fixture.config(SigningMode.OFF, null));
        assertEquals(
                List.of("error m.pkl: feature_list_checksum in m_metadata.json does not match its feature_list: it"
                        + " matches neither any other order of the same names nor the whitespace-trimmed names, so feature_list or the"
                        + " checksum was edited"
                        + " (expected " + PythonJson.checksum(List.of("age", "salary")) + ", actual " + stored
                        + ") Fix: If"
                        + " feature_list is right, recompute the checksum (mvn migration-safety:sign); otherwise restore the"
                        + " feature list the model was trained with."),
                describedWithoutFiles(report));
    }

    @Test
    void reorderedListIsRecognised() throws Exception {
        fixture.model("m.pkl", "m", "1", List.of("a", "b", "c", "d", "e"), new byte[] {1}, null);
        ObjectNode sidecar = fixture.readSidecar("m.pkl");
        sidecar.putArray("feature_list").add("c").add("a").add("e").add("b").add("d");
        fixture.sidecar("m.pkl", sidecar);
        Finding finding = run(fixture.config(SigningMode.OFF, null)).errors().get(0);
        assertEquals(
                "feature_list_checksum in m_metadata.json does not match its feature_list: the stored checksum"
                        + " matches the same names in a different order: feature_list was reordered after the checksum was"
                        + " computed (order matters to the model)",
                finding.message());
    }

    @Test
    void longReorderedListIsRecognisedWhenSorted() throws Exception {
        List<String> features = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            features.add("f" + (char) ('a' + i % 26) + i);
        }
        List<String> sorted = features.stream().sorted().toList();
        fixture.model("m.pkl", "m", "1", sorted, new byte[] {1}, null);
        editFeatureList("m.pkl", features);
        assertTrue(run(fixture.config(SigningMode.OFF, null))
                .errors()
                .get(0)
                .message()
                .endsWith("the stored checksum matches the same names in a different order: feature_list was reordered"
                        + " after the checksum was computed (order matters to the model)"));
    }

    /** {@code feature_0 ... feature_<n-1>} */
    static List<String> numberedFeatures(int n) {
        List<String> features = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            features.add("feature_" + i);
        }
        return features;
    }

    /** Replaces the sidecar's feature_list and keeps its checksum, as a hand edit does. */
    void editFeatureList(String artifact, List<String> features) {
        ObjectNode sidecar = fixture.readSidecar(artifact);
        sidecar.set("feature_list", ModelFixture.MAPPER.valueToTree(features));
        fixture.sidecar(artifact, sidecar);
    }

    @Test
    void twoSwappedNamesInALongListAreRecognised() throws Exception {
        List<String> features = numberedFeatures(40);
        fixture.model("m.pkl", "m", "1", features, new byte[] {1}, null);
        Collections.swap(features, 3, 17);
        editFeatureList("m.pkl", features);
        assertTrue(run(fixture.config(SigningMode.OFF, null))
                .errors()
                .get(0)
                .message()
                .endsWith("the stored checksum matches the same names in a different order: feature_list was reordered"
                        + " after the checksum was computed (order matters to the model)"));
    }

    @Test
    void theFallbackSaysWhichOrdersWereTried() throws Exception {
        for (int size : new int[] {40, 150}) {
            List<String> features = numberedFeatures(size);
            fixture.model("m" + size + ".pkl", "m", "1", features, new byte[] {1}, null);
            features.set(size - 1, "renamed");
            editFeatureList("m" + size + ".pkl", features);
        }
        List<String> messages = run(fixture.config(SigningMode.OFF, null)).errors().stream()
                .map(Finding::message)
                .toList();
        assertTrue(
                messages.get(0)
                        .contains(
                                ": it matches neither the sorted or reversed order (other orders of 150 names"
                                        + " were not tried) nor the whitespace-trimmed names, so feature_list or the checksum was edited"),
                messages.get(0));
        assertTrue(
                messages.get(1)
                        .contains(
                                ": it matches neither the sorted or reversed order, any order with two names"
                                        + " swapped, nor the whitespace-trimmed names, so feature_list or the checksum was edited"),
                messages.get(1));
    }

    @Test
    void whitespaceAroundNamesIsRecognised() throws Exception {
        fixture.model("m.pkl", "m", "1", List.of("age", "income"), new byte[] {1}, null);
        ObjectNode sidecar = fixture.readSidecar("m.pkl");
        sidecar.putArray("feature_list").add("age ").add("\tincome");
        fixture.sidecar("m.pkl", sidecar);
        assertEquals(
                "feature_list_checksum in m_metadata.json does not match its feature_list: the stored checksum"
                        + " matches the names with surrounding whitespace removed: whitespace was added to names in"
                        + " feature_list",
                run(fixture.config(SigningMode.OFF, null)).errors().get(0).message());
    }

    @Test
    void checksumWithDefaultSeparatorsIsRecognised() throws Exception {
        fixture.model("m.pkl", "m", "1", List.of("age", "income"), new byte[] {1}, null);
        ObjectNode sidecar = fixture.readSidecar("m.pkl");
        sidecar.put("feature_list_checksum", PythonJson.sha256Hex("[\"age\", \"income\"]"));
        fixture.sidecar("m.pkl", sidecar);
        assertEquals(
                "feature_list_checksum in m_metadata.json does not match its feature_list: the stored checksum was"
                        + " computed with json.dumps' default separators (\", \"), not separators=(\",\", \":\")",
                run(fixture.config(SigningMode.OFF, null)).errors().get(0).message());
    }

    @Test
    void missingAndOrphanSidecars() throws Exception {
        fixture.model("keep.pkl", "keep", "1");
        fixture.file("lonely.joblib", new byte[] {1});
        fixture.rawSidecar("gone.pkl", "{}");
        fixture.file("old/retired_metadata.json", "{}".getBytes(StandardCharsets.UTF_8));
        SidecarResult report = run(fixture.config(SigningMode.AUTO, ModelFixture.KEY));
        assertEquals(
                List.of(
                        "error lonely.joblib: has no sidecar lonely_metadata.json Fix: Write the sidecar (the model"
                                + " service does, or mvn migration-safety:sign once it has a feature_list), or exclude the artifact"
                                + " with <excludes>.",
                        "error gone_metadata.json: is a sidecar without an artifact: no file next to it matches the includes and"
                                + " has this base name Fix: Delete the stale sidecar, restore its artifact, or widen <includes> if"
                                + " the artifact has another extension.",
                        "error old/retired_metadata.json: is a sidecar without an artifact: no file next to it matches the"
                                + " includes and has this base name Fix: Delete the stale sidecar, restore its artifact, or widen"
                                + " <includes> if the artifact has another extension."),
                described(report));
    }

    @Test
    void excludedArtifactsAndTheirSidecarsAreIgnored() throws Exception {
        fixture.model("keep.pkl", "keep", "1");
        fixture.file("scratch/tmp.pkl", new byte[] {1});
        fixture.rawSidecar("scratch/tmp.pkl", "not json");
        SidecarConfig base = fixture.config(SigningMode.AUTO, ModelFixture.KEY);
        SidecarConfig config = new SidecarConfig(
                models,
                null,
                List.of("scratch/**"),
                base.sidecarSuffix(),
                base.signing(),
                base.key(),
                null,
                null,
                1,
                null,
                null);
        SidecarResult report = run(config);
        assertEquals(List.of(), described(report));
        assertEquals(1, report.checks().size());
    }

    @Test
    void invalidJsonNamesLineAndColumn() throws Exception {
        fixture.file("m.pkl", new byte[] {1});
        fixture.rawSidecar("m.pkl", "{\n  \"name\": \"m\",\n  \"version\": \"1\"\n  \"feature_list\": []\n}\n");
        Finding finding = run(fixture.config(SigningMode.OFF, null)).errors().get(0);
        assertEquals(
                "sidecar m_metadata.json is not valid JSON at line 4, column 3: Unexpected character ('\"' (code"
                        + " 34)): was expecting comma to separate Object entries",
                finding.message());
        assertEquals(4, finding.line());
        assertEquals(models.toRealPath().resolve("m_metadata.json").toString(), finding.file());
    }

    @Test
    void truncatedAndEmptyAndNonObjectJson() throws Exception {
        fixture.file("a.pkl", new byte[] {1});
        fixture.rawSidecar("a.pkl", "{\"name\": \"a\", \"feature_list\": [\"x\"");
        fixture.file("b.pkl", new byte[] {1});
        fixture.rawSidecar("b.pkl", "");
        fixture.file("c.pkl", new byte[] {1});
        fixture.rawSidecar("c.pkl", "[\"x\"]");
        fixture.file("d.pkl", new byte[] {1});
        fixture.rawSidecar("d.pkl", "{\"name\": \"d\", \"name\": \"e\"}");
        assertEquals(
                List.of(
                        "a.pkl: sidecar a_metadata.json is not valid JSON at line 1, column 35: Unexpected end-of-input:"
                                + " expected close marker for Array",
                        "b.pkl: sidecar b_metadata.json is not valid JSON at line 1, column 1: the file is empty",
                        "c.pkl: sidecar c_metadata.json must hold a JSON object with name, version, feature_list and"
                                + " feature_list_checksum",
                        "d.pkl: sidecar d_metadata.json is not valid JSON at line 1, column 21: Duplicate field 'name'"),
                run(fixture.config(SigningMode.OFF, null)).errors().stream()
                        .map(f -> f.subject() + ": " + f.message())
                        .toList());
    }

    @Test
    void wrongTypes() throws Exception {
        String checksum = PythonJson.checksum(List.of("x"));
        fixture.file("string-list.pkl", new byte[] {1});
        fixture.rawSidecar(
                "string-list.pkl",
                "{\"name\": \"a\", \"version\": \"1\", \"feature_list\": \"x\"," + " \"feature_list_checksum\": \""
                        + checksum + "\"}");
        fixture.file("numbers.pkl", new byte[] {1});
        fixture.rawSidecar(
                "numbers.pkl",
                "{\"name\": \"a\", \"version\": 2, \"feature_list\": [\"x\", 7, null],"
                        + " \"feature_list_checksum\": \"" + checksum + "\"}");
        fixture.file("empty.pkl", new byte[] {1});
        fixture.rawSidecar(
                "empty.pkl",
                "{\"name\": \"a\", \"version\": \"1\", \"feature_list\": []," + " \"feature_list_checksum\": \""
                        + checksum + "\"}");
        fixture.file("not-hex.pkl", new byte[] {1});
        fixture.rawSidecar(
                "not-hex.pkl",
                "{\"name\": \"a\", \"version\": \"1\", \"feature_list\": [\"x\"]," + " \"feature_list_checksum\": \""
                        + checksum.toUpperCase() + "\"}");
        fixture.file("no-name.pkl", new byte[] {1});
        fixture.rawSidecar("no-name.pkl", "{\"version\": [1], \"feature_list\": [\"x\", \"x\"]}");
        assertEquals(
                List.of(
                        "error empty.pkl: 'feature_list' in sidecar empty_metadata.json is empty; it must list the model's input"
                                + " features Fix: List the input feature names in the order the model was trained with.",
                        "error no-name.pkl: sidecar no-name_metadata.json has no 'name' Fix: Add \"name\" as the model service"
                                + " writes it.",
                        "error no-name.pkl: 'version' in sidecar no-name_metadata.json must be a non-empty string or an integer"
                                + " (expected string or integer, actual an array) Fix: Write \"version\" as the model service"
                                + " does, e.g. \"version\": \"3\".",
                        "error no-name.pkl: feature_list in sidecar no-name_metadata.json lists \"x\" twice (positions 0 and 1)"
                                + " Fix: Remove the repeated name; each input feature appears once.",
                        "error no-name.pkl: sidecar no-name_metadata.json has no 'feature_list_checksum' Fix: Run mvn"
                                + " migration-safety:sign to compute it, or let the model service write it.",
                        "error not-hex.pkl: 'feature_list_checksum' in sidecar not-hex_metadata.json must be 64 lowercase hex"
                                + " characters (a SHA-256) (expected 64 lowercase hex characters, actual a string \""
                                + checksum.toUpperCase()
                                + "\") Fix: Write the value in lowercase, as Python's hexdigest() does.",
                        "error numbers.pkl: feature_list[1] in sidecar numbers_metadata.json must be a string (expected string,"
                                + " actual a number 7) Fix: Quote the feature name; feature_list holds names, not values.",
                        "error numbers.pkl: feature_list[2] in sidecar numbers_metadata.json must be a string (expected string,"
                                + " actual null) Fix: Quote the feature name; feature_list holds names, not values.",
                        "error string-list.pkl: 'feature_list' in sidecar string-list_metadata.json must be a non-empty array of"
                                + " strings (expected array, actual a string \"x\") Fix: Write the model's input feature names"
                                + " as a JSON array, e.g. \"feature_list\": [\"age\", \"income\"]."),
                describedWithoutFiles(run(fixture.config(SigningMode.OFF, null))));
    }

    @Test
    void requiredKeyUnsetFailsBeforeReadingAnything() {
        SidecarConfig config = new ModelFixture(dir.resolve("does-not-exist")).config(SigningMode.REQUIRED, null);
        SidecarException e = assertThrows(SidecarException.class, () -> run(config));
        assertEquals(
                "signing=required but the environment variable MODEL_ARTIFACT_SIGNING_KEY is not set. Export the"
                        + " signing key in MODEL_ARTIFACT_SIGNING_KEY (or name another variable with 'signingKeyEnv'); no"
                        + " artifact was checked.",
                e.getMessage());
        SidecarConfig empty = new ModelFixture(dir.resolve("does-not-exist")).config(SigningMode.REQUIRED, "");
        assertTrue(assertThrows(SidecarException.class, () -> run(empty))
                .getMessage()
                .startsWith("signing=required but the environment variable MODEL_ARTIFACT_SIGNING_KEY is empty."));
    }

    @Test
    void missingSignatureIsAViolationOnlyWhenRequired() throws Exception {
        fixture.model("m.pkl", "m", "1", List.of("a"), new byte[] {1}, null);
        assertEquals(
                List.of("error m.pkl: sidecar m_metadata.json has no artifact_sig but signing=required Fix: Sign"
                        + " the artifact with the key in MODEL_ARTIFACT_SIGNING_KEY (mvn migration-safety:sign)."),
                described(run(fixture.config(SigningMode.REQUIRED, ModelFixture.KEY))));
        SidecarResult auto = run(fixture.config(SigningMode.AUTO, ModelFixture.KEY));
        assertTrue(auto.passed());
        assertEquals(
                List.of("warning m.pkl: sidecar m_metadata.json has no artifact_sig; the artifact is not signed Fix:"
                        + " Sign the artifact with the key in MODEL_ARTIFACT_SIGNING_KEY (mvn migration-safety:sign)."),
                described(auto));
    }

    @Test
    void autoWithoutKeySaysSignaturesAreNotVerified() throws Exception {
        Path artifact = fixture.model("m.pkl", "m", "1");
        Files.write(artifact, new byte[] {9});
        SidecarResult report = run(fixture.config(SigningMode.AUTO, null));
        assertTrue(report.passed());
        assertTrue(
                log.lines()
                        .contains("[INFO] Signatures not verified: MODEL_ARTIFACT_SIGNING_KEY is not set"
                                + " (signing=auto)"),
                log.text());
    }

    @Test
    void shortKeyWarnsAndStillVerifies() throws Exception {
        fixture.model("m.pkl", "m", "1", List.of("a"), new byte[] {1, 2}, "short-key");
        SidecarResult report = run(fixture.config(SigningMode.REQUIRED, "short-key"));
        assertTrue(report.passed());
        assertEquals(
                List.of("warning MODEL_ARTIFACT_SIGNING_KEY: the signing key is shorter than 32 bytes Fix: Use at"
                        + " least 32 random bytes, e.g. the output of: openssl rand -hex 32"),
                described(report));
        assertEquals(1, report.summary().get("signaturesVerified"));
    }

    @Test
    void nonAsciiKeyVerifies() throws Exception {
        String key = "clé-secrète-密钥-\uD83D\uDD11-0123456789abcdef";
        fixture.model("m.pkl", "m", "1", List.of("a"), new byte[] {1, 2, 3}, key);
        SidecarResult report = run(fixture.config(SigningMode.REQUIRED, key));
        assertEquals(List.of(), described(report));
        assertEquals(1, report.summary().get("signaturesVerified"));
    }

    @Test
    void zeroByteArtifactVerifies() throws Exception {
        fixture.model("empty.bin", "empty", "1", List.of("a"), new byte[0], ModelFixture.KEY);
        SidecarResult report = run(fixture.config(SigningMode.REQUIRED, ModelFixture.KEY));
        assertEquals(List.of(), described(report));
        assertEquals(0L, report.summary().get("bytesHashed"));
    }

    @Test
    void seededSampleIsReproducibleAndListed() throws Exception {
        List<String> tampered = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path artifact = fixture.model(String.format("m%02d.pkl", i), "m" + i, "1");
            Files.write(artifact, new byte[] {(byte) i});
            tampered.add(String.format("m%02d.pkl", i));
        }
        SidecarConfig base = fixture.config(SigningMode.REQUIRED, ModelFixture.KEY);
        SidecarConfig seeded = new SidecarConfig(
                models, null, null, base.sidecarSuffix(), base.signing(), base.key(), 5, 42L, 2, null, null);
        SidecarResult first = run(seeded);
        SidecarResult second = run(seeded);
        @SuppressWarnings("unchecked")
        List<String> sample = (List<String>) first.summary().get("sampledArtifacts");
        assertEquals(5, sample.size());
        assertEquals(sample, second.summary().get("sampledArtifacts"));
        assertEquals(42L, first.summary().get("sampleSeed"));
        // every artifact is tampered, so exactly the sampled ones fail: the sample is what was hashed
        assertEquals(sample, first.errors().stream().map(Finding::subject).toList());
        assertEquals(5, first.summary().get("signaturesVerified"));
        assertTrue(
                log.lines()
                        .contains("[INFO] Verifying signatures of a sample of 5 of 20 artifacts (seed 42; replay"
                                + " with -Dmigration-safety.sampleSeed=42)"),
                log.text());
        SidecarConfig other = new SidecarConfig(
                models, null, null, base.sidecarSuffix(), base.signing(), base.key(), 5, 43L, 2, null, null);
        assertFalse(sample.equals(run(other).summary().get("sampledArtifacts")));
        // Collections.shuffle and java.util.Random are specified exactly, so this sample is the same on every JVM
        assertEquals(
                List.of("m05.pkl", "m13.pkl", "m14.pkl", "m15.pkl", "m16.pkl"),
                List.copyOf(SignatureSample.choose(tampered, 5, 42L)));
    }

    @Test
    void anUnseededSampleLogsAndStoresItsSeedSoItReplays() throws Exception {
        for (int i = 0; i < 12; i++) {
            fixture.model(String.format("m%02d.pkl", i), "m" + i, "1");
        }
        SidecarConfig base = fixture.config(SigningMode.REQUIRED, ModelFixture.KEY);
        SidecarResult first = run(new SidecarConfig(
                models, null, null, base.sidecarSuffix(), base.signing(), base.key(), 3, null, 2, null, null));
        long seed = (Long) first.summary().get("sampleSeed");
        assertTrue(
                log.lines()
                        .contains("[INFO] Verifying signatures of a sample of 3 of 12 artifacts (seed " + seed
                                + "; replay with -Dmigration-safety.sampleSeed=" + seed + ")"),
                log.text());
        SidecarResult replay = run(new SidecarConfig(
                models, null, null, base.sidecarSuffix(), base.signing(), base.key(), 3, seed, 2, null, null));
        assertEquals(first.summary().get("sampledArtifacts"), replay.summary().get("sampledArtifacts"));
    }

    @Test
    void symlinksLeavingTheDirectoryAreRefused() throws Exception {
        Path outside = Files.write(dir.resolve("secret.pkl"), new byte[] {1});
        Files.createSymbolicLink(models.resolve("escape.pkl"), outside);
        fixture.file("inside.pkl", new byte[] {2});
        Files.write(dir.resolve("outside_metadata.json"), "{}".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(models.resolve("inside_metadata.json"), dir.resolve("outside_metadata.json"));
        fixture.model("ok/real.pkl", "real", "1");
        Files.createSymbolicLink(models.resolve("ok/alias.pkl"), models.resolve("ok/real.pkl"));
        Files.copy(fixture.sidecarPath("ok/real.pkl"), fixture.sidecarPath("ok/alias.pkl"));
        SidecarResult report = run(fixture.config(SigningMode.REQUIRED, ModelFixture.KEY));
        Path real = dir.toRealPath();
        assertEquals(
                List.of(
                        "error escape.pkl: is a symbolic link to " + real.resolve("secret.pkl")
                                + ", outside modelsDirectory "
                                + real.resolve("models")
                                + "; it was not read Fix: Copy the file into modelsDirectory or remove"
                                + " the link; links may only point inside it.",
                        "error inside_metadata.json: is a symbolic link to " + real.resolve("outside_metadata.json")
                                + ", outside modelsDirectory " + real.resolve("models")
                                + "; it was not read Fix: Copy the file"
                                + " into modelsDirectory or remove the link; links may only point inside it."),
                described(report).stream().sorted().toList());
        assertEquals(
                List.of("inside.pkl", "ok/alias.pkl", "ok/real.pkl"),
                report.checks().stream().map(Check::name).toList());
        assertEquals(Check.Outcome.FAILED, report.checks().get(0).outcome());
        assertEquals(2, report.summary().get("signaturesVerified"));
    }

    @Test
    void directoryLinksLeavingTheDirectoryAreRefused() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared/v1"));
        Files.write(shared.resolve("model.pkl"), new byte[] {1});
        Files.createSymbolicLink(models.resolve("linked"), dir.resolve("shared"));
        fixture.model("own/v1/model.pkl", "own", "1");
        Files.createSymbolicLink(models.resolve("alias"), models.resolve("own"));
        SidecarResult report = run(fixture.config(SigningMode.REQUIRED, ModelFixture.KEY));
        Path real = dir.toRealPath();
        assertEquals(
                List.of("error linked: is a symbolic link to " + real.resolve("shared") + ", outside"
                        + " modelsDirectory " + real.resolve("models") + "; it was not read Fix: Copy the file into"
                        + " modelsDirectory or remove the link; links may only point inside it."),
                described(report));
        // a link that stays inside adds nothing: its target is checked where it is, once
        assertEquals(
                List.of("own/v1/model.pkl"),
                report.checks().stream().map(Check::name).toList());
        assertFalse(report.passed());
    }

    @Test
    void aFileReplacedByALinkAfterTheScanIsNotRead() throws Exception {
        Path artifact = fixture.file("m.pkl", new byte[] {1});
        ModelTree tree = ModelTree.scan(
                models,
                PathPatterns.of(SidecarConfig.DEFAULT_INCLUDES, "includes", FileSystems.getDefault()),
                PathPatterns.of(List.of(), "excludes", FileSystems.getDefault()),
                SidecarConfig.DEFAULT_SUFFIX);
        assertEquals(
                artifact.toRealPath(),
                tree.realPathInside(tree.artifacts().get(0).file()));
        Path outside = Files.write(dir.resolve("secret.bin"), new byte[] {2});
        Files.delete(artifact);
        Files.createSymbolicLink(artifact, outside);
        SidecarException refused = assertThrows(
                SidecarException.class,
                () -> tree.realPathInside(tree.artifacts().get(0).file()));
        assertEquals(
                "m.pkl now resolves to " + outside.toRealPath() + ", outside modelsDirectory " + models.toRealPath()
                        + ": it was replaced by a link after the directory was scanned, and was not read. Find out what changes"
                        + " modelsDirectory during the build, then run the goal again.",
                refused.getMessage());
        // and a link that appears between that check and the open is not followed
        assertThrows(
                IOException.class,
                () -> new ArtifactHasher(ModelFixture.key(ModelFixture.KEY))
                        .hmac(artifact, ParallelFilesTest.progress(1)));
        // the same for a sidecar: SidecarFile.read checks its real path itself
        Path sidecar = fixture.sidecarPath("m.pkl");
        Files.writeString(sidecar, "{}");
        Files.delete(sidecar);
        Files.createSymbolicLink(sidecar, Files.writeString(dir.resolve("outside_metadata.json"), "{}"));
        SidecarException sidecarRefused = assertThrows(
                SidecarException.class,
                () -> SidecarFile.read(tree, sidecar, "m.pkl", "m_metadata.json", new ArrayList<>()));
        assertTrue(
                sidecarRefused.getMessage().startsWith("m_metadata.json now resolves to "),
                sidecarRefused.getMessage());
    }

    @Test
    void dotDotAndAbsolutePatternsAreRefused() {
        SidecarConfig base = fixture.config(SigningMode.OFF, null);
        SidecarException dotDot = assertThrows(
                SidecarException.class,
                () -> run(new SidecarConfig(
                        models,
                        List.of("**/*.pkl", "../other/*.pkl"),
                        null,
                        base.sidecarSuffix(),
                        base.signing(),
                        base.key(),
                        null,
                        null,
                        1,
                        null,
                        null)));
        assertEquals(
                "Parameter 'includes': pattern '../other/*.pkl' contains a '..' segment. Patterns are relative to"
                        + " modelsDirectory and may not leave it; remove the '..' or point modelsDirectory higher up.",
                dotDot.getMessage());
        SidecarException absolute = assertThrows(
                SidecarException.class,
                () -> run(new SidecarConfig(
                        models,
                        null,
                        List.of("/etc/*"),
                        base.sidecarSuffix(),
                        base.signing(),
                        base.key(),
                        null,
                        null,
                        1,
                        null,
                        null)));
        assertEquals(
                "Parameter 'excludes': pattern '/etc/*' is absolute. Write it relative to modelsDirectory, e.g."
                        + " **/*.pkl.",
                absolute.getMessage());
    }

    @Test
    void missingModelsDirectory() {
        SidecarException e = assertThrows(
                SidecarException.class,
                () -> run(new ModelFixture(dir.resolve("nope")).config(SigningMode.AUTO, null)));
        assertEquals(
                "Parameter 'modelsDirectory': " + dir.resolve("nope") + " does not exist. Point it at the directory"
                        + " that holds the model artifacts and their sidecars.",
                e.getMessage());
    }

    @Test
    void unreadableArtifactNamesTheFile() throws Exception {
        Path artifact = fixture.model("m.pkl", "m", "1");
        Files.setPosixFilePermissions(artifact, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(artifact), "running as root: file permissions do not block reads");
        SidecarException e =
                assertThrows(SidecarException.class, () -> run(fixture.config(SigningMode.REQUIRED, ModelFixture.KEY)));
        assertEquals(
                "Cannot read artifact m.pkl (" + models.toRealPath().resolve("m.pkl") + "): permission denied. Make"
                        + " it readable by the user running Maven, or exclude it with <excludes>.",
                e.getMessage());
    }

    @Test
    void progressLinesAndTheKeyNeverAppears() throws Exception {
        for (int i = 0; i < 6; i++) {
            fixture.model("m" + i + ".pkl", "m" + i, "1", List.of("a"), new byte[4096], ModelFixture.KEY);
        }
        SidecarConfig base = fixture.config(SigningMode.REQUIRED, ModelFixture.KEY);
        SidecarResult report = run(new SidecarConfig(
                models,
                null,
                null,
                base.sidecarSuffix(),
                base.signing(),
                base.key(),
                null,
                null,
                2,
                null,
                Duration.ZERO));
        assertTrue(report.passed());
        assertTrue(
                log.lines().stream()
                        .anyMatch(l -> l.matches("\\[INFO\\] Checked \\d/6 files, [0-9.]+ MiB, [0-9.]+ MiB/s")),
                log.text());
        assertTrue(
                log.lines()
                        .get(log.lines().size() - 1)
                        .matches("\\[INFO\\] Checked 6 artifact\\(s\\) under .*: 0"
                                + " problem\\(s\\), 6 signature\\(s\\) verified, 0 orphan sidecar\\(s\\) \\(6 file\\(s\\), 0\\.0 MiB hashed"
                                + " in [0-9]+\\.[0-9]{3} s, [0-9]+\\.[0-9] MiB/s\\)"),
                log.text());
        ReportWriter.Written written = new ReportWriter(dir.resolve("reports"), null, Redactor.none())
                .write(GoalReport.of(SidecarVerifier.GOAL, Instant.now(), report.took(), report));
        for (Path file : List.of(written.json(), written.junit(), written.markdown())) {
            assertFalse(Files.readString(file).contains(ModelFixture.KEY), file.toString());
        }
        assertFalse(log.text().contains(ModelFixture.KEY));
        assertFalse(base.key().toString().contains(ModelFixture.KEY));
    }

    @Test
    void sidecarSuffixIsConfigurable() throws Exception {
        fixture.file("m.onnx", new byte[] {1});
        Files.writeString(
                models.resolve("m.sidecar.json"),
                "{\"name\": \"m\", \"version\": \"1\", \"feature_list\":" + " [\"a\"], \"feature_list_checksum\": \""
                        + PythonJson.checksum(List.of("a")) + "\"}");
        SidecarResult report = run(new SidecarConfig(
                models,
                List.of("*.onnx"),
                null,
                ".sidecar.json",
                SigningMode.OFF,
                ModelFixture.key(null),
                null,
                null,
                1,
                null,
                null));
        assertEquals(List.of(), described(report));
        assertEquals(1, report.checks().size());
        assertEquals(
                Stream.of("m.onnx").toList(),
                report.checks().stream().map(Check::name).toList());
    }

    @Test
    void emptyTreeWarns() throws Exception {
        fixture.file("readme.txt", new byte[] {1});
        SidecarResult report = run(fixture.config(SigningMode.AUTO, null));
        assertTrue(report.passed());
        assertEquals(
                List.of("warning " + models.toRealPath() + ": no artifact matches the includes [**/*.pkl,"
                        + " **/*.joblib, **/*.onnx, **/*.pt, **/*.safetensors, **/*.bin] Fix: Check modelsDirectory and"
                        + " <includes>; an empty check proves nothing."),
                described(report));
    }

    /**
     * The figures the benchmark reads: every byte of every verified artifact, once, over a window no longer than
     * the goal, and the rate is bytes over that window.
     */
    @Test
    void hashingFiguresCoverEveryVerifiedByteOnce() throws Exception {
        long total = 0;
        for (int i = 0; i < 7; i++) {
            byte[] content = ArtifactHasherTest.pattern(i * 700_001);
            fixture.model("m" + i + "/model.pt", "m" + i, "1", List.of("a"), content, ModelFixture.KEY);
            total += content.length;
        }
        fixture.model("unsigned/model.pt", "u", "1", List.of("a"), new byte[12345], null);
        SidecarConfig base = fixture.config(SigningMode.AUTO, ModelFixture.KEY);
        SidecarResult report = run(new SidecarConfig(
                models, null, null, base.sidecarSuffix(), base.signing(), base.key(), null, null, 3, null, null));
        assertEquals(7, report.summary().get("signaturesVerified"));
        assertEquals(total, report.summary().get("bytesHashed"));
        assertEquals(7, report.summary().get("filesHashed"));
        long nanos = (Long) report.summary().get("hashingNanos");
        assertTrue(nanos > 0 && nanos <= report.took().toNanos(), nanos + " vs " + report.took());
        double rate = total / (1024.0 * 1024.0) / (nanos / 1e9);
        assertEquals(Math.round(rate * 10) / 10.0, report.summary().get("hashingMiBPerSecond"));
        String line = log.lines().get(log.lines().size() - 1);
        assertTrue(
                line.endsWith(String.format(
                        Locale.ROOT,
                        " (7 file(s), %.1f MiB hashed in %.3f s, %.1f" + " MiB/s)",
                        total / (1024.0 * 1024.0),
                        nanos / 1e9,
                        rate)),
                line);

        SidecarResult sampled = run(new SidecarConfig(
                models, null, null, base.sidecarSuffix(), base.signing(), base.key(), 2, 42L, 3, null, null));
        @SuppressWarnings("unchecked")
        List<String> sample = (List<String>) sampled.summary().get("sampledArtifacts");
        List<String> signed =
                sample.stream().filter(a -> !a.startsWith("unsigned/")).toList();
        long sampledBytes = 0;
        for (String artifact : signed) {
            sampledBytes += Files.size(models.resolve(artifact));
        }
        assertEquals(sampledBytes, sampled.summary().get("bytesHashed"));
        assertEquals(signed.size(), sampled.summary().get("filesHashed"));
    }
}
