package io.github.migrationsafety.sidecar;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.migrationsafety.report.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets top-level string fields of a sidecar by editing its text in place: an existing value is replaced where it
 * stands; a new field is inserted right after an anchor field, with the separators the file already uses
 * (Python's {@code indent=2}, {@code indent=4}, the one-line default {@code ", "}/{@code ": "}, or compact).
 * Everything else — other keys, their order, number spelling, escapes, trailing newline — stays byte for byte.
 * Re-serialising the tree instead would rewrite numbers such as {@code 1e-05} and the escaping of every string.
 */
final class SidecarPatch {

    /** Where a top-level member sits in the text. */
    private record Member(String name, int keyStart, int keyEnd, int valueStart, int valueEnd) {}

    private SidecarPatch() {}

    /**
     * Returns {@code text} with {@code field} set to the string {@code value}; inserted after {@code anchor} when
     * absent. The result is parsed back and compared with the expected tree, so a patching bug can never write a
     * sidecar that means something else.
     */
    static String set(String text, String field, String value, String anchor) throws IOException {
        List<Member> members = members(text);
        String literal = PythonJson.quote(value);
        String patched = null;
        for (Member member : members) {
            if (member.name().equals(field)) {
                patched = text.substring(0, member.valueStart()) + literal + text.substring(member.valueEnd());
                break;
            }
        }
        if (patched == null) {
            Member after = members.stream()
                    .filter(m -> m.name().equals(anchor))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no top-level '" + anchor + "'"));
            String memberSeparator = memberSeparator(text, members);
            String keyValueSeparator = text.substring(after.keyEnd(), after.valueStart());
            patched = text.substring(0, after.valueEnd())
                    + memberSeparator
                    + PythonJson.quote(field)
                    + keyValueSeparator
                    + literal
                    + text.substring(after.valueEnd());
        }
        Map<Object, Object> expected = new LinkedHashMap<>((Map<?, ?>) read(text));
        expected.put(field, value);
        if (!expected.equals(read(patched))) {
            throw new IllegalStateException("patching '" + field + "' changed other content; sidecar left unchanged");
        }
        return patched;
    }

    /** Read with {@link SidecarFile}'s settings: what it accepted, this can patch. */
    private static Object read(String text) throws IOException {
        try (JsonParser parser = SidecarFile.JSON.createParser(text)) {
            return Json.readValue(parser);
        }
    }

    /** The text between two members (e.g. {@code ",\n  "}), or built from the indentation of a lone member. */
    private static String memberSeparator(String text, List<Member> members) {
        if (members.size() >= 2) {
            return text.substring(members.get(0).valueEnd(), members.get(1).keyStart());
        }
        int open = text.lastIndexOf('{', members.get(0).keyStart());
        return "," + text.substring(open + 1, members.get(0).keyStart());
    }

    private static List<Member> members(String text) throws IOException {
        List<Member> members = new ArrayList<>();
        try (JsonParser parser = SidecarFile.JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                int keyStart = (int) parser.currentTokenLocation().getCharOffset();
                int keyEnd = stringEnd(text, keyStart);
                parser.nextToken();
                int valueStart = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                members.add(new Member(name, keyStart, keyEnd, valueStart, valueEnd(text, valueStart)));
            }
        }
        return members;
    }

    /** End (exclusive) of the JSON value starting at {@code start}; the text is known to be valid JSON. */
    private static int valueEnd(String text, int start) {
        char first = text.charAt(start);
        if (first == '"') {
            return stringEnd(text, start);
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            for (int i = start; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    i = stringEnd(text, i) - 1;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    return i + 1;
                }
            }
            throw new IllegalArgumentException("unterminated container");
        }
        int i = start;
        while (i < text.length() && ",}] \t\r\n".indexOf(text.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    private static int stringEnd(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unterminated string");
    }
}
