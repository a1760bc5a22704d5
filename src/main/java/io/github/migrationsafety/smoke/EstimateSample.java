package io.github.migrationsafety.smoke;

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

/**
 * A synthetic copy of one table in a schema of its own on the smoke's PostgreSQL, for the production-impact
 * estimate: the steps (changesets, migrations) before the measured one applied by their tool ({@link EstimateSteps}), the table filled with synthetic rows (and the parents a
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

    private final EngineLog log;
    private final Connection connection;
    private final StallProbe.Connector connector;
    private final TableImpact impact;
    private final EstimateSteps.Step step;
    private final String schema;
    private final String originalSchema;
    /** Parents that were empty, filled here, to their row counts. */
    private final Map<Parent, Long> parents = new LinkedHashMap<>();

    private long rows;
    private boolean spent;

    private EstimateSample(
            EngineLog log,
            Connection connection,
            StallProbe.Connector connector,
            TableImpact impact,
            EstimateSteps.Step step)
            throws SQLException {
        this.log = log;
        this.connection = connection;
        this.connector = connector;
        this.impact = impact;
        this.step = step;
        this.schema = "migration_safety_impact_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.originalSchema = connection.getSchema();
    }

    /**
     * A fresh schema with the steps before the measured one applied (by {@code step}'s tool), and no rows yet;
     * {@code null} (with a warning) when those steps fail there.
     *
     * @param parents the tables a foreign key that the step adds points at
     */
    static EstimateSample open(
            EngineLog log,
            Connection connection,
            StallProbe.Connector connector,
            TableImpact impact,
            EstimateSteps.Step step,
            List<Parent> parents)
            throws Exception {
        EstimateSample sample = new EstimateSample(log, connection, connector, impact, step);
        connection.setAutoCommit(true); // the schema must outlive the rollbacks a tool does between its steps
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + sample.schema);
        }
        try {
            connection.setSchema(sample.schema);
            String failed = step.applyBefore(connection, sample.schema);
            if (failed != null) {
                log.warn("Cannot estimate " + impact.changeset() + ": " + failed);
                sample.close();
                return null;
            }
            connection.setAutoCommit(true);
            for (Parent parent : parents) {
                if (sample.count(parent.table()) == 0) {
                    sample.parents.put(parent, 0L);
                }
            }
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
        EstimateSteps.Ran ran;
        long readStall;
        long writeStall;
        connection.setAutoCommit(!undo);
        try {
            StallProbe probe = new StallProbe(
                    () -> inSchema(connector.open(), schema),
                    "\"" + impact.table().replace("\"", "\"\"") + "\"");
            try {
                ran = step.run(connection, schema, undo);
            } finally {
                try {
                    if (undo) {
                        // the run's locks end here, as at production's commit, and the probe's waits with them
                        connection.rollback();
                    }
                } finally {
                    probe.close(); // after its clients' last statements, which may have waited until now
                }
            }
            readStall = probe.longestReadMillis();
            writeStall = probe.longestWriteMillis();
        } finally {
            connection.setAutoCommit(true);
        }
        spent = !undo || !fingerprint().equals(before);
        if (undo && spent) {
            log.debug("Estimate of " + impact.changeset() + ": its rollback did not undo it, the next run starts"
                    + " from a fresh schema");
        }
        if (ran.error() != null) {
            log.warn("Cannot estimate " + impact.changeset() + ": it failed on " + rows + " synthetic rows: "
                    + ran.error());
            return null;
        }
        return ran.impacts().stream()
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
}
