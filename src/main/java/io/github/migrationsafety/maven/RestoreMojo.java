package io.github.migrationsafety.maven;

import io.github.migrationsafety.backup.BackupException;
import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.backup.RestoreEngine;
import io.github.migrationsafety.backup.RestoreResult;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Puts the rows of a {@code dedupe} or {@code backup} backup directory back into their table: verifies the manifest
 * and SHA-256 first, inserts the rows whose id is missing in one transaction, undoes recorded repoints, and reports
 * restored and skipped counts. Running it twice changes nothing the second time. Meant for the command line:
 * {@code mvn migration-safety:restore -Dmigration-safety.backup=target/migration-safety/backups/model_metadata-...}.
 */
@Mojo(name = "restore", threadSafe = true)
public class RestoreMojo extends AbstractDatabaseMojo {

    /**
     * The backup directory to restore (the one holding {@code manifest.json} and {@code rows.csv}), or a directory
     * that holds exactly one such backup.
     * No default. User property: {@code migration-safety.backup}.
     */
    @Parameter(property = "migration-safety.backup")
    private File backup;

    /**
     * Skips this goal only. Default: {@code false}. User property: {@code migration-safety.restore.skip}.
     */
    @Parameter(property = "migration-safety.restore.skip", defaultValue = "false")
    private boolean skipRestore;

    @Override
    protected String goal() {
        return "restore";
    }

    @Override
    protected boolean goalSkipped() {
        return skipRestore;
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Instant started = Instant.now();
        if (backup == null) {
            throw new MojoExecutionException(
                    "Parameter 'backup' (user property migration-safety.backup) is not set."
                            + " Give the backup directory to restore, e.g. -Dmigration-safety.backup=target/migration-safety/backups/model_metadata-20250101T000000.000Z.");
        }
        Path directory = backup.toPath();
        if (Files.isDirectory(directory) && !BackupManifest.exists(directory)) {
            List<String> inside = backupsIn(directory);
            if (inside.size() == 1) {
                directory = Path.of(inside.get(0));
                getLog().info("Restoring the only backup in " + backup + ": " + directory);
            } else if (!inside.isEmpty()) {
                throw new MojoExecutionException("Parameter 'backup': " + directory.toAbsolutePath() + " holds several"
                        + " backups; name one of them:\n - " + String.join("\n - ", inside));
            }
        }
        ConnectionSettings settings = connectionSettings();
        RestoreResult result;
        try (Connection connection = Databases.open(settings)) {
            result = new RestoreEngine(connection, engineLog()).restore(directory);
        } catch (DatabaseException | BackupException e) {
            throw new MojoExecutionException(redactor().redact(e.getMessage()));
        } catch (SQLException e) {
            throw new MojoExecutionException(
                    "Cannot close the connection to " + settings.safeUrl() + ": " + e.getMessage());
        }
        reportAndFail(result, started, true);
    }

    private static List<String> backupsIn(Path directory) {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(BackupManifest::exists)
                    .map(Path::toString)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
