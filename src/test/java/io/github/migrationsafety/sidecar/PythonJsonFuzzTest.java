package io.github.migrationsafety.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Randomized feature lists through the checksum encoder. Python cannot run in the build, so the properties
 * checked are the ones Python's output has by construction: it is pure printable ASCII, it parses back to
 * the same list, and it only escapes what Python escapes. Exact agreement with Python is pinned by the
 * vectors in {@link PythonJsonTest}. Every repetition uses its own fixed seed: a failure names the seed and
 * replays.
 */
class PythonJsonFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long BASE_SEED = 0x5EED_CAFEL;

    @RepeatedTest(200)
    void randomListsRoundTripAsPureAscii(RepetitionInfo repetition) throws Exception {
        long seed = BASE_SEED + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        List<String> features = randomList(random);
        String dumped = PythonJson.dumpsCompact(features);
        for (int i = 0; i < dumped.length(); i++) {
            char c = dumped.charAt(i);
            assertTrue(c >= 0x20 && c <= 0x7e, "seed " + seed + ": non-printable-ASCII char at " + i);
        }
        List<String> parsed = MAPPER.readValue(dumped, new TypeReference<List<String>>() {});
        assertEquals(features, parsed, "seed " + seed + ": round trip");
        assertEquals(expectedLength(features), dumped.length(), "seed " + seed + ": escape lengths");
    }

    @Test
    void hugeStringsAndLongListsRoundTrip() throws Exception {
        SplittableRandom random = new SplittableRandom(BASE_SEED);
        StringBuilder huge = new StringBuilder();
        while (huge.length() < 2_000_000) {
            huge.appendCodePoint(randomCodePoint(random));
        }
        List<String> features = new ArrayList<>(List.of(huge.toString()));
        for (int i = 0; i < 50_000; i++) {
            features.add("f" + i);
        }
        String dumped = PythonJson.dumpsCompact(features);
        assertEquals(features, MAPPER.readValue(dumped, new TypeReference<List<String>>() {}));
        assertEquals(64, PythonJson.checksum(features).length());
    }

    /** Length Python's ASCII encoder produces: 2 per named escape, 6 per \\uXXXX, 1 per printable char. */
    private static int expectedLength(List<String> features) {
        int length = 2 + Math.max(0, features.size() - 1);
        for (String feature : features) {
            length += 2;
            for (int i = 0; i < feature.length(); i++) {
                char c = feature.charAt(i);
                if ("\"\\\n\r\t\b\f".indexOf(c) >= 0) {
                    length += 2;
                } else if (c < 0x20 || c > 0x7e) {
                    length += 6;
                } else {
                    length += 1;
                }
            }
        }
        return length;
    }

    private static List<String> randomList(SplittableRandom random) {
        int size = random.nextInt(1, 40);
        List<String> features = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int length = random.nextInt(0, random.nextInt(10) == 0 ? 5000 : 30);
            StringBuilder name = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                if (random.nextInt(50) == 0) {
                    // a lone surrogate: Java strings and Python str can both hold one
                    name.append((char) random.nextInt(0xD800, 0xE000));
                } else {
                    name.appendCodePoint(randomCodePoint(random));
                }
            }
            features.add(name.toString());
        }
        return features;
    }

    /** Biased towards the interesting ranges: controls, ASCII punctuation, DEL/C1, BMP, astral. */
    private static int randomCodePoint(SplittableRandom random) {
        int cp;
        do {
            cp = switch (random.nextInt(6)) {
                case 0 -> random.nextInt(0, 0x20);
                case 1 -> random.nextInt(0x20, 0x7f);
                case 2 -> random.nextInt(0x7f, 0x100);
                case 3 -> random.nextInt(0x100, 0x10000);
                case 4 -> random.nextInt(0x10000, 0x110000);
                default -> "\"\\/'".charAt(random.nextInt(4));
            };
        } while (cp >= 0xD800 && cp < 0xE000);
        return cp;
    }
}
