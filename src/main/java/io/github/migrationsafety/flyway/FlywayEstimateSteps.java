package io.github.migrationsafety.flyway;

import io.github.migrationsafety.impact.ChangesetTrace;
import io.github.migrationsafety.impact.ImpactTracer;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.smoke.EstimateSteps;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The production-size estimate's Flyway side: Flyway's own migrate applies the migrations before the measured one to
 * the sample's fresh schema ({@code target} the last version before it; as one Flyway group when nothing else would
 * be pending), then runs the measured migration alone under the trace. Flyway runs pending repeatable migrations
 * whatever the target, so a callback stops its migrate before any migration that is not wanted. A migration Flyway
 * runs in a transaction is run with Flyway's commits held back on the sample's connection, so that the estimator's
 * rollback undoes it (and its history row); any other runs for good on connections of its own.
 */
final class FlywayEstimateSteps implements EstimateSteps {

    private final FlywaySource source;
    private final List<Migration> migrations;
    private final Map<String, ChangesetTrace> traces = new LinkedHashMap<>();
    private final StallProbe.Connector connector;

    /**
     * @param migrations in Flyway's order on a fresh database
     * @param traces     the smoke's trace of each migration on PostgreSQL
     * @param connector  opens connections to the smoke's PostgreSQL database
     */
    FlywayEstimateSteps(
            FlywaySource source,
            List<Migration> migrations,
            List<ChangesetTrace> traces,
            StallProbe.Connector connector) {
        this.source = source;
        this.migrations = List.copyOf(migrations);
        traces.forEach(t -> this.traces.put(t.changeset(), t));
        this.connector = connector;
    }

    @Override
    public Step step(TableImpact impact) {
        ChangesetTrace trace = traces.get(impact.changeset());
        int position = indexOf(impact.changeset());
        return trace == null || position < 0 ? null : new Measured(impact, position, trace);
    }

    private int indexOf(String key) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private final class Measured implements Step {

        private final TableImpact impact;
        private final int position;
        private final ChangesetTrace trace;

        Measured(TableImpact impact, int position, ChangesetTrace trace) {
            this.impact = impact;
            this.position = position;
            this.trace = trace;
        }

        private Migration measured() {
            return migrations.get(position);
        }

        @Override
        public boolean runsInTransaction() {
            return trace.inTransaction();
        }

        /** By what the migration did in the smoke's run: the foreign keys it added on the table, by the catalog. */
        @Override
        public Map<String, List<String>> referencedTables() {
            return trace.referencedBy(impact.table());
        }

        @Override
        public String applyBefore(Connection connection, String schema) {
            if (position == 0) {
                return null; // Flyway creates its history table when the measured migration runs
            }
            List<Migration> before = migrations.subList(0, position);
            FluentConfiguration configuration = inSchema(schema, new Opening(connector))
                    .callbacks(new Only(before.stream().map(Migration::key).toList(), null));
            String lastVersion = null;
            for (Migration migration : before) {
                if (!migration.repeatable()) {
                    lastVersion = migration.version();
                }
            }
            if (lastVersion != null) {
                configuration.target(lastVersion);
            }
            // with a target, only the repeatables would be pending beyond it: without any, one group is exactly
            // the migrations before, and Flyway works out what is pending once instead of before each one
            if (!measured().repeatable() && migrations.stream().noneMatch(Migration::repeatable)) {
                configuration.group(true).mixed(true);
            }
            try {
                configuration.load().migrate();
            } catch (FlywayException e) {
                if (!stopped(e)) {
                    return "the migrations before it failed in a fresh schema: " + FlywayMessages.databaseMessage(e);
                }
            }
            return null;
        }

        @Override
        public Ran run(Connection connection, String schema, boolean undo) {
            Only only = new Only(List.of(measured().key()), connector);
            FluentConfiguration configuration = inSchema(
                            schema, undo ? new Holding(connection) : new Opening(connector))
                    .callbacks(only);
            if (!measured().repeatable()) {
                configuration.target(measured().version());
            }
            try {
                configuration.load().migrate();
            } catch (FlywayException e) {
                if (!stopped(e)) {
                    return Ran.failed(
                            only.statementError != null ? only.statementError : FlywayMessages.databaseMessage(e));
                }
            }
            if (only.tracer == null) {
                return Ran.failed("Flyway did not run it");
            }
            return new Ran(
                    only.tracer.traces().stream()
                            .filter(t -> t.changeset().equals(impact.changeset()))
                            .flatMap(t -> t.tables().stream())
                            .toList(),
                    null);
        }
    }

    /** The project's Flyway, working in the sample's schema only, on connections from {@code dataSource}. */
    private FluentConfiguration inSchema(String schema, DataSource dataSource) {
        return source.configure()
                .dataSource(dataSource)
                .defaultSchema(schema)
                .schemas(schema)
                .createSchemas(false)
                .group(false);
    }

    /** Whether Flyway's migrate ended because {@link Only} stopped it. */
    private static boolean stopped(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof Stop) {
                return true;
            }
        }
        return false;
    }

    /** Thrown by {@link Only} to end Flyway's migrate before a migration that is not wanted. */
    private static final class Stop extends RuntimeException {
        Stop(String key) {
            super("the estimate stops Flyway's migrate before " + key, null, false, false);
        }
    }

    /**
     * Lets Flyway run only the given migrations, stopping its migrate before any other; traces them when given a
     * connector.
     */
    private final class Only implements Callback {

        private final List<String> wanted;
        private final StallProbe.Connector monitor;
        private ImpactTracer tracer;
        private String current;
        private boolean inTransaction;
        private String statementError;

        Only(List<String> wanted, StallProbe.Connector monitor) {
            this.wanted = wanted;
            this.monitor = monitor;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE
                    || (monitor != null
                            && (event == Event.AFTER_EACH_MIGRATE
                                    || event == Event.AFTER_EACH_MIGRATE_ERROR
                                    || event == Event.AFTER_EACH_MIGRATE_STATEMENT_ERROR));
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
                    if (!wanted.contains(current)) {
                        throw new Stop(current);
                    }
                    if (monitor != null) {
                        Connection connection = context.getConnection();
                        try {
                            inTransaction = !connection.getAutoCommit();
                        } catch (SQLException e) {
                            inTransaction = true;
                        }
                        tracer = new ImpactTracer(connection, monitor);
                        tracer.beforeMigration(current, inTransaction);
                    }
                }
                case AFTER_EACH_MIGRATE -> tracer.afterMigration(current, inTransaction);
                case AFTER_EACH_MIGRATE_ERROR -> tracer.migrationFailed(current, inTransaction);
                case AFTER_EACH_MIGRATE_STATEMENT_ERROR -> {
                    String errors = FlywayMessages.statementErrors(context);
                    if (errors != null) {
                        statementError = errors;
                    }
                }
                default -> {}
            }
        }

        @Override
        public String getCallbackName() {
            return "migration-safety-estimate";
        }
    }

    /** New connections to the smoke's database for each of Flyway's; Flyway closes them. */
    private static final class Opening extends ConnectionsDataSource {

        private final StallProbe.Connector connector;

        Opening(StallProbe.Connector connector) {
            this.connector = connector;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return connector.open();
        }
    }

    /**
     * The sample's connection, in the transaction the estimator rolls back, for every connection Flyway asks for:
     * Flyway's commits, its changes of the auto-commit mode (which would commit) and its closing do nothing, so its
     * history statements and the migration stay in that one transaction.
     */
    private static final class Holding extends ConnectionsDataSource {

        private final Connection held;

        Holding(Connection connection) {
            this.held = new HeldCommitsConnection(connection);
        }

        @Override
        public Connection getConnection() {
            return held;
        }
    }
}
