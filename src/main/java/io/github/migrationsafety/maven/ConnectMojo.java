package io.github.migrationsafety.maven;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.DatabaseInfo;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.Finding;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks that the database connection settings work before anything else runs: connects, reports the
 * server, user and current schema, and checks that the tables the other goals need exist.
 * Useful as the first step of a CI job to fail fast on credentials.
 */
@Mojo(name = "connect", threadSafe = true)
public class ConnectMojo extends AbstractDatabaseMojo {

    /**
     * Tables that must exist ({@code table} or {@code schema.table}); each missing one is reported.
     * Default: none. User property: {@code migration-safety.requireTables} (comma-separated).
     * <pre>{@code <requireTables><table>model_metadata</table></requireTables>}</pre>
     */
    @Parameter(property = "migration-safety.requireTables")
    private List<String> requireTables = new ArrayList<>();

    /**
     * Skips this goal only. Default: {@code false}. User property: {@code migration-safety.connect.skip}.
     */
    @Parameter(property = "migration-safety.connect.skip", defaultValue = "false")
    private boolean skipConnect;

    @Override
    protected String goal() {
        return "connect";
    }

    @Override
    protected boolean goalSkipped() {
        return skipConnect;
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Instant started = Instant.now();
        ConnectionSettings settings = connectionSettings();
        List<Finding> findings = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        try (Connection connection = Databases.open(settings)) {
            DatabaseInfo info = DatabaseInfo.of(connection);
            getLog().info("Connected to " + info.product() + " " + info.version() + " at " + settings.safeUrl() + " as "
                    + info.user() + "; schema " + info.schema() + " has "
                    + info.tables().size() + " tables");
            summary.put("database", info.product() + " " + info.version());
            summary.put("user", info.user());
            summary.put("schema", info.schema());
            summary.put("tables", info.tables().size());
            summary.put("url", settings.safeUrl());
            SchemaCatalog catalog = SchemaCatalog.of(connection);
            for (String table : requireTables) {
                try {
                    checks.add(Check.passed(
                            "tables", catalog.table(table, "requireTables").display(), Duration.ZERO));
                } catch (DatabaseException missing) {
                    findings.add(Finding.error("connect.table-missing", table, missing.getMessage()));
                }
            }
        } catch (DatabaseException e) {
            throw new MojoExecutionException(redactor().redact(e.getMessage()));
        } catch (SQLException e) {
            throw new MojoExecutionException(
                    "Cannot close the connection to " + settings.safeUrl() + ": " + e.getMessage());
        }
        reportAndFail(new Connected(summary, findings, checks), started, true);
    }

    /**
     * What the connection check found: the goal has no engine of its own (it only opens a connection and reads the
     * catalog), so its result is this record.
     */
    private record Connected(Map<String, Object> summary, List<Finding> findings, List<Check> checks)
            implements EngineResult {

        @Override
        public String headline() {
            return findings.size() + " required table(s) missing";
        }
    }
}
