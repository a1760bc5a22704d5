package io.github.migrationsafety.sidecar;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes model trees for tests: artifacts with sidecars whose checksum (and optionally signature) are
 * right, so each test changes exactly the one thing it is about.
 */
final class ModelFixture {

    /** 36 bytes: long enough not to warn. */
    static final String KEY = "fixture-signing-key-7f3a9c1e5b2d8a64";

    static final ObjectMapper MAPPER = new ObjectMapper();

    final Path root;

    ModelFixture(Path root) {
        this.root = root;
    }

    static Map<String, String> env(String key) {
        return key == null ? Map.of() : Map.of(SidecarConfig.DEFAULT_KEY_ENV, key);
    }

    static SigningKey key(String value) {
        return SigningKey.fromEnvironment(SidecarConfig.DEFAULT_KEY_ENV, env(value)::get);
    }

    /** Writes {@code relative} with {@code content} and a correct sidecar, signed with {@code key} when given. */
    Path model(String relative, String name, String version, List<String> features, byte[] content, String key) {
        Path artifact = file(relative, content);
        ObjectNode sidecar = MAPPER.createObjectNode();
        sidecar.put("name", name);
        sidecar.put("version", version);
        sidecar.put("notes", "written by ModelFixture");
        sidecar.set("feature_list", MAPPER.valueToTree(features));
        sidecar.put("feature_list_checksum", PythonJson.checksum(features));
        if (key != null) {
            sidecar.put("artifact_sig", hmac(content, key));
        }
        sidecar(relative, sidecar);
        return artifact;
    }

    Path model(String relative, String name, String version) {
        return model(
                relative,
                name,
                version,
                List.of("age", "income"),
                (name + version).getBytes(StandardCharsets.UTF_8),
                KEY);
    }

    Path file(String relative, byte[] content) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path sidecarPath(String artifactRelative) {
        return ModelTree.sidecarFor(root.resolve(artifactRelative), SidecarConfig.DEFAULT_SUFFIX);
    }

    void sidecar(String artifactRelative, ObjectNode json) {
        try {
            rawSidecar(artifactRelative, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void rawSidecar(String artifactRelative, String text) {
        file(root.relativize(sidecarPath(artifactRelative)).toString(), text.getBytes(StandardCharsets.UTF_8));
    }

    ObjectNode readSidecar(String artifactRelative) {
        try {
            return (ObjectNode) MAPPER.readTree(sidecarPath(artifactRelative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reference HMAC through the JDK directly (the Python vectors pin the engine's own hasher). */
    static String hmac(byte[] content, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(content));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    SidecarConfig config(SigningMode signing, String key) {
        return new SidecarConfig(
                root, null, null, SidecarConfig.DEFAULT_SUFFIX, signing, key(key), null, null, 2, null, null);
    }
}
