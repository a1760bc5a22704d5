package io.github.migrationsafety.maven;

import io.github.migrationsafety.changelog.ChangelogException;
import io.github.migrationsafety.changelog.ChangelogFingerprint;
import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.flyway.FlywayMigrations;
import io.github.migrationsafety.flyway.FlywaySource;
import io.github.migrationsafety.gate.Gate;
import io.github.migrationsafety.gate.GateConfig;
import io.github.migrationsafety.gate.GateResult;
import io.github.migrationsafety.rehearsal.RehearsalReport;
import java.io.File;
import java.io.IOException;
import java.net.URLClassLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Refuses to deploy unless a passing smoke report exists for exactly this changelog: same fingerprint (SHA-256
 * over every changelog file, or every Flyway migration file, computed the same way as the smoke does), same changelog, project and dialect, and
 * — when configured — younger than {@code maxAge}; optionally also passing {@code sidecars} and {@code dedupe}
 * reports. Add it to a release profile so {@code mvn deploy -Prelease} stops before anything is uploaded.
 *
 * <p>Default phase {@code install}, not {@code deploy}: within one phase Maven runs the packaging's own
 * executions first, so a gate bound to {@code deploy} would run after {@code deploy:deploy} had uploaded the
 * artifacts. {@code install} comes after every check bound to {@code verify} and before any upload.
 */
@Mojo(
        name = "gate",
        defaultPhase = LifecyclePhase.INSTALL,
        requiresDependencyResolution = ResolutionScope.COMPILE,
        threadSafe = true)
public class GateMojo extends AbstractSafetyMojo {

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
     * Maximum age of the smoke report, e.g. {@code 30m}, {@code 12h}, {@code 7d} or {@code PT2H}.
     * Default: no limit. User property: {@code migration-safety.maxAge}.
     */
    @Parameter(property = "migration-safety.maxAge")
    private String maxAge;

    /**
     * Also require a passing {@code sidecars-report.json}. Default: {@code false}.
     * User property: {@code migration-safety.requireSidecars}.
     */
    @Parameter(property = "migration-safety.requireSidecars", defaultValue = "false")
    private boolean requireSidecars;

    /**
     * Also require a passing {@code dedupe-report.json}. Default: {@code false}.
     * User property: {@code migration-safety.requireDedupe}.
     */
    @Parameter(property = "migration-safety.requireDedupe", defaultValue = "false")
    private boolean requireDedupe;

    /**
     * Also require that the smoke report holds a rehearsal on production's schema (the smoke with {@code url}) and
     * that it passed: no pending changeset failed on production's schema and no production row breaks one. Default:
     * {@code false}. User property: {@code migration-safety.requireRehearsal}.
     */
    @Parameter(property = "migration-safety.requireRehearsal", defaultValue = "false")
    private boolean requireRehearsal;

    /**
     * Skips this goal only. Default: {@code false}. User property: {@code migration-safety.gate.skip}.
     */
    @Parameter(property = "migration-safety.gate.skip", defaultValue = "false")
    private boolean skipGate;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    protected String goal() {
        return "gate";
    }

    @Override
    protected boolean goalSkipped() {
        return skipGate;
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Instant started = Instant.now();
        List<String> required = new ArrayList<>();
        if (requireSidecars) {
            required.add("sidecars");
        }
        if (requireDedupe) {
            required.add("dedupe");
        }
        GateResult result;
        try (URLClassLoader classLoader = ProjectClassLoader.of(project)) {
            MigrationParameters migrationParameters = migrations();
            FlywaySource flyway = migrationParameters.flyway(project, classLoader);
            boolean flywaySource = migrationParameters.usesFlyway(project, flyway, classLoader);
            ChangelogFingerprint fingerprint = flywaySource
                    ? flywayFingerprint(flyway)
                    : ChangelogReader.read(migrationParameters.changelog(classLoader), engineLog())
                            .fingerprint();
            String migrations = flywaySource ? flyway.label() : changeLogFile;
            GateConfig config = new GateConfig(
                    reportDirectory(),
                    fingerprint,
                    migrations,
                    project.getGroupId() + ":" + project.getArtifactId(),
                    dialect,
                    maxAge == null || maxAge.isBlank() ? null : Gate.parseDuration(maxAge),
                    required,
                    Instant.now());
            result = Gate.run(config);
            if (requireRehearsal) {
                result = result.alsoRequiring("requireRehearsal", RehearsalReport.gate(reportDirectory()));
            }
        } catch (ChangelogException | IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot close the project class loader: " + e.getMessage());
        }
        reportAndFail(result, started, true);
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

    /** The fingerprint the Flyway smoke wrote: over every migration's file, as Flyway resolves them now. */
    private static ChangelogFingerprint flywayFingerprint(FlywaySource flyway) throws MojoExecutionException {
        FlywayMigrations.Resolved resolved;
        try {
            resolved = FlywayMigrations.read(flyway);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read the Flyway migrations at " + flyway.label() + ": "
                    + e.getMessage() + ". Check that the build can read them, then run the goal again.");
        }
        if (!resolved.ok()) {
            throw new MojoExecutionException("Flyway cannot read the migrations at " + flyway.label() + ": "
                    + resolved.error() + ". Fix them and run migration-safety:smoke again before deploying.");
        }
        return resolved.fingerprint();
    }
}
