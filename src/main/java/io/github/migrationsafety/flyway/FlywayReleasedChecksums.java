package io.github.migrationsafety.flyway;

import io.github.migrationsafety.smoke.SmokeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed list of released versioned migrations and their Flyway checksums (the number
 * {@code flyway_schema_history.checksum} records), one per line: {@code <checksum> <migration>}, e.g.
 * {@code 1402837361 db/migration/V1__create_model_metadata.sql}; {@code #} starts a comment. A released migration whose
 * checksum changed makes Flyway's validate refuse to migrate production. Repeatable migrations are not listed: Flyway
 * runs them again when they change, by design. Java migrations without a checksum of their own are not listed either.
 */
final class FlywayReleasedChecksums {

    private FlywayReleasedChecksums() {}

    static Map<String, Integer> read(Path file) throws SmokeException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SmokeException("Parameter 'releasedChecksums': cannot read " + file + ": " + e.getMessage()
                    + ". Create it with -Dmigration-safety.writeReleasedChecksums=true at release time.");
        }
        Map<String, Integer> checksums = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            try {
                if (parts.length < 2) {
                    throw new NumberFormatException();
                }
                checksums.put(parts[1].strip(), Integer.parseInt(parts[0]));
            } catch (NumberFormatException e) {
                throw new SmokeException("Parameter 'releasedChecksums': line " + (i + 1) + " of " + file
                        + " is not '<checksum> <migration>' (a Flyway checksum and the migration's file, e.g."
                        + " 1402837361 db/migration/V1__init.sql): " + line + ". Fix or delete that line, or write"
                        + " the file again with -Dmigration-safety.writeReleasedChecksums=true.");
            }
        }
        return checksums;
    }

    static void write(Path file, List<Migration> migrations) throws SmokeException {
        StringBuilder text = new StringBuilder("# Released Flyway migrations and their checksums, written by"
                + " migration-safety:smoke (writeReleasedChecksums=true).\n# Commit this file: the smoke fails when"
                + " a migration listed here is edited.\n");
        for (Migration migration : migrations) {
            if (!migration.repeatable() && migration.checksum() != null) {
                text.append(migration.checksum())
                        .append(' ')
                        .append(migration.key())
                        .append('\n');
            }
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SmokeException("Parameter 'releasedChecksums': cannot write " + file + ": " + e.getMessage()
                    + ". Check that its directory is writable, or point 'releasedChecksums' at another file.");
        }
    }
}
