package io.github.migrationsafety.flyway;

import io.github.migrationsafety.impact.ChangesetTrace;
import io.github.migrationsafety.impact.ImpactTracer;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.report.EngineLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * Flyway's own migrate on one fresh database, with a callback that times each migration and records its verdict:
 * Flyway stops at the first failure, as it would in production, so the migrations after it are not run.
 */
final class MigrationRunner {

    /**
     * One migration on one database.
     *
     * @param line the failing statement's line in the migration's file, or 0
     */
    record Outcome(String key, boolean passed, long millis, String error, int line) {}

    /**
     * What the migrate did.
     *
     * @param outcomes per migration key, in the order they ran
     * @param failure  why migrate failed outside any migration (a validation, a connection), or {@code null}
     * @param traces   on PostgreSQL with the trace on, what each migration did to the tables that existed before it
     * @param problems catalog reads of the trace that failed
     */
    record Result(Map<String, Outcome> outcomes, String failure, List<ChangesetTrace> traces, List<String> problems) {}

    private MigrationRunner() {}

    /**
     * @param monitor opens a second connection to the server, to trace there; {@code null}: no trace
     * @param oneGroup apply all pending migrations as one Flyway group ({@code group}, {@code mixed}): Flyway then
     *                 reads its history and works out what is pending once, not before each migration, which on
     *                 hundreds of migrations is most of its time. For a database that only tells whether each
     *                 migration runs (H2): the callback still judges each one, and Flyway still stops at the first
     *                 failure. Never with a trace, whose locks are each migration's own transaction's.
     */
    static Result migrate(
            FlywaySource source,
            String url,
            String user,
            String password,
            EngineLog log,
            StallProbe.Connector monitor,
            boolean oneGroup) {
        return migrate(source, url, user, password, log, monitor, oneGroup, new FlywaySeeds(List.of()));
    }

    /** @param seeds the smoke's seed rows, inserted after the migrations they belong to */
    static Result migrate(
            FlywaySource source,
            String url,
            String user,
            String password,
            EngineLog log,
            StallProbe.Connector monitor,
            boolean oneGroup,
            FlywaySeeds seeds) {
        PerMigration callback = new PerMigration(source, monitor, seeds);
        FluentConfiguration configuration =
                source.configure().dataSource(url, user, password).callbacks(callback);
        if (oneGroup && monitor == null) {
            configuration.group(true).mixed(true);
        }
        Flyway flyway = configuration.load();
        String failure = null;
        try {
            flyway.migrate();
        } catch (FlywayMigrateException e) {
            String key = callback.failed != null
                    ? callback.failed
                    : e.getMigration() == null
                            ? null
                            : FlywayMigrations.of(source, e.getMigration()).key();
            if (key == null) {
                failure = FlywayMessages.clean(e.getMessage());
            } else {
                Outcome started = callback.outcomes.get(key);
                String statement = callback.statementError;
                String error = FlywayMessages.databaseMessage(e)
                        + (e.getLineNumber() > 0 ? " (line " + e.getLineNumber() + ")" : "");
                log.debug("Flyway: " + key + ": " + e.getMessage());
                callback.outcomes.put(
                        key,
                        new Outcome(
                                key,
                                false,
                                started == null ? 0 : started.millis(),
                                statement != null && error.equals("unknown error") ? statement : error,
                                Math.max(e.getLineNumber(), 0)));
            }
        } catch (FlywayException e) {
            failure = FlywayMessages.clean(e.getMessage());
        }
        if (callback.seedFailure != null) {
            // the migration after which a seed did not fit failed for that reason, whatever Flyway wrapped it in
            callback.outcomes.put(callback.seedFailure.key(), callback.seedFailure);
            failure = null;
        }
        return new Result(
                callback.outcomes,
                failure,
                callback.tracer == null ? List.of() : callback.tracer.traces(),
                callback.tracer == null ? List.of() : callback.tracer.problems());
    }

    /** Times each migration and records whether it passed; tells nothing to Flyway. */
    private static final class PerMigration implements Callback {

        private final FlywaySource source;
        private final StallProbe.Connector monitor;
        private final FlywaySeeds seeds;
        private Outcome seedFailure;
        private ImpactTracer tracer;
        private boolean inTransaction;
        private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
        private final List<String> order = new ArrayList<>();
        private String current;
        private long started;
        private String failed;
        private String statementError;

        PerMigration(FlywaySource source, StallProbe.Connector monitor, FlywaySeeds seeds) {
            this.source = source;
            this.monitor = monitor;
            this.seeds = seeds;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE
                    || event == Event.AFTER_EACH_MIGRATE
                    || event == Event.AFTER_EACH_MIGRATE_ERROR
                    || event == Event.AFTER_EACH_MIGRATE_STATEMENT_ERROR;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            switch (event) {
                case BEFORE_EACH_MIGRATE -> {
                    current = FlywayMigrations.of(source, context.getMigrationInfo())
                            .key();
                    order.add(current);
                    started = System.nanoTime();
                    if (monitor != null) {
                        trace(context);
                    }
                }
                case AFTER_EACH_MIGRATE -> {
                    outcomes.put(current, new Outcome(current, true, millis(), null, 0));
                    if (tracer != null) {
                        tracer.afterMigration(current, inTransaction);
                    }
                    if (!seeds.none()) {
                        seed(context);
                    }
                }
                case AFTER_EACH_MIGRATE_ERROR -> {
                    if (tracer != null) {
                        tracer.migrationFailed(current, inTransaction);
                    }
                    failed = current;
                    outcomes.put(current, new Outcome(current, false, millis(), statementError, 0));
                }
                case AFTER_EACH_MIGRATE_STATEMENT_ERROR -> {
                    String errors = FlywayMessages.statementErrors(context);
                    if (errors != null) {
                        statementError = errors;
                    }
                }
                default -> {}
            }
        }

        /**
         * Inserts the seeds that belong after the migration that just ran, in its transaction; a seed that does not
         * fit its table fails that migration, as in the Liquibase smoke, and stops Flyway's migrate.
         */
        private void seed(Context context) {
            try {
                seeds.afterMigration(FlywayMigrations.of(source, context.getMigrationInfo()), context.getConnection());
            } catch (IllegalStateException e) {
                seedFailure = new Outcome(current, false, millis(), e.getMessage(), 0);
                failed = current;
                outcomes.put(current, seedFailure);
                throw new FlywayException(e.getMessage());
            }
        }

        /**
         * Starts the trace of the migration about to run, on Flyway's migrating connection: the callback runs inside
         * the migration's transaction when it has one, where its locks are held until the commit.
         */
        private void trace(Context context) {
            Connection connection = context.getConnection();
            try {
                if (tracer == null) {
                    tracer = new ImpactTracer(connection, monitor);
                }
                inTransaction = !connection.getAutoCommit();
            } catch (SQLException e) {
                inTransaction = true;
            }
            tracer.beforeMigration(current, inTransaction);
        }

        private long millis() {
            return (System.nanoTime() - started) / 1_000_000;
        }

        @Override
        public String getCallbackName() {
            return "migration-safety";
        }
    }
}
