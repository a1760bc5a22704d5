package io.github.migrationsafety.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checks a backup passes before anything is restored from it: a complete manifest of a known format, every file
 * it names present inside the directory with the SHA-256 it records, and a data file whose header is the manifest's
 * columns. Reads files only; the database is not involved.
 */
final class BackupCheck {

    private BackupCheck() {}

    /** Verifies a backup directory without touching the database; throws with what is wrong. */
    static BackupManifest verify(Path directory) throws BackupException {
        if (!Files.isDirectory(directory)) {
            throw new BackupException(
                    "Parameter 'backup': " + directory.toAbsolutePath()
                            + " is not a directory. Give a backup directory written by dedupe or backup (it holds manifest.json).");
        }
        if (!BackupManifest.exists(directory)) {
            throw new BackupException("Backup " + directory.toAbsolutePath() + " is incomplete: it has no "
                    + BackupManifest.FILE + " (the run that wrote it stopped before the backup was finished, so it"
                    + " changed nothing). Choose another backup directory.");
        }
        BackupManifest manifest;
        try {
            manifest = BackupManifest.read(directory);
        } catch (IOException e) {
            throw new BackupException(
                    "Backup " + directory.toAbsolutePath() + ": " + BackupManifest.FILE + " cannot be read ("
                            + firstLine(e.getMessage()) + "). It was edited or damaged; restore from an intact copy.");
        }
        if (!(manifest.format() == BackupManifest.FORMAT && manifest.dataFormat() == null || manifest.isPostgresCopy())
                || manifest.columns() == null
                || manifest.dataFile() == null
                || manifest.sha256() == null
                || manifest.idColumn() == null) {
            throw new BackupException("Backup " + directory.toAbsolutePath() + ": " + BackupManifest.FILE
                    + " is not a format " + BackupManifest.FORMAT
                    + " manifest with columns, dataFile, sha256 and idColumn."
                    + " Restore from an intact copy.");
        }
        checkHash(directory, manifest.dataFile(), manifest.sha256());
        if (manifest.repointFile() != null) {
            checkHash(directory, manifest.repointFile(), manifest.repointSha256());
        }
        return manifest;
    }

    private static void checkHash(Path directory, String file, String expected) throws BackupException {
        Path path = directory.resolve(file).normalize();
        if (!path.startsWith(directory.normalize()) || !Files.isRegularFile(path)) {
            throw new BackupException("Backup " + directory.toAbsolutePath() + ": the manifest names " + file
                    + ", which is missing. The backup is incomplete; restore from an intact copy.");
        }
        String actual;
        try {
            actual = HashingFile.sha256(path);
        } catch (IOException e) {
            throw new BackupException("Cannot read " + path.toAbsolutePath() + ": " + e.getMessage() + ".");
        }
        if (!actual.equals(expected)) {
            throw new BackupException("Backup file " + path.toAbsolutePath() + " has SHA-256 " + actual
                    + " but its manifest says " + expected + ": the file was truncated or edited after the backup was"
                    + " written. Nothing was restored; restore from an intact copy of the backup.");
        }
    }

    /** The data file's header must be the manifest's columns, in order. */
    static void header(Path directory, BackupManifest manifest, List<String> header) throws BackupException {
        List<String> expected =
                manifest.columns().stream().map(BackupManifest.Column::name).toList();
        if (!header.equals(expected)) {
            throw new BackupException("Backup " + directory.toAbsolutePath() + ": the header of "
                    + manifest.dataFile() + " " + header + " does not match the manifest's columns " + expected
                    + ". Restore from an intact copy.");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
