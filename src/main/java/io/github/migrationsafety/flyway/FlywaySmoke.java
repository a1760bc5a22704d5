package io.github.migrationsafety.flyway;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.smoke.EmbeddedPostgresServer;
import io.github.migrationsafety.smoke.ImpactSettings;
import io.github.migrationsafety.smoke.ProductionReader;
import io.github.migrationsafety.smoke.SharedEmbeddedPostgres;
import io.github.migrationsafety.smoke.SmokeException;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.smoke.Suppressions;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The smoke test of Flyway migrations: Flyway resolves and orders them, the lint compares released checksums, the
 * SQL is written with placeholders replaced, and Flyway's own migrate applies them to a fresh H2 (PostgreSQL mode) and
 * optionally a real PostgreSQL, with a verdict per migration. There is no rollback test: Flyway's community edition
 * has no undo, and the report says so. Returns the same {@link SmokeResult} as the Liquibase smoke, so the reports and
 * the gate read both alike.
 */
public final class FlywaySmoke {

    /** What the report and the log say instead of a rollback test. */
    public static final String NO_UNDO = "not tested: Flyway's community edition has no undo, so there is no rollback"
            + " to test; roll back by restoring a backup (migration-safety:backup, then restore) or with a new"
            + " versioned migration";

    static final String INVALID = "smoke.flyway.invalid";
    static final String RELEASED_EDITED = "smoke.lint.released-migration-edited";
    static final String RELEASED_REMOVED = "smoke.lint.released-migration-removed";

    private final FlywaySmokeConfig config;
    private final EngineLog log;
    private final SharedEmbeddedPostgres shared;

    public FlywaySmoke(FlywaySmokeConfig config, EngineLog log) {
        this(config, log, null);
    }

    /**
     * @param shared with postgres=embedded, the server to use (started in the background while Flyway reads the
     *               migrations and H2 runs; the caller stops it, so that the rehearsal after the smoke makes its
     *               databases there too); or {@code null} for a server of the smoke's own
     */
    public FlywaySmoke(FlywaySmokeConfig config, EngineLog log, SharedEmbeddedPostgres shared) {
        this.config = config;
        this.log = log;
        this.shared = shared;
    }

    public SmokeResult run() throws SmokeException {
        if (config.postgres().embedded()) {
            EmbeddedPostgresServer.requireOnClasspath(FlywaySmoke.class.getClassLoader());
            if (shared != null) {
                shared.startInBackground();
            }
        }
        Map<String, Integer> released = Map.of();
        if (config.releasedChecksums() != null) {
            if (Files.isRegularFile(config.releasedChecksums())) {
                released = FlywayReleasedChecksums.read(config.releasedChecksums());
            } else if (!config.writeReleasedChecksums()) {
                throw new SmokeException("Parameter 'releasedChecksums': " + config.releasedChecksums()
                        + " does not exist. Create it at release time with"
                        + " -Dmigration-safety.writeReleasedChecksums=true, or remove the parameter.");
            }
        }
        // Flyway's log creator is JVM-wide: smoke runs of parallel module builds take turns
        synchronized (FlywaySmoke.class) {
            FlywayLog.routeTo(log);
            try {
                return body(released);
            } catch (IOException | SQLException | RuntimeException e) {
                throw new SmokeException(
                        "The Flyway smoke test could not run: " + FlywayMessages.databaseMessage(e)
                                + ". Run the build again with -e to see where it stopped; if the migrations are valid,"
                                + " report it with that output.",
                        e);
            }
        }
    }

    private SmokeResult body(Map<String, Integer> released) throws IOException, SQLException, SmokeException {
        FlywaySmokeReport report = new FlywaySmokeReport(config.failOn());
        FlywaySource source = config.source();
        String label = source.label();
        report.put("changeLogFile", label);
        report.put("migrationSource", "flyway");
        long started = System.nanoTime();
        FlywayMigrations.Resolved resolved = FlywayMigrations.read(source);
        report.put("dialect", config.dialect());
        report.put("rollback", NO_UNDO);
        if (!resolved.ok()) {
            report.put("fingerprint", "");
            report.add(Finding.error(INVALID, label, "Flyway cannot read the migrations: " + resolved.error())
                    .withHint("fix the migration Flyway names (each version once, names as"
                            + " V<version>__<description>.sql or R__<description>.sql), as Flyway's validate"
                            + " would refuse them in production too"));
            return report.result();
        }
        List<Migration> migrations = resolved.migrations();
        report.put("fingerprint", resolved.fingerprint().sha256());
        report.put("changelogFiles", resolved.fingerprint().files());
        log.info("Flyway migrations " + label + ": " + migrations.size() + " migrations, fingerprint "
                + resolved.fingerprint().sha256() + " (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
        if (migrations.isEmpty()) {
            report.add(Finding.error(
                            "smoke.nothing-selected",
                            label,
                            "Flyway finds no migration at " + label + ", so nothing was tested")
                    .withHint("set 'flywayLocations' to where the migrations are (classpath: locations are read"
                            + " from the project's classes and resources, so run the goal after"
                            + " process-resources, e.g. mvn verify)"));
            return report.result();
        }
        FlywayLint lint = new FlywayLint(report, log);
        lint.released(migrations, released);
        ProductionBoundary boundary = ProductionBoundary.NONE;
        ImpactSettings estimate = config.estimate();
        if (config.production() != null) {
            boundary = production(migrations, report);
            estimate = withStatistics(estimate);
        } else if (!released.isEmpty()) {
            boundary = new ProductionBoundary("releasedChecksums", released.keySet(), null);
        }
        Map<String, String> sql = FlywaySqlFile.write(source, config.sqlFile(), migrations, report, log);
        Suppressions suppressions = FlywaySuppressions.read(migrations, sql, config.suppressions());
        List<String> databases = new ArrayList<>();
        report.put("databases", databases);
        DatabaseResult h2;
        DatabaseResult postgres = null;
        if (config.postgres().enabled() && !lint.waitsForItsOwnLock(source, migrations, sql)) {
            DatabaseResult[] both = bothDatabases(boundary, migrations, report, estimate);
            h2 = both[0];
            postgres = both[1];
        } else {
            FlywayImpact impact = new FlywayImpact(source, boundary, migrations, report, log, estimate);
            h2 = new FlywayDatabases(config, impact, report, log).onH2();
        }
        databases.add(h2.product());
        if (postgres != null) {
            databases.add(postgres.product());
        }
        FlywayVerdicts.judge(config.source().label(), migrations, h2, postgres, report);
        boolean traced = postgres != null && config.impact();
        if (traced) {
            report.put("impactJudgedBy", boundary.by());
        }
        report.suppress(suppressions);
        suppressions.unused(traced, boundary::judged).forEach(report::lint);
        report.put("changesets", FlywayVerdicts.entries(migrations, sql, h2, postgres));
        log.info("Rollback " + NO_UNDO);
        report.check(new Check("rollback", "undo", Duration.ZERO, Check.Outcome.SKIPPED, NO_UNDO));
        SmokeResult result = report.result();
        if (result.passed() && config.writeReleasedChecksums() && config.releasedChecksums() != null) {
            FlywayReleasedChecksums.write(config.releasedChecksums(), migrations);
            log.info("Wrote the checksums of the released migrations to " + config.releasedChecksums());
        }
        return result;
    }

    /**
     * H2 and PostgreSQL at once: the H2 run works in this JVM while the PostgreSQL run mostly waits for its server, so
     * side by side they take about as long as the PostgreSQL run alone. Each keeps its own findings and log lines,
     * taken over afterwards H2's first, so the report and the log read as if they had run one after the other.
     */
    private DatabaseResult[] bothDatabases(
            ProductionBoundary boundary, List<Migration> migrations, FlywaySmokeReport report, ImpactSettings estimate)
            throws SQLException, SmokeException, IOException {
        FlywaySmokeReport h2Report = new FlywaySmokeReport(config.failOn());
        BufferedLog h2Log = new BufferedLog(log.isDebugEnabled());
        FlywayDatabases h2Runs = new FlywayDatabases(
                config,
                new FlywayImpact(config.source(), boundary, migrations, h2Report, h2Log, estimate),
                h2Report,
                h2Log);
        FutureTask<DatabaseResult> h2Task = new FutureTask<>(h2Runs::onH2);
        Thread h2Thread = new Thread(h2Task, "migration-safety-flyway-h2");
        h2Thread.setDaemon(true);
        h2Thread.start();
        FlywaySmokeReport postgresReport = new FlywaySmokeReport(config.failOn());
        BufferedLog postgresLog = new BufferedLog(log.isDebugEnabled());
        DatabaseResult postgres = null;
        Exception postgresFailure = null;
        try {
            postgres = new FlywayDatabases(
                            config,
                            new FlywayImpact(
                                    config.source(), boundary, migrations, postgresReport, postgresLog, estimate),
                            postgresReport,
                            postgresLog,
                            shared)
                    .onPostgres();
        } catch (SQLException | SmokeException | IOException | RuntimeException e) {
            postgresFailure = e;
        }
        DatabaseResult h2;
        try {
            h2 = h2Task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmokeException("The Flyway smoke test was interrupted while H2 ran", e);
        } catch (ExecutionException e) {
            h2Log.writeTo(log);
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof SmokeException smoke) {
                throw smoke;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new SmokeException("The H2 run failed: " + e.getCause(), e.getCause());
        }
        report.addAll(h2Report);
        h2Log.writeTo(log);
        postgresLog.writeTo(log);
        if (postgresFailure instanceof SQLException sql) {
            throw sql;
        }
        if (postgresFailure instanceof SmokeException smoke) {
            throw smoke;
        }
        if (postgresFailure instanceof IOException io) {
            throw io;
        }
        if (postgresFailure instanceof RuntimeException runtime) {
            throw runtime;
        }
        report.addAll(postgresReport);
        postgresReport.summary().forEach(report::put);
        return new DatabaseResult[] {h2, postgres};
    }

    /**
     * The estimate's production sizes: with {@code postgres} and {@code impact}, production's statistics, read only,
     * under the row counts {@code productionRows} gives (which win), as for changesets.
     */
    private ImpactSettings withStatistics(ImpactSettings estimate) throws SmokeException {
        if (!config.postgres().enabled() || !config.impact()) {
            return estimate;
        }
        Map<String, Long> rows = new LinkedHashMap<>(ProductionReader.tableRows(config.production()));
        rows.remove(config.source().configure().getTable().toLowerCase(Locale.ROOT));
        rows.putAll(estimate.rows());
        log.debug("Production sizes for the impact estimate: " + rows);
        return new ImpactSettings(
                estimate.trace(),
                rows,
                estimate.smallSample(),
                estimate.largeSample(),
                estimate.maxBlockingSeconds(),
                estimate.production());
    }

    /**
     * What is pending in production, and what Flyway's validate against it would refuse; production's history is
     * then what tells the impact rules which migrations to judge.
     */
    private ProductionBoundary production(List<Migration> migrations, FlywaySmokeReport report) throws SmokeException {
        ProductionHistory.Result history = ProductionHistory.read(config.source(), config.production(), migrations);
        report.put("production", ProductionHistory.summary(history));
        String where = "Production database " + history.url() + " (" + history.product() + ", read only): ";
        if (!history.exists()) {
            log.info(where + "no applied migration in " + history.table()
                    + ", so Flyway never ran there: every migration is pending");
        } else {
            List<String> listed = history.pending().stream().limit(20).toList();
            log.info(where + history.table() + " lists " + history.applied() + " applied migrations; "
                    + history.pending().size() + " pending"
                    + (listed.isEmpty() ? "" : ": " + String.join(", ", listed))
                    + (history.pending().size() > listed.size()
                            ? " and " + (history.pending().size() - listed.size()) + " more (see the report)"
                            : ""));
        }
        history.findings().forEach(report::lint);
        return new ProductionBoundary("url", null, history.exists() ? Set.copyOf(history.pending()) : null);
    }
}
