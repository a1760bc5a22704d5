package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The applied changesets rebuilt on a fresh database, compared with production's schema: every difference is a
 * {@link RehearsalEngine#DRIFT} warning and an entry of the summary's {@code drift}.
 */
final class DriftCheck {

    private final RehearsalConfig config;
    private final EngineLog log;
    private final TrackingResourceAccessor accessor;
    private final RehearsalFindings results;
    private final Terms terms;
    private ConnectionSettings rebuilt;

    DriftCheck(
            RehearsalConfig config,
            EngineLog log,
            TrackingResourceAccessor accessor,
            RehearsalFindings results,
            Terms terms) {
        this.config = config;
        this.log = log;
        this.accessor = accessor;
        this.results = results;
        this.terms = terms;
    }

    /**
     * The database the applied changesets or migrations were rebuilt on, once they rebuilt: production's schema as
     * they make it, with the rows they insert themselves; {@code null} before, or when they did not rebuild.
     */
    ConnectionSettings rebuilt() {
        return rebuilt;
    }

    /** Applies production's applied changesets or migrations to a fresh database; returns the failure, or null. */
    interface Rebuild {
        String run(Connection connection, ConnectionSettings settings) throws Exception;
    }

    /** The drift between what production's applied changesets make and {@code production}; none when unchecked. */
    List<Drift> run(
            ScratchServer server,
            String schema,
            String historyName,
            ProductionSession.History history,
            ChangelogOnCopy.Update update,
            Catalog production)
            throws Exception {
        return run(
                server,
                schema,
                historyName,
                history,
                production,
                config.source().file(),
                terms.count(update.ranChangeSets().size(), "applied")
                        + (update.ranChangeSets().size() == 1 ? " makes" : " make"),
                update.gaps(),
                (connection, settings) ->
                        ChangelogOnCopy.rebuild(connection, schema, config.source(), accessor, update.ran()));
    }

    /**
     * @param subject what the finding names when the applied ones do not rebuild: the changelog, the locations
     * @param applied what production applied, for the log ({@code 12 applied migrations make})
     * @param gaps    where production's history and the migrations differ: the drift they explain says so
     */
    List<Drift> run(
            ScratchServer server,
            String schema,
            String historyName,
            ProductionSession.History history,
            Catalog production,
            String subject,
            String applied,
            HistoryGaps gaps,
            Rebuild rebuild)
            throws Exception {
        long started = System.nanoTime();
        List<Map<String, Object>> entries = new ArrayList<>();
        results.put("drift", entries);
        if (history == null) {
            results.put("driftChecked", "no: production has no " + historyName + " table");
            log.info("Rehearsal: drift not checked: production has no " + historyName + " table, so no " + terms.unit()
                    + " is known to have made its schema");
            return List.of();
        }
        ConnectionSettings rebuilt = server.freshDatabase("applied");
        String failure;
        Catalog expected = null;
        try (Connection connection = ScratchServer.open(rebuilt)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + ProductionSession.quote(schema));
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + ProductionSession.quote(history.schema()));
            }
            failure = rebuild.run(connection, rebuilt);
            if (failure == null) {
                expected = Catalog.read(connection, schema, production.schemas(), historyName);
            }
        }
        if (failure != null) {
            results.put("driftChecked", "no: the applied " + terms.units() + " do not rebuild: " + failure);
            results.add(Finding.warning(
                            RehearsalEngine.DRIFT,
                            subject,
                            "drift not checked: the " + terms.units() + " production applied, run alone in its order"
                                    + " on an empty database, stop at " + failure)
                    .withHint("they ran in production on data or objects not made by " + terms.source()
                            + "; compare production with " + terms.source() + " by hand"));
            return List.of();
        }
        results.put("driftChecked", "yes");
        this.rebuilt = rebuilt;
        List<Drift> drifts = Drift.between(expected, production);
        for (Drift drift : drifts) {
            HistoryGaps.Gap gap = gaps.explaining(drift, terms);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("object", drift.object());
            entry.put("expected", drift.expected());
            entry.put("actual", drift.actual());
            if (gap != null) {
                entry.put("cause", gap.cause());
            }
            entries.add(entry);
            results.add(Finding.warning(
                            RehearsalEngine.DRIFT,
                            drift.object(),
                            drift.verb(terms) + (gap == null ? "" : ": " + gap.cause()))
                    .withExpectation(drift.expected(), drift.actual())
                    .withHint(
                            gap != null
                                    ? gap.hint()
                                    : "put production back to what " + terms.makes()
                                            + ", or record the hand-made change " + terms.record()
                                            + ", so that pending " + terms.units()
                                            + " meet the schema they were written for"));
        }
        for (HistoryGaps.Gap gap : gaps.gaps()) {
            log.info("Rehearsal: " + gap.cause() + " (drift on the tables it names is put down to that)");
        }
        log.info("Rehearsal: drift: " + drifts.size() + " difference" + (drifts.size() == 1 ? "" : "s")
                + " between production's schema and what its " + applied + " (" + Millis.since(started) + " ms)");
        return drifts;
    }
}
