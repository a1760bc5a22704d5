package io.github.migrationsafety.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import io.github.migrationsafety.testsupport.TestJson;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

    /** Every kind of value a report or manifest holds, nested the way reports nest them. */
    private static Map<String, Object> sample() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("status", "passed");
        inner.put("millis", 12L);
        inner.put("error", null);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("goal", "smoke");
        root.put("int", 7);
        root.put("long", 2147483648L);
        root.put("negative", -3);
        root.put("double", 1861.7);
        root.put("small", 1e-5);
        root.put("big", new BigInteger("123456789012345678901234567890"));
        root.put("yes", true);
        root.put("no", false);
        root.put("nothing", null);
        root.put(
                "text",
                "quote \" backslash \\ tab \t newline \n nul \u0000 e-acute \u00e9 emoji \ud83d\ude00 </script>");
        root.put("empty list", List.of());
        root.put("empty map", Map.of());
        root.put("strings", List.of("a", "b"));
        root.put("numbers", List.of(1, 2.5));
        root.put("objects", List.of(inner, inner));
        root.put("nested", Map.of("deeper", List.of(List.of(), List.of(1))));
        root.put("with null", Arrays.asList("x", null));
        return root;
    }

    @Test
    void writesWhatJacksonsDataBindingWrites() throws IOException {
        // reports and manifests written by earlier versions used ObjectMapper with INDENT_OUTPUT; readers of those
        // files (CI scripts, the gate of an older build) must see the same text
        assertEquals(TestJson.MAPPER.writeValueAsString(sample()), Json.pretty(sample()));
    }

    @Test
    void readsBackWhatItWrote(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        Files.writeString(file, Json.pretty(sample()));
        Map<String, Object> read = Json.readObject(file);

        assertEquals(new ArrayList<>(sample().keySet()), new ArrayList<>(read.keySet()), "key order");
        assertEquals(7, read.get("int"));
        assertEquals(2147483648L, read.get("long"));
        assertEquals(new BigInteger("123456789012345678901234567890"), read.get("big"));
        assertEquals(1861.7, read.get("double"));
        assertEquals(Boolean.TRUE, read.get("yes"));
        assertTrue(read.containsKey("nothing"));
        assertNull(read.get("nothing"));
        assertEquals(sample().get("text"), read.get("text"));
        assertEquals(Arrays.asList("x", null), read.get("with null"));
        assertEquals(Json.pretty(sample()), Json.pretty(read), "a round trip changes nothing");
    }

    @Test
    void pathsIntoAReportFallBackWhenAPartIsMissingOrOfAnotherType() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", "passed");
        report.put("durationMillis", 1000);
        report.put("summary", List.of("not an object"));
        report.put("flag", null);

        assertEquals("passed", Json.text(report, "status", "?"));
        assertEquals("1000", Json.text(report, "durationMillis", "?"));
        assertEquals("?", Json.text(report, "flag", "?"));
        assertEquals("?", Json.text(report, "summary", "?"));
        assertEquals("?", Json.text(report, "absent", "?"));
        assertEquals(Map.of(), Json.object(report, "summary"));
        assertEquals(List.of("not an object"), Json.array(report, "summary"));
        assertEquals(List.of(), Json.array(report, "status"));
    }

    @Test
    void refusesWhatIsNotAnObjectAndValuesItCannotWrite(@TempDir Path dir) throws IOException {
        Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
        assertEquals(
                "not a JSON object",
                assertThrows(IOException.class, () -> Json.readObject(array)).getMessage());
        Path empty = Files.writeString(dir.resolve("empty.json"), "  ");
        assertThrows(EOFException.class, () -> Json.readObject(empty));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Json.pretty(Map.of("path", Path.of("/tmp"))));
        assertTrue(e.getMessage().startsWith("no JSON form for "), e.getMessage());
    }

    @Test
    void readsIntegersBySizeAndOtherNumbersAsDoubles() throws IOException {
        try (JsonParser parser = Json.FACTORY.createParser("[1, 4294967296, 1e400, 0.5, -0]")) {
            List<?> values = (List<?>) Json.readValue(parser);
            assertInstanceOf(Integer.class, values.get(0));
            assertInstanceOf(Long.class, values.get(1));
            assertEquals(Double.POSITIVE_INFINITY, values.get(2));
            assertEquals(0.5, values.get(3));
            assertEquals(0, values.get(4));
        }
    }
}
