package io.github.migrationsafety.maven;

import io.github.migrationsafety.report.HtmlReport;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.reporting.MavenReport;
import org.apache.maven.reporting.MavenReportException;

/**
 * One migration-safety page for a multi-module build, at the root of its site: an overview of every module's goals,
 * then each module's sections, read from each module's {@code target/migration-safety} reports (the default
 * {@code reportDirectory}). Like JaCoCo's {@code report-aggregate}: add it to the parent's {@code <reporting>}; a
 * module without modules below it has nothing to aggregate and gets no page from it.
 */
@Mojo(name = "report-aggregate", threadSafe = true)
public class ReportAggregateMojo extends AbstractSafetyMojo implements MavenReport {

    static final String SITE_FOLDER = "migration-safety-aggregate";

    /**
     * Where the page goes when the goal runs on its own ({@code mvn migration-safety:report-aggregate}); in
     * {@code mvn site} the site's directory is used.
     * Default: <code>${project.reporting.outputDirectory}/migration-safety-aggregate</code>.
     * User property: {@code migration-safety.aggregateOutputDirectory}.
     */
    @Parameter(
            property = "migration-safety.aggregateOutputDirectory",
            defaultValue = "${project.reporting.outputDirectory}/" + SITE_FOLDER)
    private File aggregateOutputDirectory;

    /**
     * Skips this goal only. Default: {@code false}. User property: {@code migration-safety.report-aggregate.skip}.
     */
    @Parameter(property = "migration-safety.report-aggregate.skip", defaultValue = "false")
    private boolean skipReportAggregate;

    @Parameter(defaultValue = "${project}", readonly = true)
    private MavenProject project;

    @Parameter(defaultValue = "${reactorProjects}", readonly = true)
    private List<MavenProject> reactorProjects;

    @Override
    protected String goal() {
        return "report-aggregate";
    }

    @Override
    protected boolean goalSkipped() {
        return skipReportAggregate;
    }

    @Override
    protected boolean writesReport() {
        return false;
    }

    @Override
    protected void run() throws MojoExecutionException {
        Map<String, Path> modules = modules();
        if (!canGenerateReport()) {
            getLog().info("No modules below " + project.getArtifactId() + ": no aggregate page written.");
            return;
        }
        try {
            getLog().info("Migration-safety aggregate page: "
                    + HtmlReport.writeAggregate(
                            aggregateOutputDirectory.toPath(), project.getArtifactId(), modules, redactor()));
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "Cannot write the aggregate migration-safety page to " + aggregateOutputDirectory + ": "
                            + e.getMessage()
                            + ". Check that the directory is writable (parameter 'aggregateOutputDirectory').",
                    e);
        }
    }

    /**
     * This project (when it ran goals itself) and every reactor project below its directory, in reactor order, each
     * with its report directory.
     */
    private Map<String, Path> modules() {
        Map<String, Path> modules = new LinkedHashMap<>();
        Path root = project.getBasedir().toPath().toAbsolutePath().normalize();
        if (Files.isDirectory(reportDirectory())) {
            modules.put(project.getArtifactId(), reportDirectory());
        }
        for (MavenProject module : reactorProjects == null ? List.<MavenProject>of() : reactorProjects) {
            Path base = module.getBasedir().toPath().toAbsolutePath().normalize();
            if (!base.equals(root) && base.startsWith(root)) {
                modules.put(
                        module.getArtifactId(),
                        Path.of(module.getBuild().getDirectory()).resolve("migration-safety"));
            }
        }
        return modules;
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
    public boolean canGenerateReport() {
        return !skip
                && !skipReportAggregate
                && modules().keySet().stream().anyMatch(m -> !m.equals(project.getArtifactId()));
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
        return "Migration safety (all modules)";
    }

    @Override
    public String getDescription(Locale locale) {
        return "What the migration-safety goals found in every module of this build, on one page.";
    }

    @Override
    public void setReportOutputDirectory(File directory) {
        aggregateOutputDirectory = ReportMojo.siteFolder(directory, SITE_FOLDER);
    }

    @Override
    public File getReportOutputDirectory() {
        return aggregateOutputDirectory;
    }

    @Override
    public boolean isExternalReport() {
        return true;
    }
}
