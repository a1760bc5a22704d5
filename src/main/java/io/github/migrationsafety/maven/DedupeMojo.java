package io.github.migrationsafety.maven;

import io.github.migrationsafety.changelog.ChangelogException;
import io.github.migrationsafety.changelog.ChangelogUniqueKeys;
import io.github.migrationsafety.changelog.MigrationKeys;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.dedupe.ChangelogKeysCheck;
import io.github.migrationsafety.dedupe.DedupeConfig;
import io.github.migrationsafety.dedupe.DedupeEngine;
import io.github.migrationsafety.dedupe.DedupeResult;
import io.github.migrationsafety.dedupe.KeepRule;
import io.github.migrationsafety.dedupe.OnReferences;
import io.github.migrationsafety.dedupe.OnlineOptions;
import io.github.migrationsafety.flyway.FlywaySource;
import io.github.migrationsafety.flyway.FlywayUniqueKeys;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Finds rows that would block a unique constraint on {@code keyColumns} and writes them to a CSV report
 * (dry-run, the default); fails the build when there are any. With {@code apply=true} deletes every row of a
 * group but the one {@code keep} selects, in one transaction, after writing a fsynced CSV backup that the
 * {@code restore} goal can put back.
 */
@Mojo(name = "dedupe", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class DedupeMojo extends AbstractDatabaseMojo {

    /**
     * Table to check ({@code name} or {@code schema.name}). Default: {@code model_metadata}.
     * User property: {@code migration-safety.table}.
     */
    @Parameter(property = "migration-safety.table", defaultValue = "model_metadata")
    private String table;

    /**
     * Columns that must be unique together. Default: {@code name,version}.
     * User property: {@code migration-safety.keyColumns} (comma-separated).
     * <pre>{@code <keyColumns><keyColumn>name</keyColumn><keyColumn>version</keyColumn></keyColumns>}</pre>
     */
    @Parameter(property = "migration-safety.keyColumns", defaultValue = "name,version")
    private List<String> keyColumns;

    /**
     * Column that identifies a row (unique, not null). Default: the table's single-column primary key.
     * User property: {@code migration-safety.idColumn}.
     */
    @Parameter(property = "migration-safety.idColumn")
    private String idColumn;

    /**
     * Which row of a duplicate group is kept: {@code lowest-id}, {@code highest-id}, {@code newest:<column>} or
     * {@code oldest:<column>} (ties broken by the lowest id). Default: {@code lowest-id}.
     * User property: {@code migration-safety.keep}.
     */
    @Parameter(property = "migration-safety.keep", defaultValue = "lowest-id")
    private String keep;

    /**
     * Delete the duplicates (after a backup) instead of only reporting them. Default: {@code false}.
     * User property: {@code migration-safety.apply}.
     */
    @Parameter(property = "migration-safety.apply", defaultValue = "false")
    private boolean apply;

    /**
     * With {@code apply}: delete online, in batches of this many rows, each its own short transaction with a lock
     * timeout and retries, so writers of other rows wait for one batch at most (PostgreSQL only). The rows are ranked
     * once without a table lock into a plan in the backup directory; each batch's rows are in the fsynced backup
     * before its delete commits; a final pass deletes duplicates inserted meanwhile. A run stopped at any instant is
     * finished by the next apply (see {@code resume}). Default: none (one transaction). User property:
     * {@code migration-safety.batchSize}.
     */
    @Parameter(property = "migration-safety.batchSize")
    private Integer batchSize;

    /**
     * With {@code apply}: when {@code backupDirectory} holds an online apply of the same table that stopped before it
     * finished (Maven killed, connection lost, database restarted), finish it first, whatever {@code batchSize} says;
     * {@code false} fails instead. Default: {@code true}. User property: {@code migration-safety.resume}.
     */
    @Parameter(property = "migration-safety.resume", defaultValue = "true")
    private boolean resume;

    /**
     * Fail the build when the dry-run finds duplicates; {@code false} reports them as warnings.
     * Default: {@code true}. User property: {@code migration-safety.failOnDuplicates}.
     */
    @Parameter(property = "migration-safety.failOnDuplicates", defaultValue = "true")
    private boolean failOnDuplicates;

    /**
     * Optional SQL condition limiting the rows considered, e.g. {@code created_at < DATE '2025-01-01'}. One plain
     * condition only: {@code ;}, comments and unbalanced parentheses are rejected, and it is parse-checked in a
     * read-only transaction first. Default: none. User property: {@code migration-safety.where}.
     */
    @Parameter(property = "migration-safety.where")
    private String where;

    /**
     * What apply does with rows to delete that other tables reference by foreign key: {@code fail} (list them and
     * change nothing) or {@code repoint} (point the references at the kept row; recorded in the backup).
     * Default: {@code fail}. User property: {@code migration-safety.onReferences}.
     */
    // String, parsed once by OnReferences.parse: Maven binds an enum parameter by Enum.valueOf on the exact
    // constant name, which refuses the spellings users write (fail, repoint) and Maven's message would replace ours.
    @Parameter(property = "migration-safety.onReferences", defaultValue = "fail")
    private String onReferences;

    /**
     * {@code true}: rows with a NULL key column are never duplicates (standard unique constraints);
     * {@code false}: NULLs compare equal, like PostgreSQL 15 {@code UNIQUE NULLS NOT DISTINCT}.
     * Default: {@code true}. User property: {@code migration-safety.nullsDistinct}.
     */
    @Parameter(property = "migration-safety.nullsDistinct", defaultValue = "true")
    private boolean nullsDistinct;

    /**
     * CSV report of every row in a duplicate group. Default: <code>${project.build.directory}/migration-safety/dedupe-report.csv</code>.
     * User property: {@code migration-safety.reportFile}.
     */
    @Parameter(
            property = "migration-safety.reportFile",
            defaultValue = "${project.build.directory}/migration-safety/dedupe-report.csv")
    private File reportFile;

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
     * Also warn about key values that differ only by case or surrounding whitespace (they pass a unique constraint
     * but usually name the same model). Costs a test of every row's keys. Default: {@code true} for the dry-run,
     * {@code false} with {@code apply}: the dry-run that goes before an apply reports them, and the one-transaction
     * apply holds a lock that blocks writers, which no search should lengthen. With {@code apply} and
     * {@code nearDuplicates=true}, the search runs after the apply's transaction has ended (after its lock).
     * User property: {@code migration-safety.nearDuplicates}.
     */
    @Parameter(property = "migration-safety.nearDuplicates")
    private Boolean nearDuplicates;

    /**
     * Rows fetched per database round trip while streaming (the dedupe scans, the backup JDBC export).
     * Default: {@code 10000}. User property: {@code migration-safety.fetchSize}.
     */
    @Parameter(property = "migration-safety.fetchSize", defaultValue = "10000")
    private int fetchSize;

    /**
     * Instead of {@code table}/{@code keyColumns}, check every unique key that a migration not yet applied to this
     * database adds: a Liquibase changeset's {@code addUniqueConstraint} or unique {@code createIndex} (pending as this
     * database's DATABASECHANGELOG says), or a Flyway migration's {@code ALTER TABLE ... ADD [CONSTRAINT c] UNIQUE}
     * or {@code CREATE UNIQUE INDEX} (pending as Flyway's own {@code info} says from this database's
     * {@code flyway_schema_history}, read only; see {@code migrationSource}). The dry-run then says which pending
     * migration would fail and on which rows. Dry-run only. Default: {@code false}.
     * User property: {@code migration-safety.keysFromChangelog}.
     */
    @Parameter(property = "migration-safety.keysFromChangelog", defaultValue = "false")
    private boolean keysFromChangelog;

    /**
     * Master changelog, relative to {@code changeLogDirectory}. XML, YAML, JSON and SQL-formatted changelogs work.
     * Give {@code smoke}, {@code gate} and {@code dedupe} (for {@code keysFromChangelog}) the same value.
     * Default: {@code db/changelog/db.changelog-master.yaml}. User property: {@code migration-safety.changeLogFile}.
     */
    @Parameter(property = "migration-safety.changeLogFile", defaultValue = "db/changelog/db.changelog-master.yaml")
    private String changeLogFile;

    /**
     * Root the application's Liquibase resolves changelog paths against; changeset identities (path::id::author)
     * are relative to it, exactly as at runtime and in DATABASECHANGELOG. Give {@code smoke}, {@code gate} and
     * {@code dedupe} the same value.
     * Default: <code>${project.basedir}/src/main/resources</code>. User property: {@code migration-safety.changeLogDirectory}.
     */
    @Parameter(property = "migration-safety.changeLogDirectory", defaultValue = "${project.basedir}/src/main/resources")
    private File changeLogDirectory;

    /**
     * Changelog parameters for {@code ${name}} substitution, as the application passes them at runtime; give
     * {@code gate} the same ones as {@code smoke} (they decide which files an include reads).
     * Default: none. No user property.
     * <pre>{@code <changelogParameters><schemaOwner>app</schemaOwner></changelogParameters>}</pre>
     */
    @Parameter
    private Map<String, String> changelogParameters = new HashMap<>();

    /**
     * Where the project's migrations are: {@code liquibase} (the changelog at {@code changeLogFile}), {@code flyway}
     * (Flyway migrations at {@code flywayLocations}) or {@code auto}, the one that exists. A project with both must
     * name one. Give {@code smoke}, {@code gate} and {@code dedupe} (for {@code keysFromChangelog}) the same value.
     * Default: {@code auto}. User property: {@code migration-safety.migrationSource}.
     */
    @Parameter(property = "migration-safety.migrationSource", defaultValue = "auto")
    private String migrationSource;

    /**
     * Flyway locations of the migrations, comma-separated, read by Flyway itself: {@code db/migration} or
     * {@code classpath:db/migration} from the project's resources and classes (SQL files and Java migrations, as the
     * application finds them at runtime; so {@code smoke} and {@code gate} run after {@code process-classes}, and
     * {@code dedupe}, bound to {@code validate}, reads the resource directories themselves too),
     * {@code filesystem:dir} relative to the project's directory. Give {@code smoke}, {@code gate} and
     * {@code dedupe} (for {@code keysFromChangelog}) the same value.
     * Default: the {@code flyway.locations} setting, else {@code db/migration}. User property:
     * {@code migration-safety.flywayLocations}.
     */
    @Parameter(property = "migration-safety.flywayLocations")
    private String flywayLocations;

    /**
     * Flyway settings as the application's Flyway runs with them, named as in {@code flyway.conf} with or without the
     * {@code flyway.} prefix: placeholders ({@code placeholders.owner}), {@code sqlMigrationPrefix}, {@code table},
     * {@code defaultSchema} ... They override {@code flyway.conf} in the project's directory and the project's
     * {@code flyway.*} properties, which are read too. Connection settings ({@code url}, {@code user},
     * {@code password}) are ignored: the goal uses its own databases. Give {@code smoke}, {@code gate} and
     * {@code dedupe} (for {@code keysFromChangelog}) the same ones. Default: none. No user property.
     * <pre>{@code <flywayConfiguration><placeholders.owner>app</placeholders.owner></flywayConfiguration>}</pre>
     */
    @Parameter
    private Map<String, String> flywayConfiguration = new HashMap<>();

    /** Its compiled classes hold the changelog's customChange classes, when they are compiled yet. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true)
    private File classesDirectory;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /**
     * Skips this goal only. Default: {@code false}. User property: {@code migration-safety.dedupe.skip}.
     */
    @Parameter(property = "migration-safety.dedupe.skip", defaultValue = "false")
    private boolean skipDedupe;

    @Override
    protected String goal() {
        return "dedupe";
    }

    @Override
    protected boolean goalSkipped() {
        return skipDedupe;
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Instant started = Instant.now();
        DedupeConfig config = config();
        ConnectionSettings settings = connectionSettings();
        if (keysFromChangelog) {
            runChangelogKeys(started, config, settings);
            return;
        }
        OnlineOptions online = online();
        if (nearDuplicates == null && apply && !config.nearDuplicates()) {
            getLog().info("dedupe: apply does not search near duplicates (keys differing only by case or surrounding"
                    + " whitespace); the dry-run reports them. Set nearDuplicates=true to search after the apply.");
        }
        DedupeResult result;
        try (Connection connection = Databases.open(settings)) {
            result = new DedupeEngine(connection, ConnectionSource.of(settings), engineLog()).run(config, online);
        } catch (DatabaseException e) {
            throw new MojoExecutionException(redactor().redact(e.getMessage()));
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the dedupe report " + config.reportFile() + ": "
                    + e.getMessage() + ". Check that the directory is writable (parameter 'reportFile').");
        } catch (SQLException e) {
            throw new MojoExecutionException(
                    "Cannot close the connection to " + settings.safeUrl() + ": " + e.getMessage());
        }
        reportAndFail(result, started, failOnDuplicates);
    }

    private void runChangelogKeys(Instant started, DedupeConfig config, ConnectionSettings settings)
            throws MojoExecutionException, MojoFailureException {
        if (apply) {
            throw new MojoExecutionException(
                    "Parameters 'keysFromChangelog' and 'apply' conflict: apply deletes rows of"
                            + " one table and key set, while keysFromChangelog only reports. Run the dry-run with keysFromChangelog,"
                            + " then apply with 'table' and 'keyColumns' set to the key you reviewed.");
        }
        ChangelogKeysCheck.Result result;
        // dedupe runs at validate, before the project's dependencies are resolved and its resources copied: its
        // resource directories (Flyway's SQL migrations as they are now) and its compiled classes, if any (a
        // customChange class, a Flyway Java migration), are what the migrations can come from
        try (Connection connection = Databases.open(settings);
                URLClassLoader classLoader = new SourcesFirstClassLoader(
                        resourceDirectories(), classesDirectory.toURI().toURL(), DedupeMojo.class.getClassLoader())) {
            MigrationParameters migrations = new MigrationParameters(
                    changeLogDirectory,
                    changeLogFile,
                    migrationSource,
                    flywayLocations,
                    flywayConfiguration,
                    null,
                    null,
                    changelogParameters,
                    "postgresql");
            FlywaySource flyway = migrations.flyway(project, classLoader);
            MigrationKeys keys = migrations.usesFlyway(project, flyway, classLoader)
                    ? new FlywayUniqueKeys(flyway, ConnectionSource.of(settings))
                    : ChangelogUniqueKeys.of(migrations.changelog(classLoader));
            result = new ChangelogKeysCheck(connection, ConnectionSource.of(settings), engineLog()).run(keys, config);
        } catch (ChangelogException e) {
            throw new MojoExecutionException(redactor().redact(e.getMessage()));
        } catch (DatabaseException e) {
            throw new MojoExecutionException(redactor().redact(e.getMessage()));
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write a dedupe report next to " + config.reportFile() + ": "
                    + e.getMessage() + ". Check that the directory is writable (parameter 'reportFile').");
        } catch (SQLException e) {
            throw new MojoExecutionException(
                    "Cannot close the connection to " + settings.safeUrl() + ": " + e.getMessage());
        }
        reportAndFail(result, started, failOnDuplicates);
    }

    /** The project's resource directories that exist. */
    private List<URL> resourceDirectories() throws IOException {
        List<URL> urls = new ArrayList<>();
        for (Resource resource : project.getResources()) {
            if (resource.getDirectory() != null && new File(resource.getDirectory()).isDirectory()) {
                urls.add(new File(resource.getDirectory()).toURI().toURL());
            }
        }
        return urls;
    }

    private DedupeConfig config() throws MojoExecutionException {
        try {
            List<String> keys = new ArrayList<>();
            for (String key : keyColumns == null ? List.<String>of() : keyColumns) {
                for (String part : key.split(",")) {
                    if (!part.isBlank()) {
                        keys.add(part.strip());
                    }
                }
            }
            if (fetchSize < 1) {
                throw new IllegalArgumentException(
                        "Parameter 'fetchSize' is " + fetchSize + "; give a positive number of rows, e.g. 10000.");
            }
            return new DedupeConfig(
                    table,
                    keys,
                    idColumn,
                    KeepRule.parse(keep),
                    apply,
                    where,
                    OnReferences.parse(onReferences),
                    nullsDistinct,
                    reportFile.toPath(),
                    backupDirectory == null ? null : backupDirectory.toPath(),
                    fetchSize,
                    nearDuplicates != null ? nearDuplicates : DedupeConfig.nearDuplicatesByDefault(apply));
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        }
    }

    private OnlineOptions online() throws MojoExecutionException {
        try {
            return new OnlineOptions(batchSize == null ? 0 : batchSize, resume);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        }
    }
}
