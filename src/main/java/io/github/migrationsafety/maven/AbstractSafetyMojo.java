package io.github.migrationsafety.maven;

import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.HtmlReport;
import io.github.migrationsafety.report.Redactor;
import io.github.migrationsafety.report.ReportWriter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The only base class of the goals: handles the skip switches and the report/fail-once routine that every
 * goal ends with. Everything goal-specific lives in the goal and its engine.
 */
public abstract class AbstractSafetyMojo extends AbstractMojo {

    /**
     * Skips every goal of this plugin.
     * Default: {@code false}. User property: {@code migration-safety.skip}.
     */
    @Parameter(property = "migration-safety.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * Directory that receives the JSON, JUnit XML, Markdown and SARIF reports of every goal, and the module's HTML page
     * (index.html) built from them.
     * Default: <code>${project.build.directory}/migration-safety</code>.
     * User property: {@code migration-safety.reportDirectory}.
     */
    @Parameter(
            property = "migration-safety.reportDirectory",
            defaultValue = "${project.build.directory}/migration-safety")
    protected File reportDirectory;

    /** The project directory: SARIF locations are written relative to it. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    private File baseDirectory;

    /** The module's name, the title of its HTML page. */
    @Parameter(defaultValue = "${project.artifactId}", readonly = true)
    private String moduleName;

    private Redactor redactor = Redactor.none();

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            skipped("migration-safety.skip=true");
            return;
        }
        if (goalSkipped()) {
            skipped("migration-safety." + goal() + ".skip=true");
            return;
        }
        run();
    }

    private void skipped(String reason) throws MojoExecutionException {
        getLog().info("Skipping migration-safety:" + goal() + " (" + reason + ")");
        if (!writesReport()) {
            return;
        }
        try {
            HtmlReport.recordSkip(
                    reportDirectory(), goal(), reason, reportWriter().title(), redactor);
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "Cannot record the skip of " + goal() + " in " + reportDirectory() + ": " + e.getMessage()
                            + ". Check that the directory is writable (parameter 'reportDirectory').",
                    e);
        }
    }

    /**
     * Whether the goal writes a report of its own; a skipped one is then shown as skipped on the module's HTML page
     * (when the page exists), rather than by its last report.
     */
    protected boolean writesReport() {
        return true;
    }

    /** The goal name, e.g. {@code dedupe}: used in messages, report file names and the per-goal skip property. */
    protected abstract String goal();

    /** Whether the goal's own skip switch ({@code migration-safety.<goal>.skip}) is on. */
    protected abstract boolean goalSkipped();

    protected abstract void run() throws MojoExecutionException, MojoFailureException;

    /** Registers a secret so that it is masked in every log line and report from now on. */
    protected final void addSecret(String secret) {
        redactor = redactor.with(secret);
    }

    protected final Redactor redactor() {
        return redactor;
    }

    protected final EngineLog engineLog() {
        return new MavenEngineLog(getLog(), redactor);
    }

    protected final Path reportDirectory() {
        return reportDirectory.toPath();
    }

    protected final ReportWriter reportWriter() {
        String stepSummary = System.getenv("GITHUB_STEP_SUMMARY");
        return new ReportWriter(
                reportDirectory(),
                stepSummary == null || stepSummary.isBlank() ? null : Path.of(stepSummary),
                redactor,
                baseDirectory == null ? null : baseDirectory.toPath(),
                moduleName);
    }

    /**
     * Ends the goal the way every goal ends ({@link GoalOutcome}): writes the reports of {@code result}, of a run that
     * started at {@code started}, logs its findings with their rule ids, and fails once when it did not pass.
     *
     * @param failOnErrors when {@code false}, errors are logged as warnings and the build goes on
     */
    protected final void reportAndFail(EngineResult result, Instant started, boolean failOnErrors)
            throws MojoExecutionException, MojoFailureException {
        outcome().conclude(result, started, failOnErrors);
    }

    /** The goal's {@link GoalOutcome}, for a goal that adds figures or tables of its own to the report. */
    final GoalOutcome outcome() {
        return new GoalOutcome(goal(), reportWriter(), engineLog());
    }
}
