package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.impact.ChangesetTrace;
import io.github.migrationsafety.impact.ImpactEstimate;
import io.github.migrationsafety.impact.ImpactTracer;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.lockservice.LockServiceFactory;

/**
 * Applies the changelog to one fresh database: its own parse of the changelog, seed data, expectations and, on
 * H2, the rollback test. Returns what happened there as a {@link DatabaseRun}; shares nothing with other runs.
 */
final class DatabaseRunner {

    private final SmokeConfig config;
    private final TrackingResourceAccessor accessor;
    private final EngineLog log;
    private final Production production;
    private final SharedEmbeddedPostgres shared;

    /**
     * @param production which changesets are pending in production, its tables and their sizes
     * @param shared     the embedded server to use with postgres=embedded (its owner stops it), or {@code null} to
     *                   start one for this run
     */
    DatabaseRunner(
            SmokeConfig config,
            TrackingResourceAccessor accessor,
            EngineLog log,
            Production production,
            SharedEmbeddedPostgres shared) {
        this.config = config;
        this.accessor = accessor;
        this.log = log;
        this.production = production;
        this.shared = shared;
    }

    /** A fresh in-memory H2 in PostgreSQL mode, with the rollback test unless {@code testRollback} is false. */
    DatabaseRun onH2(boolean testRollback) throws Exception {
        String url =
                "jdbc:h2:mem:migration-safety-smoke-" + UUID.randomUUID() + ";MODE=PostgreSQL;NON_KEYWORDS=VALUE,KEY";
        try (Connection connection = Databases.open(new ConnectionSettings(url, "sa", ""))) {
            return apply("H2", connection, null, testRollback, null);
        }
    }

    /**
     * The embedded PostgreSQL, or a fresh database (dropped afterwards) on the configured server. A database, not a
     * schema: changesets that name {@code public} (Candlepin's {@code baseTableSchemaName="public"}) must find the
     * tables they made there, as on the database Liquibase updates, and must never reach the server's own
     * {@code public} schema.
     */
    DatabaseRun onPostgres() throws Exception {
        if (config.postgres().embedded()) {
            return onEmbedded(shared.server()); // started when the run began; its owner stops it
        }
        ConnectionSettings server = config.postgres().connection();
        String name = "migration_safety_smoke_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ConnectionSettings fresh;
        try {
            fresh = server.onPostgresDatabase(name);
        } catch (IllegalArgumentException e) {
            throw new SmokeException("Parameter 'postgres': " + server.safeUrl() + " is not a PostgreSQL JDBC URL."
                    + " Give jdbc:postgresql://host:port/database of a throw-away server, or 'embedded'.");
        }
        try (Connection admin = Databases.open(server)) {
            createDatabase(admin, name, server);
            try {
                StallProbe.Connector connector = () -> {
                    try {
                        return Databases.open(fresh);
                    } catch (DatabaseException e) {
                        throw new SQLException(e.getMessage(), e);
                    }
                };
                try (Connection connection = Databases.open(fresh)) {
                    return estimated(apply("PostgreSQL", connection, null, false, connector), connection, connector);
                }
            } finally {
                try (Statement statement = admin.createStatement()) {
                    statement.execute("DROP DATABASE " + name
                            + (admin.getMetaData().getDatabaseMajorVersion() >= 13 ? " WITH (FORCE)" : ""));
                }
            }
        } catch (DatabaseException e) {
            throw new SmokeException("Parameter 'postgres': " + e.getMessage());
        }
    }

    private DatabaseRun onEmbedded(EmbeddedPostgresServer server) throws Exception {
        try (Connection connection = server.connection()) {
            return estimated(
                    apply("PostgreSQL", connection, null, false, server::connection), connection, server::connection);
        }
    }

    private static void createDatabase(Connection admin, String name, ConnectionSettings server)
            throws SQLException, SmokeException {
        admin.setAutoCommit(true);
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) { // insufficient_privilege
                throw new SmokeException("Parameter 'postgres': user " + server.username() + " may not create a"
                        + " database on " + server.safeUrl() + ", and the smoke applies the changelog to a fresh"
                        + " database there. Grant it CREATEDB on that throw-away server, or use 'embedded'.");
            }
            throw e;
        }
    }

    /** The run with lock-held times at production size, when production sizes are given. */
    private DatabaseRun estimated(DatabaseRun run, Connection connection, StallProbe.Connector connector)
            throws Exception {
        if (production.rows().isEmpty() || run.impacts().isEmpty()) { // nothing traced, or nothing to size
            return run;
        }
        List<ImpactEstimate> estimates = new ImpactEstimator(
                        config.impact(),
                        production::rowsOf,
                        new LiquibaseEstimateSteps(
                                config,
                                accessor,
                                connector,
                                List.copyOf(run.runs().keySet()),
                                run.traces()),
                        log,
                        connection,
                        connector)
                .estimate(run.impacts());
        return run.withEstimates(
                estimates, ImpactEstimator.overLimit(estimates, config.impact().maxBlockingSeconds()));
    }

    /**
     * Liquibase's view of a fresh database on {@code connection}, working in {@code schema} ({@code null}: the
     * connection's own). Liquibase caches history and lock services per database in JVM-wide singletons, and
     * offline databases of one dialect look alike to it: without the reset a second run in the same JVM (another
     * module, a second execution, an estimate's fresh schema) would see the first one's "ran" changesets.
     */
    static Database freshDatabase(Connection connection, String schema) throws LiquibaseException {
        return freshDatabase(new JdbcConnection(connection), schema);
    }

    /** As {@link #freshDatabase(Connection, String)}, on Liquibase's view of a connection given as such. */
    static Database freshDatabase(JdbcConnection connection, String schema) throws LiquibaseException {
        ChangeLogHistoryServiceFactory.getInstance().resetAll();
        LockServiceFactory.getInstance().resetAll();
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(connection);
        if (schema != null) {
            database.setDefaultSchemaName(schema);
        }
        return database;
    }

    /** @param monitor opens a second connection to the same server, for tracing; {@code null} on H2 */
    private DatabaseRun apply(
            String name, Connection connection, String schema, boolean testRollback, StallProbe.Connector monitor)
            throws Exception {
        Database database = freshDatabase(connection, schema);
        DatabaseChangeLog changeLog = ChangelogReader.parse(config.source(), accessor, database);
        String product = connection.getMetaData().getDatabaseProductName() + " "
                + connection.getMetaData().getDatabaseProductVersion().split(" ")[0];
        SeedLoader seeds = new SeedLoader(config.seedData());
        SchemaSnapshot start = SchemaSnapshot.of(connection);
        RollbackSteps steps =
                testRollback && config.rollbackMode() == RollbackMode.ALL ? new RollbackSteps(connection) : null;
        ChangesetRecorder recorder = new ChangesetRecorder(
                (changeSet, execType) -> {
                    seeds.afterRan(changeSet, connection);
                    if (steps != null) {
                        steps.ran(changeSet, execType);
                    }
                },
                changeSet -> {
                    if (steps != null) {
                        steps.rolledBack(changeSet);
                    }
                });
        ImpactTracer tracer = config.impact().trace() && database instanceof PostgresDatabase
                ? new ImpactTracer(connection, monitor)
                : null;
        if (tracer != null) {
            recorder.trace(tracer);
        }
        LiquibaseOnDatabase run = new LiquibaseOnDatabase(name, changeLog, accessor, database, recorder, config);
        RollbackTest rollback = new RollbackTest(run, connection, log);
        List<Finding> findings = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        long started = System.nanoTime();
        boolean updated = testRollback && config.rollbackMode() == RollbackMode.PER_CHANGESET
                ? rollback.perChangeset(start)
                : run.updateAll();
        log.info(name + ": " + recorder.runs().size() + " changesets applied in "
                + (System.nanoTime() - started) / 1_000_000 + " ms" + (updated ? "" : " (stopped at a failure)"));
        explainFailures(recorder, changeLog, connection, run.errors());
        List<TableImpact> impacts = new ArrayList<>();
        Map<String, ChangesetTrace> traces = new HashMap<>();
        if (tracer != null) {
            PendingTraceJudge.Judged judged = new PendingTraceJudge(production, accessor, log).judge(tracer, changeLog);
            findings.addAll(judged.findings());
            impacts.addAll(judged.impacts());
            traces.putAll(judged.traces());
        }
        // Liquibase leaves out at parse time the changesets whose dbms names other databases: none left is no fault of
        // the contexts or labels, and only when no database the smoke runs has one was nothing tested (SmokeEngine)
        boolean noChangesetForIt = changeLog.getChangeSets().isEmpty();
        if (noChangesetForIt) {
            log.info(name + ": no changeset of " + config.source().file() + " is for " + database.getShortName()
                    + " (Liquibase leaves out a changeset whose dbms names other databases), so there is nothing to"
                    + " run on " + name);
        } else if (updated && recorder.ranOrder().isEmpty()) {
            findings.add(nothingSelected(changeLog));
        } else if (updated) {
            findings.addAll(seedsNotLoaded(name, seeds));
            SchemaSnapshot migrated = SchemaSnapshot.of(connection);
            checkExpectations(name, migrated, findings, checks);
            if (steps != null) {
                rollback.allAtOnce(steps, start, migrated, changeLog);
            }
        }
        // in the order things happened: a per-changeset rollback test is the update itself, the other comes last
        boolean rollbackFirst = config.rollbackMode() == RollbackMode.PER_CHANGESET;
        List<Finding> allFindings = new ArrayList<>(run.findings());
        List<Check> allChecks = new ArrayList<>();
        if (rollbackFirst) {
            allFindings.addAll(rollback.findings());
            allChecks.addAll(rollback.checks());
        }
        allFindings.addAll(findings);
        allChecks.addAll(checks);
        if (!rollbackFirst) {
            allFindings.addAll(rollback.findings());
            allChecks.addAll(rollback.checks());
        }
        return new DatabaseRun(
                name,
                product,
                recorder.runs(),
                run.errors(),
                allFindings,
                allChecks,
                impacts,
                List.of(),
                traces,
                noChangesetForIt);
    }

    private static List<Finding> seedsNotLoaded(String name, SeedLoader seeds) {
        List<Finding> findings = new ArrayList<>();
        for (SeedData seed : seeds.neverLoaded()) {
            findings.add(Finding.error(
                            "smoke.seed-not-loaded",
                            seed.table(),
                            "the seed file " + seed.file()
                                    + " was not loaded on " + name + ": "
                                    + (seed.afterChangeset() == null
                                            ? "no changeset that ran creates the table"
                                            : "changeset " + seed.afterChangeset() + " did not run"))
                    .withHint("set <afterChangeset> to the id of the changeset after which the rows belong"));
        }
        return findings;
    }

    private void checkExpectations(String name, SchemaSnapshot migrated, List<Finding> findings, List<Check> checks) {
        String group = "expectations." + name.toLowerCase(Locale.ROOT);
        for (Expectation expectation : config.expectations()) {
            if (expectation.heldBy(migrated)) {
                checks.add(Check.passed(group, expectation.text(), Duration.ZERO));
            } else {
                checks.add(Check.failed(
                        group, expectation.text(), Duration.ZERO, "not found in the schema after the update"));
                findings.add(Finding.error(
                                "smoke.expectation-missing",
                                expectation.text(),
                                "not found in the " + name + " schema after the update")
                        .withHint("add the changeset that creates it, or fix the" + " expectation"));
            }
        }
    }

    /** Adds to each failed changeset's error the duplicate rows that make a unique change fail, when that is why. */
    private static void explainFailures(
            ChangesetRecorder recorder,
            DatabaseChangeLog changeLog,
            Connection connection,
            Map<String, String> errors) {
        for (ChangesetRun run : recorder.runs().values()) {
            if (run.passed()) {
                continue;
            }
            String message = run.error();
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException e) {
                // explaining is best effort
            }
            for (ChangeSet changeSet : changeLog.getChangeSets()) {
                if (ChangesetKey.of(changeSet).equals(run.changeset())) {
                    String duplicates = DuplicateExplainer.explain(connection, changeSet);
                    if (duplicates != null) {
                        message = message + " - " + duplicates;
                    }
                }
            }
            errors.put(run.changeset(), message);
        }
    }

    /**
     * The finding when no database the smoke runs ({@code databases}, short names) had a changeset to run: Liquibase
     * leaves out at parse time each changeset whose {@code dbms} names other databases, so either every changeset
     * does that or the changelog has none.
     */
    static Finding nothingForTheDatabases(String file, List<String> databases) {
        return Finding.error(
                        "smoke.nothing-selected",
                        file,
                        "no changeset is for the databases the smoke runs (" + String.join(", ", databases)
                                + "), so nothing was tested")
                .withHint("check the changesets' dbms attributes (Liquibase leaves out those that name other"
                        + " databases) and that 'changeLogFile' names the master changelog"
                        + (databases.contains("postgresql")
                                ? ""
                                : "; without 'postgres' (embedded or a JDBC URL) the smoke runs the changelog on H2"
                                        + " only"));
    }

    private Finding nothingSelected(DatabaseChangeLog changeLog) {
        TreeSet<String> contexts = new TreeSet<>();
        TreeSet<String> labels = new TreeSet<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            if (changeSet.getContextFilter() != null
                    && !changeSet.getContextFilter().isEmpty()) {
                contexts.add(changeSet.getContextFilter().toString());
            }
            if (changeSet.getLabels() != null && !changeSet.getLabels().isEmpty()) {
                labels.add(changeSet.getLabels().toString());
            }
        }
        return Finding.error(
                        "smoke.nothing-selected",
                        config.source().file(),
                        "contexts '"
                                + (config.contexts() == null ? "" : config.contexts()) + "' and labels '"
                                + (config.labels() == null ? "" : config.labels()) + "' select none of the "
                                + changeLog.getChangeSets().size() + " changesets, so nothing was tested")
                .withHint("fix 'contexts'/'labels'; the changelog uses contexts "
                        + (contexts.isEmpty() ? "(none)" : String.join(", ", contexts)) + " and labels "
                        + (labels.isEmpty() ? "(none)" : String.join(", ", labels)));
    }
}
