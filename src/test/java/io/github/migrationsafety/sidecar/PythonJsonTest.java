package io.github.migrationsafety.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The encoder against vectors that Python's json.dumps produced (src/test/python/generate_vectors.py). */
class PythonJsonTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode vectorFile(String name) {
        try (InputStream in = PythonJsonTest.class.getResourceAsStream("/sidecar-vectors/" + name)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.textValue()));
        return values;
    }

    static Stream<Arguments> checksumVectors() {
        List<Arguments> cases = new ArrayList<>();
        vectorFile("checksums.json")
                .get("vectors")
                .forEach(v -> cases.add(Arguments.of(
                        v.get("name").asText(),
                        strings(v.get("feature_list")),
                        v.hasNonNull("dumps") ? v.get("dumps").textValue() : null,
                        v.get("sha256").textValue())));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checksumVectors")
    void matchesPythonByteForByte(String name, List<String> features, String pythonDumps, String pythonSha256) {
        if (pythonDumps != null) {
            assertEquals(pythonDumps, PythonJson.dumpsCompact(features));
        }
        assertEquals(pythonSha256, PythonJson.checksum(features));
    }

    @Test
    void vectorFileCoversTheCasesTheIssueNames() {
        List<String> names = checksumVectors().map(a -> (String) a.get()[0]).toList();
        assertEquals(
                List.of(
                        "ascii",
                        "single",
                        "latin1",
                        "cjk",
                        "emoji-astral",
                        "quotes-backslashes",
                        "control-named",
                        "control-other",
                        "del-and-c1",
                        "unicode-separators",
                        "empty-strings",
                        "only-empty",
                        "whitespace-names",
                        "json-looking",
                        "lone-surrogates",
                        "mixed",
                        "ten-thousand"),
                names);
        JsonNode big = vectorFile("checksums.json").get("vectors").get(16);
        assertEquals(10_000, big.get("feature_list").size());
    }

    @Test
    void escapesExactlyLikePython() {
        assertEquals(
                "[\"\\u007f\",\"\\u0000\\u001f\",\"\\ud800\",\"\\u00e9\\ud83d\\ude00\",\"\\u2028\"]",
                PythonJson.dumpsCompact(List.of("\u007f", "\u0000\u001f", "\ud800", "é😀", "\u2028")));
        assertEquals(
                "[\"a\\\"b\",\"c\\\\d\",\"\\b\\f\\n\\r\\t\",\" ~\"]",
                PythonJson.dumpsCompact(List.of("a\"b", "c\\d", "\b\f\n\r\t", " ~")));
        assertEquals("[]", PythonJson.dumpsCompact(List.of()));
    }

    @Test
    void nonAsciiVariantKeepsCharactersButEscapesControls() {
        assertEquals(
                "[\"é😀\", \"\\u0001\\n\", \"\u007f\", \"\\ud800\"]",
                PythonJson.dumps(List.of("é😀", "\u0001\n", "\u007f", "\ud800"), ", ", false));
        assertTrue(PythonJson.dumps(List.of("x"), ",", false).equals("[\"x\"]"));
    }
}
