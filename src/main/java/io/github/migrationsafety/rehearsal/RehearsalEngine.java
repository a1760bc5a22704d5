package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.changelog.LiquibaseMessages;
import io.github.migrationsafety.changelog.LiquibaseSession;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.SharedEmbeddedPostgres;
import io.github.migrationsafety.smoke.SmokeEngine;
import io.github.migrationsafety.smoke.SmokeException;
import io.github.migrationsafety.smoke.SmokeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import liquibase.GlobalConfiguration;
import liquibase.change.Change;
import liquibase.change.core.AddForeignKeyConstraintChange;
import liquibase.change.core.AddNotNullConstraintChange;
import liquibase.change.core.DropColumnChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.RenameColumnChange;
import liquibase.change.core.RenameTableChange;
import liquibase.changelog.ChangeSet;

/**
 * The rehearsal on production's schema. With the production database at {@code url}, read only:
 * <ol>
 *   <li>copies production's schema ({@code pg_dump --schema-only}, from the snapshot of one read-only transaction)
 *       and its Liquibase history rows into a fresh database on the smoke's PostgreSQL, and runs Liquibase's update
 *       there: exactly the pending changesets, in Liquibase's order. A changeset that fails there is an error that
 *       names what in production made it fail: a drifted object, or an applied changeset it now runs after;
 *   <li>applies production's applied changesets alone, in ORDEREXECUTED order, to another fresh database, and
 *       compares that schema with production's through {@code pg_catalog}: every difference is a drift finding;
 *   <li>counts in production the rows that would break what each pending changeset added to an existing table (a
 *       NOT NULL, a unique key, a foreign key, a check, a type change), with at most N key values.
 * </ol>
 * Findings join the smoke's: {@code smoke.rehearsal.failed}, {@code smoke.rehearsal.drift},
 * {@code smoke.rehearsal.data}. A rehearsal that cannot run throws {@link RehearsalException}.
 */
public final class RehearsalEngine {

    public static final String FAILED = "smoke.rehearsal.failed";
    public static final String DRIFT = "smoke.rehearsal.drift";
    public static final String DATA = "smoke.rehearsal.data";

    private final RehearsalConfig config;
    private final EngineLog log;
    private final SharedEmbeddedPostgres shared;

    public RehearsalEngine(RehearsalConfig config, EngineLog log) {
        this(config, log, null);
    }

    /**
     * @param shared with postgres=embedded, the smoke's embedded server, where the rehearsal makes fresh databases
     *               instead of starting a server of its own; or {@code null}
     */
    public RehearsalEngine(RehearsalConfig config, EngineLog log, SharedEmbeddedPostgres shared) {
        this.config = config;
        this.log = log;
        this.shared = shared;
    }

    /** Rehearses, and returns {@code smoke} with the rehearsal's findings, checks and summary added. */
    public SmokeResult run(SmokeResult smoke) throws RehearsalException {
        if (!(smoke.summary().get("changesets") instanceof List<?>)) {
            log.warn("The rehearsal on production's schema did not run: the changelog could not be read (see the"
                    + " smoke's findings).");
            return smoke;
        }
        synchronized (SmokeEngine.class) { // Liquibase's JVM-wide history and lock services, as in the smoke
            try (TrackingResourceAccessor accessor = ChangelogReader.accessor(config.source())) {
                return LiquibaseSession.run(
                        log, accessor, config.source().classLoader(), () -> new Run(accessor, smoke).body());
            } catch (RehearsalException e) {
                throw e;
            } catch (SmokeException e) {
                throw new RehearsalException(e.getMessage(), e);
            } catch (Exception e) {
                throw new RehearsalException(
                        "The rehearsal on production's schema could not run: " + LiquibaseMessages.rootMessage(e)
                                + ". Run the build again with -e to see where it stopped, or set"
                                + " -Dmigration-safety.rehearsal=false.",
                        e);
            }
        }
    }

    private final class Run {

        private final TrackingResourceAccessor accessor;
        private final SmokeResult smoke;
        private final List<Finding> findings = new ArrayList<>();
        private final List<Check> checks = new ArrayList<>();
        private final Map<String, Object> summary = new LinkedHashMap<>();
        private final Map<String, Object> millis = new LinkedHashMap<>();

        Run(TrackingResourceAccessor accessor, SmokeResult smoke) {
            this.accessor = accessor;
            this.smoke = smoke;
        }

        SmokeResult body() throws Exception {
            long started = System.nanoTime();
            String historyName = GlobalConfiguration.DATABASECHANGELOG_TABLE_NAME.getCurrentValue();
            Files.createDirectories(config.workDirectory());
            try (ProductionSession production = ProductionSession.open(config.production(), config.statementTimeout());
                    ScratchServer server = ScratchServer.of(config.postgres(), config.workDirectory(), log, shared)) {
                PgDump pgDump = PgDump.find(config.pgDump(), production.major());
                ProductionSession.History history =
                        production.history(historyName, GlobalConfiguration.LIQUIBASE_SCHEMA_NAME.getCurrentValue());
                String schema = production.schema();
                summary.put("production", config.production().safeUrl());
                summary.put("version", "PostgreSQL " + production.version());
                summary.put("schema", schema);
                summary.put("pgDump", pgDump.executable().toString());
                summary.put("historyRows", history == null ? 0 : history.rows().size());

                long step = System.nanoTime();
                Path script = config.workDirectory().resolve("rehearsal-schema.sql");
                // pg_dump copies the schemas it is given: the history's too, when Liquibase keeps it elsewhere
                List<String> schemas = history == null || history.schema().equals(schema)
                        ? List.of(schema)
                        : List.of(schema, history.schema());
                pgDump.schemaOnly(config.production(), schemas, production.snapshot(), script);
                millis.put("pgDump", since(step));
                step = System.nanoTime();
                ConnectionSettings copy = server.freshDatabase("rehearsal");
                try (Connection connection = open(copy)) {
                    SchemaCopy.restore(connection, script);
                    if (history != null) {
                        SchemaCopy.history(connection, history);
                    }
                }
                millis.put("restore", since(step));
                log.info("Rehearsal: pg_dump " + pgDump.major() + " (" + pgDump.executable() + ") copied schema "
                        + schema + " of " + config.production().safeUrl() + " (PostgreSQL " + production.version()
                        + ", read only) and "
                        + (history == null ? "no" : history.rows().size())
                        + " history rows"
                        + (schemas.size() > 1 ? " (of " + history.schema() + "." + history.table() + ")" : "")
                        + " into the smoke's PostgreSQL (" + millis.get("pgDump") + " ms + "
                        + millis.get("restore") + " ms)");

                step = System.nanoTime();
                Catalog productionCatalog;
                ChangelogOnCopy.Update update;
                try (Connection connection = open(copy)) {
                    productionCatalog = Catalog.read(connection, schema, historyName);
                    update = ChangelogOnCopy.pending(
                            connection,
                            schema,
                            historyName,
                            config.source(),
                            accessor,
                            productionCatalog.tables().keySet());
                }
                millis.put("update", since(step));

                step = System.nanoTime();
                List<Drift> drifts = drift(server, schema, historyName, history, update, productionCatalog);
                millis.put("drift", since(step));

                judgeUpdate(update, drifts);

                step = System.nanoTime();
                countData(production, productionCatalog, update);
                millis.put("data", since(step));
            }
            millis.put("total", since(started));
            summary.put("millis", millis);
            boolean passed = findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
            summary.put("status", passed ? "passed" : "failed");
            Map<String, Object> merged = new LinkedHashMap<>(smoke.summary());
            Map<String, Object> ordered = new LinkedHashMap<>();
            ordered.put("status", summary.remove("status"));
            ordered.putAll(summary);
            merged.put("rehearsal", ordered);
            List<Finding> allFindings = new ArrayList<>(smoke.findings());
            allFindings.addAll(findings);
            List<Check> allChecks = new ArrayList<>(smoke.checks());
            allChecks.addAll(checks);
            log.info("Rehearsal on production's schema " + (passed ? "passed" : "failed") + " in " + millis.get("total")
                    + " ms");
            return new SmokeResult(merged, allFindings, allChecks);
        }

        /** The applied changesets rebuilt on a fresh database, compared with production's schema. */
        private List<Drift> drift(
                ScratchServer server,
                String schema,
                String historyName,
                ProductionSession.History history,
                ChangelogOnCopy.Update update,
                Catalog production)
                throws Exception {
            long started = System.nanoTime();
            List<Map<String, Object>> entries = new ArrayList<>();
            summary.put("drift", entries);
            if (history == null) {
                summary.put("driftChecked", "no: production has no " + historyName + " table");
                log.info("Rehearsal: drift not checked: production has no " + historyName
                        + " table, so no changeset is known to have made its schema");
                return List.of();
            }
            ConnectionSettings rebuilt = server.freshDatabase("applied");
            String failure;
            Catalog expected = null;
            try (Connection connection = open(rebuilt)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + ProductionSession.quote(schema));
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + ProductionSession.quote(history.schema()));
                }
                failure = ChangelogOnCopy.rebuild(connection, schema, config.source(), accessor, update.ran());
                if (failure == null) {
                    expected = Catalog.read(connection, schema, historyName);
                }
            }
            if (failure != null) {
                summary.put("driftChecked", "no: the applied changesets do not rebuild: " + failure);
                findings.add(Finding.warning(
                                DRIFT,
                                config.source().file(),
                                "drift not checked: the changesets production applied, run alone in its order on an"
                                        + " empty database, stop at " + failure)
                        .withHint("they ran in production on data or objects the changelog does not make; compare"
                                + " production with the changelog by hand"));
                return List.of();
            }
            summary.put("driftChecked", "yes");
            List<Drift> drifts = Drift.between(expected, production);
            for (Drift drift : drifts) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("object", drift.object());
                entry.put("expected", drift.expected());
                entry.put("actual", drift.actual());
                entries.add(entry);
                findings.add(Finding.warning(DRIFT, drift.object(), drift.verb())
                        .withExpectation(drift.expected(), drift.actual())
                        .withHint("put production back to what the changelog makes, or record the hand-made change"
                                + " in a changeset, so that pending changesets meet the schema they were written for"));
            }
            log.info("Rehearsal: drift: " + drifts.size() + " difference" + (drifts.size() == 1 ? "" : "s")
                    + " between production's schema and what its "
                    + update.ranChangeSets().size()
                    + " applied changesets make (" + since(started) + " ms)");
            return drifts;
        }

        /** Findings and checks for the pending changesets' run on production's schema, with the cause named. */
        private void judgeUpdate(ChangelogOnCopy.Update update, List<Drift> drifts) {
            List<Map<String, Object>> pending = new ArrayList<>();
            summary.put("pending", pending);
            if (update.refused() != null) {
                findings.add(Finding.error(
                                FAILED,
                                config.source().file(),
                                "Liquibase refused the update on production's schema: " + update.refused())
                        .withHint("fix what Liquibase names; production's own update would stop there too"));
            }
            int passed = 0;
            int failed = 0;
            for (ChangelogOnCopy.Outcome outcome : update.pending()) {
                String empty = emptyStatus(outcome.key());
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("changeset", outcome.key());
                entry.put("empty", empty);
                entry.put("rehearsal", outcome.status());
                if (outcome.error() != null) {
                    entry.put("error", outcome.error());
                }
                pending.add(entry);
                if (outcome.status().equals("passed")) {
                    passed++;
                    checks.add(Check.passed("rehearsal", outcome.key(), Duration.ZERO));
                } else if (outcome.status().equals("failed")) {
                    failed++;
                    Cause cause = cause(update, outcome.changeSet(), drifts, outcome.error());
                    entry.put("cause", cause.text());
                    String message = "fails on production's schema"
                            + (empty.equals("passed") ? " but passed on an empty database" : "") + ": "
                            + outcome.error() + " - " + cause.text();
                    checks.add(Check.failed("rehearsal", outcome.key(), Duration.ZERO, message));
                    findings.add(Finding.error(FAILED, outcome.key(), message)
                            .withHint(cause.hint())
                            .at(outcome.changeSet().getFilePath(), 0));
                } else {
                    checks.add(new Check(
                            "rehearsal",
                            outcome.key(),
                            Duration.ZERO,
                            Check.Outcome.SKIPPED,
                            "not run: the update stopped at an earlier failure"));
                }
            }
            log.info("Rehearsal: " + update.pending().size() + " pending changeset"
                    + (update.pending().size() == 1 ? "" : "s") + " on production's schema: " + passed + " passed, "
                    + failed + " failed"
                    + (update.pending().size() > passed + failed
                            ? ", " + (update.pending().size() - passed - failed) + " not run"
                            : "")
                    + " (" + millis.get("update") + " ms)");
        }

        /** The changeset's status in the smoke from an empty database: PostgreSQL's when it ran there, else H2's. */
        private String emptyStatus(String key) {
            for (Object value : (List<?>) smoke.summary().get("changesets")) {
                Map<?, ?> entry = (Map<?, ?>) value;
                if (key.equals(entry.get("changeset"))) {
                    Object run = entry.get("postgresql") != null ? entry.get("postgresql") : entry.get("h2");
                    return run instanceof Map<?, ?> status ? String.valueOf(status.get("status")) : "skipped";
                }
            }
            return "not in the smoke";
        }

        private void countData(ProductionSession production, Catalog catalog, ChangelogOnCopy.Update update) {
            long started = System.nanoTime();
            List<Map<String, Object>> entries = new ArrayList<>();
            summary.put("data", entries);
            DataCheck check = new DataCheck(production, catalog, config.samples(), config.rowLimit());
            int failing = 0;
            int counted = 0;
            for (ChangelogOnCopy.Outcome outcome : update.pending()) {
                for (Effect effect : outcome.effects()) {
                    if (filledByDefault(outcome.changeSet(), effect)) {
                        continue;
                    }
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("changeset", outcome.key());
                    entry.put("check", effect.describe());
                    entries.add(entry);
                    DataCheck.Count count;
                    try {
                        count = check.count(effect);
                    } catch (SQLException e) {
                        String why = "57014".equals(e.getSQLState())
                                ? "statement_timeout ("
                                        + config.statementTimeout().toSeconds() + " s) reached"
                                : Databases.scrub(config.production(), LiquibaseMessages.rootMessage(e));
                        entry.put("rows", "not counted: " + why);
                        findings.add(Finding.warning(
                                        DATA,
                                        outcome.key(),
                                        effect.describe() + ": the production rows that would break it were not"
                                                + " counted: " + why)
                                .withHint("raise 'rehearsalStatementTimeout' or set 'rehearsalRowLimit'"));
                        continue;
                    }
                    counted++;
                    entry.put("rows", count.count());
                    entry.put("keyColumns", count.keyName());
                    entry.put("keys", count.samples());
                    checks.add(
                            count.count() == 0
                                    ? Check.passed(
                                            "rehearsal.data", outcome.key() + " " + effect.describe(), Duration.ZERO)
                                    : Check.failed(
                                            "rehearsal.data",
                                            outcome.key() + " " + effect.describe(),
                                            Duration.ZERO,
                                            rows(count)));
                    if (count.count() != 0) {
                        failing++;
                        findings.add(Finding.error(
                                        DATA,
                                        outcome.key(),
                                        effect.describe() + ": " + rows(count) + " in production would make it fail"
                                                + (config.rowLimit() == null
                                                        ? ""
                                                        : " (first " + config.rowLimit() + " rows of the table read)"))
                                .withExpectation(
                                        "0 rows", count.count() < 0 ? "at least 1 row" : count.count() + " rows")
                                .withHint(hint(effect, count))
                                .at(outcome.changeSet().getFilePath(), 0));
                    }
                }
            }
            log.info("Rehearsal: data: " + counted + " check" + (counted == 1 ? "" : "s") + " of production's rows"
                    + " against the pending changesets, " + failing + " would fail (" + since(started) + " ms)");
        }
    }

    private static String rows(DataCheck.Count count) {
        String rows = count.count() < 0
                ? "at least one row whose value does not convert"
                : count.count() + (count.count() == 1 ? " row" : " rows");
        return rows
                + (count.samples().isEmpty()
                        ? ""
                        : " (" + count.keyName() + ": " + String.join(", ", count.samples())
                                + (count.count() > count.samples().size() ? ", ..." : "") + ")");
    }

    private static String hint(Effect effect, DataCheck.Count count) {
        if (effect instanceof Effect.Unique unique) {
            return "review and remove the duplicates with migration-safety:dedupe (table=" + unique.table()
                    + ", keyColumns=" + String.join(",", unique.columns()) + ") before the migration; they are listed"
                    + " by: " + count.query();
        }
        return "fix those rows before the migration; they are listed by: " + count.query();
    }

    /** An addNotNullConstraint with {@code defaultNullValue} fills the NULLs itself before it adds the constraint. */
    private static boolean filledByDefault(ChangeSet changeSet, Effect effect) {
        if (!(effect instanceof Effect.NotNull notNull)) {
            return false;
        }
        for (Change change : changeSet.getChanges()) {
            if (change instanceof AddNotNullConstraintChange add
                    && add.getDefaultNullValue() != null
                    && notNull.table().equalsIgnoreCase(add.getTableName())
                    && notNull.column().equalsIgnoreCase(add.getColumnName())) {
                return true;
            }
        }
        return false;
    }

    /** Why a pending changeset failed on production's schema, and what to do. */
    record Cause(String text, String hint) {}

    /**
     * Merge order when production already ran a changeset that comes after it in the changelog and works on one of
     * its tables (on an empty database it ran before that one); else drift on one of its tables (or named in the
     * error); else production's schema in general.
     */
    static Cause cause(ChangelogOnCopy.Update update, ChangeSet failed, List<Drift> drifts, String error) {
        Set<String> tables = tables(failed);
        List<ChangeSet> changeSets = update.changeLog().getChangeSets();
        int position = changeSets.indexOf(failed);
        List<ChangeSet> ran = update.ranChangeSets();
        for (int i = position + 1; position >= 0 && i < changeSets.size(); i++) {
            ChangeSet later = changeSets.get(i);
            if (!ran.contains(later)) {
                continue;
            }
            Set<String> shared = new HashSet<>(tables(later));
            shared.retainAll(tables);
            if (!shared.isEmpty()) {
                String what = describe(later);
                return new Cause(
                        "merge order: it comes before " + later.toString(false) + " in the changelog, which"
                                + " production already ran" + (what == null ? "" : " (it " + what + ")")
                                + "; an empty database runs it before that changeset, production after it",
                        "move the changeset after " + later.toString(false) + " in the changelog and write it"
                                + " against the schema that changeset leaves");
            }
        }
        String lower = error == null ? "" : error.toLowerCase(Locale.ROOT);
        List<String> named = new ArrayList<>();
        for (Drift drift : drifts) {
            String name = drift.object()
                    .substring(drift.object().lastIndexOf(' ') + 1)
                    .toLowerCase(Locale.ROOT);
            boolean mentioned = lower.contains(name)
                    || drift.column() != null
                            && lower.contains("\"" + drift.column().toLowerCase(Locale.ROOT) + "\"")
                    || objectName(drift) != null && lower.contains(objectName(drift));
            if (tables.contains(drift.table().toLowerCase(Locale.ROOT)) || mentioned) {
                named.add(drift.object() + " " + drift.verb() + " (expected " + drift.expected() + ", production "
                        + drift.actual() + ")");
            }
        }
        if (!named.isEmpty()) {
            return new Cause(
                    "production's schema drifted: " + String.join("; ", named.subList(0, Math.min(3, named.size())))
                            + (named.size() > 3 ? "; and " + (named.size() - 3) + " more" : ""),
                    "reconcile production's schema with the changelog (the drift findings list both sides), or make"
                            + " the changeset tolerate it with a precondition");
        }
        return new Cause(
                "production's schema is not what the changelog makes (see the drift findings, if any)",
                "run the changeset's SQL (in the report) against a copy of production to see why");
    }

    /** The name of an index or constraint drift ({@code index idx_name on t} to {@code idx_name}). */
    private static String objectName(Drift drift) {
        String[] words = drift.object().split(" ");
        int on = List.of(words).indexOf("on");
        return on > 0 ? words[on - 1].toLowerCase(Locale.ROOT) : null;
    }

    /** The tables (lower case) a changeset's changes work on, renamed and referenced ones included. */
    private static Set<String> tables(ChangeSet changeSet) {
        Set<String> tables = new HashSet<>();
        for (Change change : changeSet.getChanges()) {
            String table = ChangeTables.table(change);
            if (table != null) {
                tables.add(table.toLowerCase(Locale.ROOT));
            }
            if (change instanceof RenameTableChange rename && rename.getNewTableName() != null) {
                tables.add(rename.getNewTableName().toLowerCase(Locale.ROOT));
            }
            if (change instanceof AddForeignKeyConstraintChange fk && fk.getReferencedTableName() != null) {
                tables.add(fk.getReferencedTableName().toLowerCase(Locale.ROOT));
            }
        }
        return tables;
    }

    /** "renames column t.a to b" for a changeset with a rename or drop, else {@code null}. */
    private static String describe(ChangeSet changeSet) {
        for (Change change : changeSet.getChanges()) {
            if (change instanceof RenameColumnChange
                    || change instanceof RenameTableChange
                    || change instanceof DropColumnChange
                    || change instanceof DropTableChange) {
                return ChangeTables.describe(change);
            }
        }
        return null;
    }

    private static Connection open(ConnectionSettings settings) throws RehearsalException {
        try {
            return Databases.open(settings);
        } catch (DatabaseException e) {
            throw new RehearsalException("Parameter 'postgres': " + e.getMessage());
        }
    }

    private static long since(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
