package io.github.migrationsafety;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code names types by their simple names: a fully qualified name in code (not in an import, a comment or a string)
 * fails the build, as unused imports do (the formatter check removes those). A name that two imports would clash
 * on is the one exception, listed here with its reason.
 */
class SourceStyleTest {

    /** A qualified type name: lower-case package segments, then a capitalised type. */
    private static final Pattern QUALIFIED =
            Pattern.compile("(?<![\\w.])((?:java|javax|jdk|io|org|com|liquibase)(?:\\.[a-z_][a-z0-9_]*)+\\.[A-Z]\\w*)");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    @Test
    void codeUsesImportsNotFullyQualifiedNames() throws IOException {
        List<String> found = new ArrayList<>();
        for (String root : List.of("src/main/java", "src/test/java", "bench")) {
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                files.filter(f -> f.toString().endsWith(".java"))
                        .sorted()
                        .forEach(f -> found.addAll(qualifiedNames(f)));
            }
        }
        assertEquals(List.of(), found, "use an import instead of the fully qualified name");
    }

    @Test
    void theCheckSeesAQualifiedNameInCodeButNotInImportsCommentsOrStrings() {
        assertEquals(
                List.of("x.java:4: java.util.List"),
                qualifiedNames(
                        "x.java",
                        List.of(
                                "import java.util.Map;",
                                "/** {@link java.util.Set} */",
                                "String s = \"io.zonky.test.Thing\"; // java.util.Set",
                                "java.util.List<String> list = null;")));
    }

    private static List<String> qualifiedNames(Path file) {
        try {
            return qualifiedNames(file.toString(), Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> qualifiedNames(String file, List<String> lines) {
        List<String> found = new ArrayList<>();
        boolean inComment = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (inComment) {
                inComment = !line.contains("*/");
                continue;
            }
            if (line.startsWith("/*")) {
                inComment = !line.contains("*/");
                continue;
            }
            if (line.startsWith("import ")
                    || line.startsWith("package ")
                    || line.startsWith("*")
                    || line.startsWith("//")) {
                continue;
            }
            String code = STRING.matcher(line).replaceAll("\"\"");
            int comment = code.indexOf("//");
            code = comment < 0 ? code : code.substring(0, comment);
            Matcher m = QUALIFIED.matcher(code);
            while (m.find()) {
                found.add(file + ":" + (i + 1) + ": " + m.group(1));
            }
        }
        return found;
    }
}
