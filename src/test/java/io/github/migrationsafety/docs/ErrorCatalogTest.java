package io.github.migrationsafety.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/errors.md} pointing at the code: every row that names a source file names one that exists and
 * that builds the message the row shows. A message moved to another class, or reworded, fails here with the row, so
 * the catalog a user searches for a message they saw does not go stale.
 */
class ErrorCatalogTest {

    private static final Path CATALOG = Path.of("docs/errors.md");
    private static final Path SOURCES = Path.of("src/main/java/io/github/migrationsafety");
    private static final Pattern ROW = Pattern.compile("^\\|(.*)\\| ([a-z]+/[A-Za-z]+\\.java)(?::\\d+)? \\|$");
    /** Literal text of at least this many characters between the row's placeholders is looked for in the source. */
    private static final int FRAGMENT = 12;

    @Test
    void everyRowNamesTheSourceThatBuildsItsMessage() throws IOException {
        List<String> stale = new ArrayList<>();
        int checked = 0;
        for (String line : Files.readAllLines(CATALOG)) {
            Matcher row = ROW.matcher(line.strip());
            if (!row.matches()) {
                continue;
            }
            Path source = SOURCES.resolve(row.group(2));
            String[] columns = row.group(1).split("\\|");
            // the message and what to do: a message the code builds from variables ("the database at " + url) may
            // keep no literal long enough of its own
            List<String> fragments = fragments(columns[2] + "`" + columns[3]);
            if (!Files.isRegularFile(source)) {
                stale.add(row.group(2) + " does not exist: " + line);
                continue;
            }
            if (fragments.isEmpty()) {
                continue;
            }
            checked++;
            String code = joinedLiterals(Files.readString(source));
            if (fragments.stream().noneMatch(code::contains)) {
                stale.add(row.group(2) + " builds none of " + fragments);
            }
        }
        assertTrue(checked > 100, "rows with a message and a source: " + checked);
        assertEquals(
                List.of(),
                stale,
                CATALOG + " names sources that do not build its messages; point each row at the class that does,"
                        + " and copy the message as it reads now");
    }

    @Test
    void aMessageMovedToAnotherClassIsCaught() throws IOException {
        String moved = joinedLiterals(Files.readString(SOURCES.resolve("dedupe/DedupeEngine.java")));
        String home = joinedLiterals(Files.readString(SOURCES.resolve("dedupe/NearDuplicates.java")));
        List<String> fragments =
                fragments(" `<n> key values differ only by case or surrounding whitespace, e.g. (<min>) and (<max>)` ");
        assertTrue(fragments.stream().anyMatch(home::contains), fragments.toString());
        assertTrue(fragments.stream().noneMatch(moved::contains), fragments.toString());
    }

    /**
     * The literal parts of a message column: between its placeholders ({@code <x>}) and backticks, without the
     * punctuation a placeholder's value ends with in the rendered message ({@code <cause>). Check ...}).
     */
    private static List<String> fragments(String message) {
        List<String> fragments = new ArrayList<>();
        for (String part : message.split("`|<[^>]*>")) {
            String literal = part.strip().replaceFirst("^[).,:;]+\\s*", "");
            if (literal.length() >= FRAGMENT && !literal.equals("see the message")) {
                fragments.add(literal);
            }
        }
        return fragments;
    }

    /** The source with adjacent string literals joined ({@code "a" + "b"} reads {@code "ab"}). */
    private static String joinedLiterals(String source) {
        return source.replaceAll("\"\\s*\\+\\s*\"", "");
    }
}
