package io.github.migrationsafety.sidecar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Json;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One sidecar as read from disk: its exact text (so {@code sign} can patch values without touching the rest)
 * and its JSON values ({@link Json}'s plain Java objects). Reading and field validation report problems as
 * findings that name the artifact, the sidecar, the field, what was expected and what was found.
 *
 * @param file the sidecar file
 * @param text the file's content, decoded as strict UTF-8
 * @param root the top-level JSON object, key order as in the file
 */
record SidecarFile(Path file, String text, Map<String, Object> root) {

    static final String NAME = "name";
    static final String VERSION = "version";
    static final String FEATURE_LIST = "feature_list";
    static final String CHECKSUM = "feature_list_checksum";
    static final String SIGNATURE = "artifact_sig";

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    /**
     * Python's {@code json} module accepts NaN/Infinity (and writes them); duplicate keys are refused because
     * Python would silently keep the last one while a reviewer reads the first.
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Reads the sidecar; {@code null} when it is not a readable JSON object, with the reason in findings. The
     * bytes come from its real path, checked to be inside the tree, without following links.
     */
    static SidecarFile read(ModelTree models, Path file, String subject, String sidecarName, List<Finding> findings)
            throws IOException, SidecarException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(models.realPathInside(file), LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readAllBytes();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            findings.add(Finding.error(
                            "sidecars.invalid-json", subject, "sidecar " + sidecarName + " is not valid UTF-8 text")
                    .withHint("Rewrite the sidecar as UTF-8 JSON (Python's json.dump does).")
                    .at(file.toString(), 0));
            return null;
        }
        Object tree;
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() == null) {
                findings.add(invalidJson(subject, sidecarName, file, 1, 1, "the file is empty"));
                return null;
            }
            tree = Json.current(parser);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                findings.add(invalidJson(
                        subject,
                        sidecarName,
                        file,
                        at.getLineNr(),
                        at.getColumnNr(),
                        "unexpected content after the JSON object"));
                return null;
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            findings.add(invalidJson(
                    subject,
                    sidecarName,
                    file,
                    at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(),
                    shortMessage(e)));
            return null;
        }
        if (!(tree instanceof Map<?, ?>)) {
            findings.add(Finding.error(
                            "sidecars.wrong-type",
                            subject,
                            "sidecar " + sidecarName
                                    + " must hold a JSON object with name, version, feature_list and feature_list_checksum")
                    .withExpectation("object", kind(tree))
                    .withHint("Write the sidecar as one JSON object, e.g. {\"name\": \"churn\", \"version\": \"3\","
                            + " \"feature_list\": [\"age\"], \"feature_list_checksum\": \"...\"}.")
                    .at(file.toString(), 1));
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) tree;
        return new SidecarFile(file, text, root);
    }

    private static Finding invalidJson(
            String subject, String sidecarName, Path file, int line, int column, String problem) {
        return Finding.error(
                        "sidecars.invalid-json",
                        subject,
                        "sidecar " + sidecarName + " is not valid JSON at line " + line + ", column " + column + ": "
                                + problem)
                .withHint("Fix the JSON syntax (python3 -m json.tool " + sidecarName + " shows the same error).")
                .at(file.toString(), line);
    }

    /** Jackson's message without the location suffix and source excerpt, which the finding shows already. */
    private static String shortMessage(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int marker = message.indexOf(" (start marker at");
        if (marker >= 0) {
            message = message.substring(0, marker);
        }
        int newline = message.indexOf('\n');
        return newline >= 0 ? message.substring(0, newline) : message;
    }

    /** The model's name and version as the application sees them; {@code null} when missing or mistyped. */
    ModelId modelId(String subject, String sidecarName, List<Finding> findings) {
        String name = textField(NAME, subject, sidecarName, findings, false);
        String version = textField(VERSION, subject, sidecarName, findings, true);
        return name == null || version == null ? null : new ModelId(name, version);
    }

    private String textField(
            String field, String subject, String sidecarName, List<Finding> findings, boolean integerAllowed) {
        Object node = root.get(field);
        if (node == null) {
            findings.add(Finding.error(
                            "sidecars.field-missing", subject, "sidecar " + sidecarName + " has no '" + field + "'")
                    .withHint("Add \"" + field + "\" as the model service writes it.")
                    .at(file.toString(), 0));
            return null;
        }
        if (node instanceof String text && !text.isBlank()) {
            return text;
        }
        if (integerAllowed && isInteger(node)) {
            return node.toString();
        }
        findings.add(Finding.error(
                        "sidecars.wrong-type",
                        subject,
                        "'" + field + "' in sidecar " + sidecarName + " must be a non-empty string"
                                + (integerAllowed ? " or an integer" : ""))
                .withExpectation(integerAllowed ? "string or integer" : "string", describe(node))
                .withHint("Write \"" + field + "\" as the model service does, e.g. \"" + field + "\": \""
                        + (integerAllowed ? "3" : "churn") + "\".")
                .at(file.toString(), 0));
        return null;
    }

    /**
     * {@code feature_list} as a list, or {@code null} when it is missing, not a non-empty array of strings,
     * or lists a name twice (the service would build a model input with a repeated column).
     */
    List<String> featureList(String subject, String sidecarName, List<Finding> findings) {
        if (!root.containsKey(FEATURE_LIST)) {
            findings.add(Finding.error(
                            "sidecars.field-missing", subject, "sidecar " + sidecarName + " has no 'feature_list'")
                    .withHint("Add the model's input feature names as \"feature_list\": [...]")
                    .at(file.toString(), 0));
            return null;
        }
        Object value = root.get(FEATURE_LIST);
        if (!(value instanceof List<?> node)) {
            findings.add(Finding.error(
                            "sidecars.wrong-type",
                            subject,
                            "'feature_list' in sidecar " + sidecarName + " must be a non-empty array of strings")
                    .withExpectation("array", describe(value))
                    .withHint("Write the model's input feature names as a JSON array, e.g. \"feature_list\": [\"age\","
                            + " \"income\"].")
                    .at(file.toString(), 0));
            return null;
        }
        if (node.isEmpty()) {
            findings.add(Finding.error(
                            "sidecars.feature-list-empty",
                            subject,
                            "'feature_list' in sidecar " + sidecarName
                                    + " is empty; it must list the model's input features")
                    .withHint("List the input feature names in the order the model was trained with.")
                    .at(file.toString(), 0));
            return null;
        }
        List<String> features = new ArrayList<>(node.size());
        boolean ok = true;
        for (int i = 0; i < node.size(); i++) {
            Object element = node.get(i);
            if (!(element instanceof String name)) {
                findings.add(Finding.error(
                                "sidecars.wrong-type",
                                subject,
                                "feature_list[" + i + "] in sidecar " + sidecarName + " must be a string")
                        .withExpectation("string", describe(element))
                        .withHint("Quote the feature name; feature_list holds names, not values.")
                        .at(file.toString(), 0));
                ok = false;
            } else {
                features.add(name);
            }
        }
        if (!ok) {
            return null;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < features.size(); i++) {
            Integer first = seen.putIfAbsent(features.get(i), i);
            if (first != null) {
                findings.add(Finding.error(
                                "sidecars.feature-duplicate",
                                subject,
                                "feature_list in sidecar " + sidecarName
                                        + " lists " + PythonJson.quote(features.get(i)) + " twice (positions " + first
                                        + " and " + i + ")")
                        .withHint("Remove the repeated name; each input feature appears once.")
                        .at(file.toString(), 0));
                ok = false;
            }
        }
        return ok ? features : null;
    }

    /** A 64-character lowercase hex field, or {@code null} (with a finding) when missing or malformed. */
    String hexField(String field, String subject, String sidecarName, List<Finding> findings, boolean reportMissing) {
        Object node = root.get(field);
        if (node == null) {
            if (reportMissing) {
                findings.add(Finding.error(
                                "sidecars.field-missing", subject, "sidecar " + sidecarName + " has no '" + field + "'")
                        .withHint(
                                "Run mvn migration-safety:sign to compute it, or let the model" + " service write it.")
                        .at(file.toString(), 0));
            }
            return null;
        }
        String value = node instanceof String text ? text : null;
        if (value == null || !HEX_64.matcher(value).matches()) {
            boolean upper = value != null
                    && HEX_64.matcher(value.toLowerCase(Locale.ROOT)).matches();
            findings.add(Finding.error(
                            "sidecars.not-hex",
                            subject,
                            "'" + field + "' in sidecar " + sidecarName
                                    + " must be 64 lowercase hex characters (a SHA-256)")
                    .withExpectation("64 lowercase hex characters", describe(node))
                    .withHint(
                            upper
                                    ? "Write the value in lowercase, as Python's hexdigest() does."
                                    : "Recompute it with mvn migration-safety:sign.")
                    .at(file.toString(), 0));
            return null;
        }
        return value;
    }

    /** Whether the field is present and not null. */
    boolean has(String field) {
        return root.get(field) != null;
    }

    /** A short description of a JSON value for messages: its type and, for scalars, its (clipped) value. */
    static String describe(Object node) {
        String kind = kind(node);
        if (node == null || node instanceof Map<?, ?> || node instanceof List<?>) {
            return kind;
        }
        String value = node instanceof String text ? PythonJson.quote(text) : node.toString();
        return kind + " " + (value.length() > 80 ? value.substring(0, 77) + "..." : value);
    }

    private static String kind(Object node) {
        if (node == null) {
            return "null";
        }
        if (node instanceof List<?>) {
            return "an array";
        }
        if (node instanceof Map<?, ?>) {
            return "an object";
        }
        if (node instanceof String) {
            return "a string";
        }
        return node instanceof Boolean ? "a boolean" : "a number";
    }

    private static boolean isInteger(Object node) {
        return node instanceof Integer || node instanceof Long || node instanceof BigInteger;
    }
}
