package io.github.migrationsafety.maven;

import io.github.migrationsafety.report.HtmlReport;
import java.io.File;
import java.io.IOException;
import java.util.Locale;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.reporting.MavenReport;
import org.apache.maven.reporting.MavenReportException;

/**
 * The module's migration-safety page in the Maven site: the same self-contained page the goals write to
 * {@code target/migration-safety/index.html}, as {@code migration-safety/index.html} of the site, listed under
 * Project Reports. Add it to {@code <reporting>}; run {@code mvn site} after the build that ran the goals (the
 * page is read from their JSON reports). Run on its own, it writes the page into {@code outputDirectory}.
 */
@Mojo(name = "report", threadSafe = true)
public class ReportMojo extends AbstractSafetyMojo implements MavenReport {

    static final String SITE_FOLDER = "migration-safety";

    /**
     * Where the page goes when the goal runs on its own ({@code mvn migration-safety:report}); in {@code mvn site}
     * the site's directory is used. Default: <code>${project.reporting.outputDirectory}/migration-safety</code>.
     * User property: {@code migration-safety.outputDirectory}.
     */
    @Parameter(
            property = "migration-safety.outputDirectory",
            defaultValue = "${project.reporting.outputDirectory}/" + SITE_FOLDER)
    private File outputDirectory;

    /** Skips this goal only. Default: {@code false}. User property: {@code migration-safety.report.skip}. */
    @Parameter(property = "migration-safety.report.skip", defaultValue = "false")
    private boolean skipReport;

    @Override
    protected String goal() {
        return "report";
    }

    @Override
    protected boolean goalSkipped() {
        return skipReport;
    }

    @Override
    protected boolean writesReport() {
        return false;
    }

    @Override
    protected void run() throws MojoExecutionException {
        try {
            if (!HtmlReport.hasReports(reportDirectory())) {
                getLog().info("No migration-safety reports in " + reportDirectory() + ": no page written.");
                return;
            }
            getLog().info("Migration-safety page: "
                    + HtmlReport.write(
                            reportDirectory(),
                            outputDirectory.toPath(),
                            reportWriter().title(),
                            redactor()));
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "Cannot write the migration-safety page to " + outputDirectory + ": " + e.getMessage()
                            + ". Check that the directory is writable (parameter 'outputDirectory').",
                    e);
        }
    }

    @Override
    public void generate(Sink sink, Locale locale) throws MavenReportException {
        try {
            run();
        } catch (MojoExecutionException e) {
            throw new MavenReportException(e.getMessage(), e);
        }
    }

    @Override
    public boolean canGenerateReport() throws MavenReportException {
        try {
            return !skip && !skipReport && HtmlReport.hasReports(reportDirectory());
        } catch (IOException e) {
            throw new MavenReportException(
                    "Cannot read the reports in " + reportDirectory() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String getOutputName() {
        return SITE_FOLDER + "/index";
    }

    @Override
    public String getCategoryName() {
        return CATEGORY_PROJECT_REPORTS;
    }

    @Override
    public String getName(Locale locale) {
        return "Migration safety";
    }

    @Override
    public String getDescription(Locale locale) {
        return "What the migration-safety goals found in this module: smoke test, production impact, duplicates,"
                + " model sidecars and the deploy gate.";
    }

    @Override
    public void setReportOutputDirectory(File directory) {
        outputDirectory = siteFolder(directory, SITE_FOLDER);
    }

    @Override
    public File getReportOutputDirectory() {
        return outputDirectory;
    }

    @Override
    public boolean isExternalReport() {
        return true;
    }

    /** The site gives its root directory; the page goes into a folder of its own there. */
    static File siteFolder(File directory, String folder) {
        return directory.getName().equals(folder) ? directory : new File(directory, folder);
    }
}
