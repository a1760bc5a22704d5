package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.impact.ChangesetTrace;
import io.github.migrationsafety.impact.ImpactTracer;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.impact.TableImpact;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;

/**
 * The estimate's Liquibase side: a changeset is measured after the changesets before it in the order they ran, each
 * applied by Liquibase's own update; a changeset that runs in a transaction (Liquibase's default) is run with its
 * commits held back, so that the estimator's rollback undoes it.
 */
final class LiquibaseEstimateSteps implements EstimateSteps {

    private final SmokeConfig config;
    private final TrackingResourceAccessor accessor;
    private final StallProbe.Connector connector;
    private final List<String> ranOrder;
    private final Map<String, ChangesetTrace> traces;
    private DatabaseChangeLog offline;

    /**
     * @param ranOrder the keys of the changesets in the order the traced run applied them
     * @param traces   the traced run's trace of each changeset with an impact, by key
     */
    LiquibaseEstimateSteps(
            SmokeConfig config,
            TrackingResourceAccessor accessor,
            StallProbe.Connector connector,
            List<String> ranOrder,
            Map<String, ChangesetTrace> traces) {
        this.config = config;
        this.accessor = accessor;
        this.connector = connector;
        this.ranOrder = List.copyOf(ranOrder);
        this.traces = Map.copyOf(traces);
    }

    @Override
    public Step step(TableImpact impact) throws Exception {
        int position = ranOrder.indexOf(impact.changeset());
        if (position < 0) {
            return null;
        }
        ChangesetTrace trace = traces.get(impact.changeset());
        return new Measured(impact, position, trace != null ? trace.inTransaction() : parsedInTransaction(impact));
    }

    /**
     * Whether the changeset runs in a transaction, from the changelog parsed offline: only for an impact the traced
     * run did not trace (the traced run knows it for every changeset it measured).
     */
    private boolean parsedInTransaction(TableImpact impact) throws Exception {
        if (offline == null) {
            offline = ChangelogReader.parse(
                    config.source(), accessor, ChangelogReader.offlineDatabase("postgresql", accessor));
        }
        return offline.getChangeSets().stream()
                .filter(c -> ChangesetKey.of(c).equals(impact.changeset()))
                .findFirst()
                .map(ChangeSet::isRunInTransaction)
                .orElse(false);
    }

    private final class Measured implements Step {

        private final TableImpact impact;
        private final int position;
        private final boolean inTransaction;
        /** The changelog as parsed for the sample's database, by {@link #applyBefore}. */
        private DatabaseChangeLog changeLog;

        Measured(TableImpact impact, int position, boolean inTransaction) {
            this.impact = impact;
            this.position = position;
            this.inTransaction = inTransaction;
        }

        @Override
        public boolean runsInTransaction() {
            return inTransaction;
        }

        @Override
        public Map<String, List<String>> referencedTables() {
            // by what the changeset did in the traced run: an addForeignKeyConstraint and its <sql> twin alike
            ChangesetTrace trace = traces.get(impact.changeset());
            return trace == null ? Map.of() : trace.referencedBy(impact.table());
        }

        @Override
        public String applyBefore(Connection connection, String schema) throws Exception {
            Database database = DatabaseRunner.freshDatabase(connection, schema);
            changeLog = ChangelogReader.parse(config.source(), accessor, database);
            LiquibaseOnDatabase run = liquibase(database, null); // not traced: only the measured one is
            if (position > 0 && !run.update(position)) {
                return "the changesets before it failed in a fresh schema";
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return null;
        }

        @Override
        public Ran run(Connection connection, String schema, boolean undo) throws Exception {
            JdbcConnection forLiquibase = undo ? new HoldingCommits(connection) : new JdbcConnection(connection);
            ImpactTracer tracer = new ImpactTracer(connection, connector);
            LiquibaseOnDatabase run = liquibase(DatabaseRunner.freshDatabase(forLiquibase, schema), tracer);
            if (!run.update(1)) {
                return Ran.failed(run.recorder().runs().values().stream()
                        .filter(r -> !r.passed())
                        .map(ChangesetRun::error)
                        .findFirst()
                        .orElse("see the debug log"));
            }
            return new Ran(
                    tracer.traces().stream()
                            .filter(t -> t.changeset().equals(impact.changeset()))
                            .flatMap(t -> t.tables().stream())
                            .toList(),
                    null);
        }

        /** @param tracer {@code null} for none */
        private LiquibaseOnDatabase liquibase(Database database, ImpactTracer tracer) {
            ChangesetRecorder recorder = new ChangesetRecorder((changeSet, execType) -> {}, changeSet -> {});
            recorder.trace(tracer);
            return new LiquibaseOnDatabase("PostgreSQL", changeLog, accessor, database, recorder, config);
        }
    }

    /**
     * {@code connection} as Liquibase sees it during a run that is undone: its commits and changes of the
     * auto-commit mode (which would commit) do nothing, so everything the run does stays in one transaction.
     */
    static final class HoldingCommits extends JdbcConnection {

        HoldingCommits(Connection connection) {
            super(connection);
        }

        @Override
        public void commit() {
            // held back until the run is rolled back
        }

        @Override
        public void setAutoCommit(boolean autoCommit) {
            // switching auto-commit on would commit
        }

        @Override
        public boolean getAutoCommit() {
            return false;
        }

        @Override
        public void close() {
            // the sample's connection outlives the run
        }
    }
}
