package io.github.migrationsafety.changelog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import liquibase.changelog.ChangeSet;

/**
 * Finds the line a changeset starts on, for findings that point into the file: Liquibase's model does not
 * keep line numbers, so the file is searched for the changeset's id in XML, YAML, JSON or SQL form.
 *
 * <p>Each file is read once, and the lines of one id are searched for once: a report names every changeset, so
 * searching the whole file with a pattern per call grows with the square of the changelog's size. Only the lines that
 * can name a changeset at all and contain the id (ignoring ASCII case, as the pattern does) are matched against
 * the pattern.
 */
public final class ChangesetLocator {

    private final Path root;
    private final Map<String, SearchedFile> files = new HashMap<>();

    public ChangesetLocator(Path root) {
        this.root = root;
    }

    public int line(ChangeSet changeSet) {
        return line(changeSet, 1);
    }

    /** The line of the {@code occurrence}-th changeset with this id in its file (1 = first). */
    public int line(ChangeSet changeSet, int occurrence) {
        List<Integer> lines =
                files.computeIfAbsent(changeSet.getFilePath(), this::read).linesOf(changeSet.getId());
        return occurrence >= 1 && occurrence <= lines.size() ? lines.get(occurrence - 1) : 0;
    }

    private SearchedFile read(String path) {
        try {
            return new SearchedFile(Files.readAllLines(root.resolve(path), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return new SearchedFile(List.of());
        }
    }

    /** One changelog file's lines, and the lines (1-based) where each id asked for so far starts a changeset. */
    private static final class SearchedFile {

        /** What every line the pattern of {@link #search} finds contains: either alternative's start. */
        private static final Pattern CANDIDATE = Pattern.compile("(?i)\\bid\\s*[=:]|^\\s*--\\s*changeset\\s");

        private final List<String> lines;
        /** The numbers (0-based) of the lines that can name a changeset, and those lines with A-Z folded. */
        private final List<Integer> candidates = new ArrayList<>();

        private final List<String> folded = new ArrayList<>();
        private final Map<String, List<Integer>> byId = new HashMap<>();

        SearchedFile(List<String> lines) {
            this.lines = lines;
            for (int i = 0; i < lines.size(); i++) {
                if (CANDIDATE.matcher(lines.get(i)).find()) {
                    candidates.add(i);
                    folded.add(asciiLowerCase(lines.get(i)));
                }
            }
        }

        List<Integer> linesOf(String id) {
            return byId.computeIfAbsent(id, this::search);
        }

        private List<Integer> search(String id) {
            String quoted = Pattern.quote(id);
            Pattern pattern = Pattern.compile("(?i)(\\bid\\s*[=:]\\s*[\"']?" + quoted + "[\"']?(\\s|,|>|/|$))"
                    + "|(^\\s*--\\s*changeset\\s+[^:\\s]+:" + quoted + "(\\s|$))");
            String foldedId = asciiLowerCase(id);
            List<Integer> found = new ArrayList<>();
            for (int c = 0; c < candidates.size(); c++) {
                int i = candidates.get(c);
                if (folded.get(c).contains(foldedId)
                        && pattern.matcher(lines.get(i)).find()) {
                    found.add(i + 1);
                }
            }
            return found;
        }

        /** What {@code (?i)} folds: A-Z only, so that a line the pattern matches always contains the folded id. */
        private static String asciiLowerCase(String text) {
            char[] chars = text.toCharArray();
            for (int i = 0; i < chars.length; i++) {
                if (chars[i] >= 'A' && chars[i] <= 'Z') {
                    chars[i] = (char) (chars[i] + ('a' - 'A'));
                }
            }
            return new String(chars);
        }
    }
}
