package io.github.migrationsafety.maven;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.GoalReport;
import io.github.migrationsafety.smoke.ChangelogReader;
import io.github.migrationsafety.smoke.ChangelogSource;
import io.github.migrationsafety.smoke.Gate;
import io.github.migrationsafety.smoke.GateConfig;
import io.github.migrationsafety.smoke.SmokeException;
import java.io.File;
import java.io.IOException;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Refuses to deploy unless a passing smoke report exists for exactly this changelog: same fingerprint (SHA-256
 * over every changelog file, computed the same way as the smoke does), same changelog, project and dialect, and
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
        List<Finding> findings;
        Map<String, Object> summary = new LinkedHashMap<>();
        try (URLClassLoader classLoader = ProjectClassLoader.of(project)) {
            ChangelogSource source = new ChangelogSource(
                    changeLogDirectory.toPath(),
                    changeLogFile,
                    changelogParameters,
                    contexts,
                    labels,
                    dialect,
                    classLoader);
            ChangelogReader.Result changelog = ChangelogReader.read(source, engineLog());
            GateConfig config = new GateConfig(
                    reportDirectory(),
                    changelog.fingerprint(),
                    changeLogFile,
                    project.getGroupId() + ":" + project.getArtifactId(),
                    dialect,
                    maxAge == null || maxAge.isBlank() ? null : Gate.parseDuration(maxAge),
                    required,
                    Instant.now());
            summary.put("fingerprint", changelog.fingerprint().sha256());
            summary.put("changeLogFile", changeLogFile);
            summary.put("dialect", dialect);
            summary.put("requiredReports", required);
            findings = Gate.check(config);
        } catch (SmokeException e) {
            throw new MojoExecutionException(e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot close the project class loader: " + e.getMessage());
        }
        Duration took = Duration.between(started, Instant.now());
        List<Check> checks = List.of(
                findings.isEmpty()
                        ? Check.passed("gate", "deploy allowed", took)
                        : Check.failed(
                                "gate", "deploy allowed", took, findings.get(0).message()));
        if (findings.isEmpty()) {
            getLog().info("Deploy gate open: the smoke report passed for this changelog (fingerprint "
                    + summary.get("fingerprint") + ")");
        }
        GoalReport report = new GoalReport(goal(), started, took, summary, findings, checks);
        reportAndFail(
                report,
                "Deploy gate closed: " + findings.stream().map(Finding::message).collect(Collectors.joining("; ")),
                true);
    }
}
