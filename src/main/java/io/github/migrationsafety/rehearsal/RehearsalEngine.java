package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.changelog.LiquibaseMessages;
import io.github.migrationsafety.changelog.LiquibaseSession;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.smoke.SharedEmbeddedPostgres;
import io.github.migrationsafety.smoke.SmokeEngine;
import io.github.migrationsafety.smoke.SmokeException;
import io.github.migrationsafety.smoke.SmokeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import liquibase.GlobalConfiguration;

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
 *       NOT NULL, a unique key, a foreign key, a check, a type change), with at most N key values; on the
 *       snapshot of the same read-only transaction, side by side with the drift check (see {@link DataCounts}).
 * </ol>
 * Findings join the smoke's: {@code smoke.rehearsal.failed}, {@code smoke.rehearsal.drift},
 * {@code smoke.rehearsal.data}. A rehearsal that cannot run throws {@link RehearsalException}.
 */
public final class RehearsalEngine {

    public static final String FAILED = "smoke.rehearsal.failed";
    public static final String DRIFT = "smoke.rehearsal.drift";
    public static final String DATA = "smoke.rehearsal.data";
    /** A pending changeset the copy cannot judge: it breaks a constraint there only for want of production's rows. */
    public static final String NEEDS_ROWS = "smoke.rehearsal.needs-rows";

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

    /** Rehearses the changelog, and returns {@code smoke} with the rehearsal's findings, checks and summary added. */
    public SmokeResult run(SmokeResult smoke) throws RehearsalException {
        if (!readable(smoke)) {
            return smoke;
        }
        synchronized (SmokeEngine.class) { // Liquibase's JVM-wide history and lock services, as in the smoke
            try (TrackingResourceAccessor accessor = ChangelogReader.accessor(config.source())) {
                return LiquibaseSession.run(
                        log,
                        accessor,
                        config.source().classLoader(),
                        () -> new Run(new LiquibaseChangelog(accessor), smoke).body());
            } catch (Exception e) {
                throw failure(e);
            }
        }
    }

    /**
     * Rehearses another tool's migrations (Flyway's): its history table's rows decide what is pending on the copy,
     * and the schema copy, drift and data counts are the same as for a changelog. {@code config.source()} is not
     * read.
     */
    public SmokeResult run(SmokeResult smoke, MigrationTool tool) throws RehearsalException {
        if (!readable(smoke)) {
            return smoke;
        }
        try {
            return tool.session(log, () -> new Run(new OtherToolSource(tool), smoke).body());
        } catch (Exception e) {
            throw failure(e);
        }
    }

    private boolean readable(SmokeResult smoke) {
        if (smoke.summary().get("changesets") instanceof List<?>) {
            return true;
        }
        log.warn("The rehearsal on production's schema did not run: the migrations could not be read (see the"
                + " smoke's findings).");
        return false;
    }

    private static RehearsalException failure(Exception e) {
        if (e instanceof RehearsalException rehearsal) {
            return rehearsal;
        }
        if (e instanceof SmokeException smoke) {
            return new RehearsalException(smoke.getMessage(), smoke);
        }
        return new RehearsalException(
                "The rehearsal on production's schema could not run: " + LiquibaseMessages.rootMessage(e)
                        + ". Run the build again with -e to see where it stopped, or set"
                        + " -Dmigration-safety.rehearsal=false.",
                e);
    }

    /** Each change's SQL by its key, from the smoke's report of its run from an empty database. */
    private static Map<String, String> sqlOf(SmokeResult smoke) {
        Map<String, String> sql = new HashMap<>();
        if (smoke.summary().get("changesets") instanceof List<?> entries) {
            for (Object value : entries) {
                if (value instanceof Map<?, ?> entry && entry.get("sql") instanceof String text) {
                    sql.put(String.valueOf(entry.get("changeset")), text);
                }
            }
        }
        return sql;
    }

    /** The log's mention of the schemas copied besides the migrations' own and the history's. */
    private static String others(Set<String> schemas, String schema, ProductionSession.History history) {
        List<String> others = schemas.stream()
                .filter(s -> !s.equals(schema) && (history == null || !s.equals(history.schema())))
                .toList();
        return others.isEmpty() ? "" : ", with production's other schemas (" + String.join(", ", others) + "),";
    }

    /** A Liquibase changelog: Liquibase's update on the copy, the ORDEREXECUTED rebuild. */
    private final class LiquibaseChangelog implements RehearsalSource {

        private final TrackingResourceAccessor accessor;

        LiquibaseChangelog(TrackingResourceAccessor accessor) {
            this.accessor = accessor;
        }

        @Override
        public String tool() {
            return "Liquibase";
        }

        @Override
        public Terms terms() {
            return Terms.LIQUIBASE;
        }

        @Override
        public String subject() {
            return config.source().file();
        }

        @Override
        public String historyName() {
            return GlobalConfiguration.DATABASECHANGELOG_TABLE_NAME.getCurrentValue();
        }

        @Override
        public ProductionSession.History history(ProductionSession production) throws RehearsalException {
            return production.history(historyName(), GlobalConfiguration.LIQUIBASE_SCHEMA_NAME.getCurrentValue());
        }

        @Override
        public ChangelogOnCopy.Update pending(Connection connection, ConnectionSettings copy, String schema)
                throws Exception {
            return ChangelogOnCopy.pending(connection, schema, historyName(), config.source(), accessor);
        }

        @Override
        public List<Drift> drift(
                DriftCheck check,
                ScratchServer server,
                String schema,
                ProductionSession.History history,
                ChangelogOnCopy.Update update,
                Catalog production)
                throws Exception {
            return check.run(server, schema, historyName(), history, update, production);
        }
    }

    /** One rehearsal: its steps in order, timed, adding to one {@link RehearsalFindings}. */
    private final class Run {

        private final RehearsalSource source;
        private final SmokeResult smoke;
        private final RehearsalFindings results = new RehearsalFindings();

        Run(RehearsalSource source, SmokeResult smoke) {
            this.source = source;
            this.smoke = smoke;
        }

        /**
         * The pending changesets from {@code from} on, run on the applied changesets' rebuild, which has the schema they
         * make (production's but for the drift, which its own findings name) and the rows the changesets insert: the
         * reference data a changeset like Concord's {@code insert … (select ROLE_ID from ROLES where ROLE_NAME =
         * 'concordAdmin')} reads, which the copy, production's schema without rows, lacks. The rebuild's history
         * becomes production's first, so exactly production's pending changesets run there.
         */
        private ChangelogOnCopy.Update continueOnRebuild(
                ChangelogOnCopy.Update update,
                String from,
                ConnectionSettings rebuilt,
                String schema,
                ProductionSession.History history)
                throws Exception {
            long started = System.nanoTime();
            ChangelogOnCopy.Update rest;
            try (Connection connection = ScratchServer.open(rebuilt)) {
                SchemaCopy.replaceHistory(connection, history);
                rest = source.pending(connection, rebuilt, schema);
            }
            ChangelogOnCopy.Update continued = update.continuedOn(rest, from);
            long passed = continued.pending().stream()
                    .filter(o -> continued.onRebuild().contains(o.key())
                            && o.status().equals("passed"))
                    .count();
            results.time("rebuildUpdate", Millis.since(started));
            log.info("Rehearsal: " + from + " needs rows the copy does not have; it and the "
                    + source.terms().units() + " after it ran on the applied "
                    + source.terms().units()
                    + "' rebuild instead (the schema they make, with the rows they insert): " + passed + " of "
                    + continued.onRebuild().size() + " passed ("
                    + results.millis("rebuildUpdate") + " ms)");
            return continued;
        }

        /** The database {@code making} made, or the reason it could not. */
        private static ConnectionSettings made(CompletableFuture<ConnectionSettings> making) throws RehearsalException {
            try {
                return making.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RehearsalException cause) {
                    throw cause;
                }
                throw e;
            }
        }

        SmokeResult body() throws Exception {
            long started = System.nanoTime();
            String historyName = source.historyName();
            Files.createDirectories(config.workDirectory());
            try (ProductionSession production =
                    ProductionSession.open(config.production(), config.statementTimeout())) {
                DataCounts.Running counts = null;
                try {
                    try (ScratchServer server =
                            ScratchServer.of(config.postgres(), config.workDirectory(), log, shared)) {
                        PgDump pgDump = PgDump.find(config.pgDump(), production.major());
                        ProductionSession.History history = source.history(production);
                        String schema = source.schema(production);
                        results.put("tool", source.tool());
                        results.put("production", config.production().safeUrl());
                        results.put("version", "PostgreSQL " + production.version());
                        results.put("schema", schema);
                        results.put("pgDump", pgDump.executable().toString());
                        results.put(
                                "historyRows",
                                history == null ? 0 : history.rows().size());

                        long step = System.nanoTime();
                        Path script = config.workDirectory().resolve("rehearsal-schema.sql");
                        // pg_dump copies the schemas it is given: the migrations' own, the history's when the tool
                        // keeps it elsewhere, and every other one production has, which changes that name a schema
                        // (schemaName="app") work in
                        Set<String> schemas = new LinkedHashSet<>(List.of(schema));
                        if (history != null) {
                            schemas.add(history.schema());
                        }
                        List<ProductionSession.Schema> own = production.schemas();
                        own.stream().filter(ProductionSession.Schema::readable).forEach(s -> schemas.add(s.name()));
                        List<String> unreadable = own.stream()
                                .filter(s -> !s.readable() && !schemas.contains(s.name()))
                                .map(ProductionSession.Schema::name)
                                .toList();
                        if (!unreadable.isEmpty()) {
                            log.info("Rehearsal: production's schema" + (unreadable.size() == 1 ? " " : "s ")
                                    + String.join(", ", unreadable) + (unreadable.size() == 1 ? " is" : " are")
                                    + " not in the copy: "
                                    + (config.production().username() == null
                                            ? "production's role"
                                            : "the role " + config.production().username())
                                    + " cannot read every table there (a pending change that works in "
                                    + (unreadable.size() == 1 ? "it" : "one") + " fails on the copy; grant USAGE on"
                                    + " the schema and SELECT on its tables to include it)");
                        }
                        List<ProductionSession.Extension> extensions = production.extensions();
                        List<ProductionSession.ForeignServer> servers = production.foreignServers();
                        List<String> roles = production.roles();
                        // the copy's database is made on the smoke's server while pg_dump reads production
                        CompletableFuture<ConnectionSettings> copyDatabase = CompletableFuture.supplyAsync(() -> {
                            try {
                                return server.freshDatabase("rehearsal");
                            } catch (RehearsalException e) {
                                throw new CompletionException(e);
                            }
                        });
                        try {
                            pgDump.schemaOnly(config.production(), List.copyOf(schemas), production.snapshot(), script);
                        } finally {
                            results.time("pgDump", Millis.since(step));
                            // made before the server closes, even when pg_dump failed: closing drops what it made
                            copyDatabase.handle((made, failure) -> made).join();
                        }
                        step = System.nanoTime();
                        ConnectionSettings copy = made(copyDatabase);
                        try (Connection connection = ScratchServer.open(copy)) {
                            List<String> missing = new ArrayList<>(SchemaCopy.extensions(connection, extensions));
                            missing.addAll(SchemaCopy.foreignServers(connection, servers));
                            missing.addAll(server.roles(roles));
                            SchemaCopy.restore(connection, script, missing);
                            for (String object : missing) {
                                log.info("Rehearsal: production's " + object + "; nothing of schema " + schema
                                        + " needs it in the copy");
                            }
                            if (history != null) {
                                SchemaCopy.history(connection, history);
                            }
                        }
                        results.time("restore", Millis.since(step));
                        log.info("Rehearsal: pg_dump " + pgDump.major() + " (" + pgDump.executable()
                                + ") copied schema "
                                + schema + " of " + config.production().safeUrl() + " (PostgreSQL "
                                + production.version()
                                + ", read only) and "
                                + (history == null
                                        ? "no history rows"
                                        : history.rows().size() + " history row"
                                                + (history.rows().size() == 1 ? "" : "s"))
                                + (history != null && !history.schema().equals(schema)
                                        ? " (of " + history.schema() + "." + history.table() + ")"
                                        : "")
                                + others(schemas, schema, history)
                                + " into the smoke's PostgreSQL (" + results.millis("pgDump") + " ms + "
                                + results.millis("restore") + " ms)");

                        step = System.nanoTime();
                        ChangelogOnCopy.Update update;
                        try (Connection connection = ScratchServer.open(copy)) {
                            update = source.pending(connection, copy, schema);
                        }
                        Catalog productionCatalog = update.production();
                        results.time("update", Millis.since(step));

                        // the counts read production's rows while the drift is rebuilt on the smoke's server; unless
                        // the update stopped for want of rows, and what comes after may yet run on the rebuild
                        String needsRows = PendingVerdicts.needsRowsAt(update, smoke, source.terms());
                        if (needsRows == null) {
                            counts = new DataCounts(config, log, results, source.terms())
                                    .start(production, productionCatalog, update, sqlOf(smoke));
                        }
                        step = System.nanoTime();
                        DriftCheck check = new DriftCheck(
                                config,
                                log,
                                source instanceof LiquibaseChangelog l ? l.accessor : null,
                                results,
                                source.terms());
                        List<Drift> drifts = source.drift(check, server, schema, history, update, productionCatalog);
                        results.time("drift", Millis.since(step));
                        if (needsRows != null && check.rebuilt() != null) {
                            update = continueOnRebuild(update, needsRows, check.rebuilt(), schema, history);
                        }
                        if (counts == null) {
                            counts = new DataCounts(config, log, results, source.terms())
                                    .start(production, productionCatalog, update, sqlOf(smoke));
                        }

                        new PendingVerdicts(
                                        config, log, smoke, results, source.tool(), source.subject(), source.terms())
                                .judge(update, drifts);
                        counts.report();
                        // the scratch databases are dropped after the counts, not beside them: DROP DATABASE asks
                        // PostgreSQL for an immediate checkpoint, which took CPU and disk from the counts where the
                        // smoke's server shares production's machine. The rehearsal's time ends with its verdict,
                        // the drop's is the goal's
                        results.time("total", Millis.since(started));
                    }
                } finally {
                    if (counts != null) { // before production's session closes: the counts may use its connection
                        counts.close();
                    }
                }
            }
            SmokeResult joined = results.joinTo(smoke);
            log.info("Rehearsal on production's schema " + (results.passed() ? "passed" : "failed") + " in "
                    + results.millis("total") + " ms");
            return joined;
        }
    }
}
