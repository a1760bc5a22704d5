package io.github.migrationsafety.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every string literal in the plugin's code is ASCII: messages end up in build logs that are read in any locale and
 * console encoding, where a typographic dash, ellipsis or multiplication sign turns into mojibake. The Markdown step
 * summary is the one exception (GitHub renders it as UTF-8, and its status emoji are the point).
 */
class AsciiMessagesTest {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    private static final Path SUMMARY_WRITER =
            Path.of("src/main/java/io/github/migrationsafety/report/ReportWriter.java");

    @Test
    void stringLiteralsInMainCodeAreAscii() throws IOException {
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.equals(SUMMARY_WRITER))
                    .sorted()
                    .toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                        continue;
                    }
                    Matcher literal = STRING.matcher(line);
                    while (literal.find()) {
                        if (!literal.group().chars().allMatch(c -> c < 128)) {
                            offending.add(file + ":" + (i + 1) + ": " + literal.group());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), offending, "non-ASCII characters in string literals; use -, ... and x instead");
    }
}
