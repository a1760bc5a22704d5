package io.github.migrationsafety.changelog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.ChecksumVersion;
import liquibase.changelog.ChangeSet;

/**
 * The committed list of released changesets and their Liquibase checksums, one per line:
 * {@code <checksum> <path>::<id>::<author>}; {@code #} starts a comment. Written at release time, read by
 * every smoke: a released changeset whose checksum changed would make Liquibase refuse to start in
 * production.
 */
public final class ReleasedChecksums {

    private ReleasedChecksums() {}

    public static Map<String, String> read(Path file) throws ChangelogException {
        Map<String, String> checksums = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ChangelogException("Parameter 'releasedChecksums': cannot read " + file + ": " + e.getMessage()
                    + ". Create it with -Dmigration-safety.writeReleasedChecksums=true at release time.");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space < 0 || !line.substring(space + 1).strip().contains("::")) {
                throw new ChangelogException("Parameter 'releasedChecksums': line " + (i + 1) + " of " + file
                        + " is not '<checksum> <path>::<id>::<author>': " + line
                        + ". Fix or delete that line, or write the file"
                        + " again with -Dmigration-safety.writeReleasedChecksums=true.");
            }
            checksums.put(line.substring(space + 1).strip(), line.substring(0, space));
        }
        return checksums;
    }

    public static String checksum(ChangeSet changeSet) {
        return changeSet.generateCheckSum(ChecksumVersion.latest()).toString();
    }

    public static void write(Path file, List<ChangeSet> changeSets) throws ChangelogException {
        StringBuilder text = new StringBuilder("# Released Liquibase changesets and their checksums, written by"
                + " migration-safety:smoke (writeReleasedChecksums=true).\n# Commit this file: the smoke fails when"
                + " a changeset listed here is edited.\n");
        for (ChangeSet changeSet : changeSets) {
            text.append(checksum(changeSet))
                    .append(' ')
                    .append(ChangesetKey.of(changeSet))
                    .append('\n');
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ChangelogException("Parameter 'releasedChecksums': cannot write " + file + ": " + e.getMessage()
                    + ". Check that its directory is writable, or point 'releasedChecksums' at another file.");
        }
    }
}
