package io.github.migrationsafety.maven;

import io.github.migrationsafety.report.HtmlReport;
import io.github.migrationsafety.report.ReportIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints one table of what every goal of this plugin did in this module — status, headline figures and
 * where its report is — read from the JSON reports in {@code reportDirectory}, writes the module's HTML page
 * ({@code index.html} there) and prints its path. Bind it last, e.g. to {@code verify} after {@code sidecars}.
 */
@Mojo(name = "summary", threadSafe = true)
public class SummaryMojo extends AbstractSafetyMojo {

    /**
     * Fail the build when any report in the directory says {@code failed} (goals that ran with their own
     * fail switch off still record failures). Default: {@code false}.
     * User property: {@code migration-safety.failOnFailedReports}.
     */
    @Parameter(property = "migration-safety.failOnFailedReports", defaultValue = "false")
    private boolean failOnFailedReports;

    /**
     * Skips this goal only. Default: {@code false}. User property: {@code migration-safety.summary.skip}.
     */
    @Parameter(property = "migration-safety.summary.skip", defaultValue = "false")
    private boolean skipSummary;

    @Override
    protected String goal() {
        return "summary";
    }

    @Override
    protected boolean goalSkipped() {
        return skipSummary;
    }

    @Override
    protected boolean writesReport() {
        return false;
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        List<ReportIndex.Entry> entries;
        try {
            entries = ReportIndex.read(reportDirectory());
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "Cannot read the reports in " + reportDirectory() + ": " + e.getMessage()
                            + ". Delete the damaged file or run 'mvn clean'.",
                    e);
        }
        if (entries.isEmpty()) {
            getLog().info("No migration-safety reports in " + reportDirectory()
                    + ": no goal of this plugin ran in this module.");
            return;
        }
        Path base = reportDirectory();
        int goalWidth = Math.max(
                4, entries.stream().mapToInt(e -> e.goal().length()).max().orElse(4));
        String format = "%-" + goalWidth + "s  %-6s  %-8s  %s";
        getLog().info("migration-safety summary (" + base + "):");
        getLog().info(String.format(Locale.ROOT, format, "goal", "status", "findings", "what it did / report"));
        long failed = 0;
        for (ReportIndex.Entry entry : entries) {
            failed += entry.status().equals("passed") ? 0 : 1;
            String findings = entry.errors() + "E " + entry.warnings() + "W";
            getLog().info(String.format(
                    Locale.ROOT,
                    format,
                    entry.goal(),
                    entry.status(),
                    findings,
                    entry.headline() + (entry.headline().isEmpty() ? "" : " -> ") + base.relativize(entry.report())));
        }
        Path page;
        try {
            page = HtmlReport.write(base, reportWriter().title(), redactor());
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "Cannot write the HTML report to " + base + ": " + e.getMessage()
                            + ". Check that the directory is writable (parameter 'reportDirectory').",
                    e);
        }
        getLog().info("HTML report: " + page.toAbsolutePath());
        if (failed > 0 && failOnFailedReports) {
            throw new MojoFailureException(failed + " of " + entries.size() + " migration-safety reports in " + base
                    + " say failed; see the table above.");
        }
    }
}
