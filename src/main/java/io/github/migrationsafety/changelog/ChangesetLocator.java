package io.github.migrationsafety.changelog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import liquibase.changelog.ChangeSet;

/**
 * Finds the line a changeset starts on, for findings that point into the file: Liquibase's model does not
 * keep line numbers, so the file is searched for the changeset's id in XML, YAML, JSON or SQL form.
 */
public final class ChangesetLocator {

    private final Path root;
    private final Map<String, List<String>> files = new HashMap<>();

    public ChangesetLocator(Path root) {
        this.root = root;
    }

    public int line(ChangeSet changeSet) {
        return line(changeSet, 1);
    }

    /** The line of the {@code occurrence}-th changeset with this id in its file (1 = first). */
    public int line(ChangeSet changeSet, int occurrence) {
        List<String> lines = files.computeIfAbsent(changeSet.getFilePath(), this::read);
        String id = Pattern.quote(changeSet.getId());
        Pattern pattern = Pattern.compile("(?i)(\\bid\\s*[=:]\\s*[\"']?" + id + "[\"']?(\\s|,|>|/|$))"
                + "|(^\\s*--\\s*changeset\\s+[^:\\s]+:" + id + "(\\s|$))");
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find() && --occurrence == 0) {
                return i + 1;
            }
        }
        return 0;
    }

    private List<String> read(String path) {
        try {
            return Files.readAllLines(root.resolve(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
