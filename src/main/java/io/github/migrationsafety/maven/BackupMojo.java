package io.github.migrationsafety.maven;

import io.github.migrationsafety.backup.BackupEngine;
import io.github.migrationsafety.backup.BackupException;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Backs up the tables a migration touches before it runs: {@code pg_dump} custom format when the database is
 * PostgreSQL and {@code pg_dump} is found, otherwise (and for H2) a consistent JDBC export — one repeatable-read
 * snapshot — in the CSV + manifest format the {@code restore} goal reads. Bind it to a phase before the migration.
 */
@Mojo(name = "backup", threadSafe = true)
public class BackupMojo extends AbstractDatabaseMojo {

    /**
     * Tables to back up ({@code name} or {@code schema.name}). Default: every table of the current schema.
     * User property: {@code migration-safety.tables} (comma-separated).
     * <pre>{@code <tables><table>model_metadata</table></tables>}</pre>
     */
    @Parameter(property = "migration-safety.tables")
    private List<String> tables = new ArrayList<>();

    /**
     * Where backups are written: {@code backup} writes a {@code .dump} file (pg_dump) or one directory per table
     * (JDBC export), {@code dedupe} apply one directory per run ({@code rows.csv} + {@code manifest.json}); the
     * {@code restore} goal reads the CSV ones.
     * Default: <code>${project.build.directory}/migration-safety/backups</code>.
     * User property: {@code migration-safety.backupDirectory}.
     */
    @Parameter(
            property = "migration-safety.backupDirectory",
            defaultValue = "${project.build.directory}/migration-safety/backups")
    private File backupDirectory;

    /**
     * {@code auto} (pg_dump for PostgreSQL when found, falling back to the JDBC export if it fails, e.g. on a
     * server/client version mismatch), {@code pg_dump} (required) or {@code jdbc}.
     * Default: {@code auto}. User property: {@code migration-safety.method}.
     */
    // String, parsed once by BackupEngine.Method.parse: Maven binds an enum parameter by Enum.valueOf on the exact
    // constant name, which refuses the spellings users write (auto, pg_dump, jdbc) and Maven's message would replace
    // ours.
    @Parameter(property = "migration-safety.method", defaultValue = "auto")
    private String method;

    /**
     * The pg_dump executable: a path, or a name looked up on the PATH. The password is passed in its environment
     * ({@code PGPASSWORD}), never on its command line. {@code backup}: default {@code pg_dump}. {@code smoke} (the
     * rehearsal on production's schema): pg_dump refuses a server newer than itself, so by default the client of
     * production's major version is chosen ({@code /usr/lib/postgresql/<major>/bin/pg_dump}, or the next newer one
     * installed there, else {@code pg_dump} on the PATH when it is new enough); one given here that is older than
     * production stops the rehearsal. User property: {@code migration-safety.pgDump}.
     */
    @Parameter(property = "migration-safety.pgDump", defaultValue = "pg_dump")
    private String pgDump;

    /**
     * Rows fetched per database round trip while streaming (the dedupe scans, the backup JDBC export).
     * Default: {@code 10000}. User property: {@code migration-safety.fetchSize}.
     */
    @Parameter(property = "migration-safety.fetchSize", defaultValue = "10000")
    private int fetchSize;

    /**
     * Skips this goal only. Default: {@code false}. User property: {@code migration-safety.backup.skip}.
     */
    @Parameter(property = "migration-safety.backup.skip", defaultValue = "false")
    private boolean skipBackup;

    @Override
    protected String goal() {
        return "backup";
    }

    @Override
    protected boolean goalSkipped() {
        return skipBackup;
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Instant started = Instant.now();
        BackupEngine.Config config;
        try {
            List<String> names = new ArrayList<>();
            for (String table : tables == null ? List.<String>of() : tables) {
                for (String part : table.split(",")) {
                    if (!part.isBlank()) {
                        names.add(part.strip());
                    }
                }
            }
            config = new BackupEngine.Config(
                    names, backupDirectory.toPath(), BackupEngine.Method.parse(method), pgDump, Math.max(1, fetchSize));
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        }
        ConnectionSettings settings = connectionSettings();
        BackupEngine.Result result;
        try {
            result = new BackupEngine(settings, engineLog()).run(config);
        } catch (DatabaseException | BackupException e) {
            throw new MojoExecutionException(redactor().redact(e.getMessage()));
        }
        reportAndFail(result, started, true);
    }
}
