package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.impact.ImpactTracer;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.impact.SyntheticRows;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.EngineLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;

/**
 * A synthetic copy of one table in a schema of its own on the smoke's PostgreSQL, for the production-impact
 * estimate: the changesets before the measured one applied, the table filled with synthetic rows (and the parents a
 * foreign key of the changeset points at, when they are empty, to as many rows), vacuumed and analyzed. It grows by
 * adding rows. The measured changeset runs on it either for good ({@code undo=false}: the sample is then spent) or in
 * a transaction that is rolled back afterwards ({@code undo=true}: PostgreSQL's DDL is transactional), so that one
 * sample serves every repeat and every size of a changeset that runs in a transaction.
 */
final class EstimateSample implements AutoCloseable {

    /** Catalog of the sample's schema and its history rows: equal before and after a run that was undone. */
    private static final String FINGERPRINT = "SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM ("
            + " SELECT concat_ws(':', c.relname, c.relkind::text, c.relfilenode::text) AS x FROM pg_class c"
            + " WHERE c.relnamespace = current_schema()::regnamespace"
            + " UNION ALL SELECT concat_ws(':', co.conname, co.contype::text, co.convalidated::text)"
            + " FROM pg_constraint co WHERE co.connamespace = current_schema()::regnamespace"
            + " UNION ALL SELECT concat_ws(':', c.relname, a.attname, a.atttypid::text, a.attnotnull::text,"
            + " a.attisdropped::text, a.atthasdef::text) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            + " WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0) t";

    /** What one run of the changeset measured. */
    record Measurement(long rows, long heldMillis, long readStall, long writeStall) {}

    /**
     * A table that a foreign key added by the changeset points at.
     *
     * @param table          its name as the catalog stores it
     * @param columns        the measured table's columns that reference it
     * @param productionRows its size in production, or {@code null} when not known
     */
    record Parent(String table, List<String> columns, Long productionRows) {}

    private final SmokeConfig config;
    private final TrackingResourceAccessor accessor;
    private final EngineLog log;
    private final Connection connection;
    private final StallProbe.Connector connector;
    private final TableImpact impact;
    private final String schema;
    private final String originalSchema;
    /** Parents that were empty, filled here, to their row counts. */
    private final Map<Parent, Long> parents = new LinkedHashMap<>();

    private DatabaseChangeLog changeLog;
    private long rows;
    private boolean spent;

    private EstimateSample(
            SmokeConfig config,
            TrackingResourceAccessor accessor,
            EngineLog log,
            Connection connection,
            StallProbe.Connector connector,
            TableImpact impact)
            throws SQLException {
        this.config = config;
        this.accessor = accessor;
        this.log = log;
        this.connection = connection;
        this.connector = connector;
        this.impact = impact;
        this.schema = "migration_safety_impact_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.originalSchema = connection.getSchema();
    }

    /**
     * A fresh schema with the {@code position} changesets before the measured one applied, and no rows yet; {@code
     * null} (with a warning) when those changesets fail there.
     *
     * @param parents the tables a foreign key that the changeset adds points at
     */
    static EstimateSample open(
            SmokeConfig config,
            TrackingResourceAccessor accessor,
            EngineLog log,
            Connection connection,
            StallProbe.Connector connector,
            TableImpact impact,
            int position,
            List<Parent> parents)
            throws Exception {
        EstimateSample sample = new EstimateSample(config, accessor, log, connection, connector, impact);
        connection.setAutoCommit(true); // the schema must outlive the rollbacks Liquibase does between changesets
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + sample.schema);
        }
        try {
            connection.setSchema(sample.schema);
            Database database = DatabaseRunner.freshDatabase(connection, sample.schema);
            sample.changeLog = ChangelogReader.parse(config.source(), accessor, database);
            LiquibaseOnDatabase run = sample.liquibase(database, null); // not traced: only the measured one is
            if (position > 0 && !run.update(position)) {
                log.warn("Cannot estimate " + impact.changeset()
                        + ": the changesets before it failed in a fresh schema");
                sample.close();
                return null;
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            for (Parent parent : parents) {
                if (sample.count(parent.table()) == 0) {
                    sample.parents.put(parent, 0L);
                }
            }
            connection.setAutoCommit(true);
            return sample;
        } catch (Exception | Error e) {
            sample.close();
            throw e;
        }
    }

    long rows() {
        return rows;
    }

    /** Whether a run spent the sample: it ran for good, or its rollback did not undo it. */
    boolean spent() {
        return spent;
    }

    /**
     * Adds rows up to {@code target}, then vacuums (and, when it grew, analyzes) the tables: a rolled-back run that
     * changed rows leaves dead ones behind. The parents grow with it up to their production size when that is known
     * (as many rows as the table otherwise), and the referencing columns of the rows added point at them in turn.
     */
    void growTo(long target) throws SQLException {
        SyntheticRows synthetic = new SyntheticRows(connection);
        Map<String, Long> wrapped = new LinkedHashMap<>();
        for (Map.Entry<Parent, Long> parent : parents.entrySet()) {
            Long production = parent.getKey().productionRows();
            long size = production == null ? target : Math.min(target, Math.max(1, production));
            if (parent.getValue() < size) {
                synthetic.fill(parent.getKey().table(), size - parent.getValue());
                parent.setValue(size);
            }
            parent.getKey().columns().forEach(column -> wrapped.put(column, parent.getValue()));
        }
        boolean grows = rows < target;
        if (grows) {
            synthetic.fill(impact.table(), target - rows, wrapped);
            rows = target;
        }
        settle(grows);
    }

    /** The parents filled here, each with its row count now. */
    String parentSizes() {
        StringBuilder sizes = new StringBuilder();
        parents.forEach((parent, count) -> sizes.append(sizes.length() == 0 ? "" : ", ")
                .append(parent.table())
                .append(' ')
                .append(count));
        return sizes.toString();
    }

    /**
     * Runs the measured changeset once, with the probe; {@code null} (with a warning) when it failed.
     *
     * @param undo run it in a transaction that is rolled back afterwards: Liquibase's commits are held back, the
     *             lock is held until the changeset ended; afterwards the schema is compared with before, and a run
     *             that changed it anyway (a changeset that commits by itself) {@linkplain #spent() spends} the sample
     */
    Measurement run(boolean undo) throws Exception {
        String before = undo ? fingerprint() : null;
        JdbcConnection forLiquibase = undo ? new HoldingCommits(connection) : new JdbcConnection(connection);
        boolean ran;
        long readStall;
        long writeStall;
        ImpactTracer tracer = new ImpactTracer(connection, connector);
        LiquibaseOnDatabase run;
        connection.setAutoCommit(!undo);
        try {
            run = liquibase(DatabaseRunner.freshDatabase(forLiquibase, schema), tracer);
            try (StallProbe probe = new StallProbe(
                    () -> inSchema(connector.open(), schema),
                    "\"" + impact.table().replace("\"", "\"\"") + "\"")) {
                ran = run.update(1);
                readStall = probe.longestReadMillis();
                writeStall = probe.longestWriteMillis();
            }
        } finally {
            if (undo) {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        }
        spent = !undo || !fingerprint().equals(before);
        if (undo && spent) {
            log.debug("Estimate of " + impact.changeset() + ": its rollback did not undo it, the next run starts"
                    + " from a fresh schema");
        }
        if (!ran) {
            log.warn("Cannot estimate " + impact.changeset() + ": it failed on " + rows + " synthetic rows: "
                    + run.recorder().runs().values().stream()
                            .filter(r -> !r.passed())
                            .map(ChangesetRun::error)
                            .findFirst()
                            .orElse("see the debug log"));
            return null;
        }
        return tracer.traces().stream()
                .filter(t -> t.changeset().equals(impact.changeset()))
                .flatMap(t -> t.tables().stream())
                .filter(t -> t.table().equalsIgnoreCase(impact.table()))
                .findFirst()
                .map(t -> new Measurement(rows, t.heldMillis(), readStall, writeStall))
                .orElse(null);
    }

    @Override
    public void close() throws SQLException {
        connection.setAutoCommit(true);
        connection.setSchema(originalSchema);
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** @param tracer {@code null} for none */
    private LiquibaseOnDatabase liquibase(Database database, ImpactTracer tracer) {
        ChangesetRecorder recorder = new ChangesetRecorder((changeSet, execType) -> {}, changeSet -> {});
        recorder.trace(tracer);
        return new LiquibaseOnDatabase("PostgreSQL", changeLog, accessor, database, recorder, config);
    }

    /**
     * Vacuums the freshly filled tables, as production's have been: without it the measured change is the first to
     * read the new rows and pays for setting their hint bits (writing every page again), which production does not.
     * Pages a previous vacuum left all-visible are skipped, so a grown sample costs only its new rows.
     */
    private void settle(boolean analyze) throws SQLException {
        String vacuum = analyze ? "VACUUM ANALYZE " : "VACUUM ";
        try (Statement statement = connection.createStatement()) {
            for (Parent parent : parents.keySet()) {
                statement.execute(vacuum + quote(parent.table()));
            }
            statement.execute(vacuum + quote(impact.table()));
        }
    }

    private String fingerprint() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(FINGERPRINT)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long count(String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static Connection inSchema(Connection connection, String schema) throws SQLException {
        connection.setSchema(schema);
        return connection;
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
