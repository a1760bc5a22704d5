package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangelogException;
import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.changelog.ChangesetSelection;
import io.github.migrationsafety.changelog.LiquibaseMessages;
import io.github.migrationsafety.changelog.LiquibaseSession;
import io.github.migrationsafety.changelog.ReleasedChecksums;
import io.github.migrationsafety.changelog.SuppressionMarker;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.util.LiquibaseUtil;

/**
 * The smoke test: lint, offline SQL, update on a fresh H2 (and optionally PostgreSQL) with per-changeset
 * timing and seed data, expectations, rollback round trip. Findings are collected; only "cannot run at all"
 * is an exception. Each run of {@link #run()} starts from nothing: the engine keeps no state between runs.
 */
public final class SmokeEngine {

    /** The warning that the smoke's PostgreSQL is not production's major version. */
    public static final String VERSION_MISMATCH = "smoke.impact.version-mismatch";

    private final SmokeConfig config;
    private final EngineLog log;

    /** The embedded server's log, under the work directory. */
    public static final String EMBEDDED_LOG = "embedded-postgres.log";

    private final SharedEmbeddedPostgres shared;

    public SmokeEngine(SmokeConfig config, EngineLog log) {
        this(config, log, null);
    }

    /**
     * @param shared with postgres=embedded, the server to use (started on first use; the caller stops it, so that
     *               the rehearsal can make its databases there too), or {@code null} to start and stop one here
     */
    public SmokeEngine(SmokeConfig config, EngineLog log, SharedEmbeddedPostgres shared) {
        this.config = config;
        this.log = log;
        this.shared = shared;
    }

    public SmokeResult run() throws SmokeException {
        if (config.postgres().embedded()) {
            EmbeddedPostgresServer.requireOnClasspath(SmokeEngine.class.getClassLoader());
        }
        for (SeedData seed : config.seedData()) {
            if (!Files.isRegularFile(seed.file())) {
                throw new SmokeException("Parameter 'seedData': the file " + seed.file() + " for table " + seed.table()
                        + " does not exist. Give a CSV file with a header row naming the columns.");
            }
        }
        Map<String, String> released = Map.of();
        if (config.releasedChecksums() != null) {
            if (Files.isRegularFile(config.releasedChecksums())) {
                try {
                    released = ReleasedChecksums.read(config.releasedChecksums());
                } catch (ChangelogException e) {
                    throw new SmokeException(e.getMessage(), e);
                }
            } else if (!config.writeReleasedChecksums()) {
                throw new SmokeException("Parameter 'releasedChecksums': " + config.releasedChecksums()
                        + " does not exist. Create it at release time with"
                        + " -Dmigration-safety.writeReleasedChecksums=true, or remove the parameter.");
            }
        }
        Map<String, String> releasedChecksums = released;
        // Liquibase keeps history and lock services in JVM-wide singletons that each run resets: smoke runs of
        // parallel module builds (mvn -T) take turns instead of resetting each other's state
        synchronized (SmokeEngine.class) {
            // a server of the run's own when the caller shares none; null (nothing to close) otherwise
            try (SharedEmbeddedPostgres own =
                            shared == null && config.postgres().embedded()
                                    ? new SharedEmbeddedPostgres(
                                            config.workDirectory().resolve(EMBEDDED_LOG),
                                            config.postgres().binaries(),
                                            log)
                                    : null;
                    TrackingResourceAccessor accessor = ChangelogReader.accessor(config.source())) {
                SharedEmbeddedPostgres server = shared != null ? shared : own;
                if (config.postgres().embedded()) {
                    server.startInBackground();
                }
                return LiquibaseSession.run(
                        log,
                        accessor,
                        config.source().classLoader(),
                        () -> new Run(accessor, server).body(releasedChecksums));
            } catch (SmokeException e) {
                throw e;
            } catch (ChangelogException e) {
                throw new SmokeException(e.getMessage(), e);
            } catch (Exception e) {
                throw new SmokeException(
                        "The smoke test could not run: " + LiquibaseMessages.rootMessage(e)
                                + ". Run the build again with -e to see where it stopped; if the changelog is valid, report it"
                                + " with that output.",
                        e);
            }
        }
    }

    /** A changelog schema newer than this Liquibase's, read as its latest ({@link TrackingResourceAccessor}). */
    private static Finding newerSchema(String file, String schema) {
        String version = LiquibaseUtil.getBuildVersion();
        return Finding.warning(
                        "smoke.newer-changelog-schema",
                        file,
                        "the changelog names the schema " + schema + ", newer than the Liquibase " + version
                                + " the smoke runs; its files were checked against Liquibase " + version
                                + "'s latest schema, and a change type or attribute added since fails the parse")
                .withHint("the smoke judges the changelog as Liquibase " + version + " runs it: if the"
                        + " application runs a newer Liquibase, what that version changed is not judged; naming"
                        + " dbchangelog-latest.xsd lets each Liquibase use its own");
    }

    /** One smoke run: what it found so far, in the order the user reads it. */
    private final class Run {

        private final TrackingResourceAccessor accessor;
        private final SharedEmbeddedPostgres server;
        private final List<Finding> findings = new ArrayList<>();
        private final List<Check> checks = new ArrayList<>();
        private final Map<String, Object> summary = new LinkedHashMap<>();

        Run(TrackingResourceAccessor accessor, SharedEmbeddedPostgres server) {
            this.accessor = accessor;
            this.server = server;
        }

        SmokeResult body(Map<String, String> released) throws Exception {
            ChangelogSource source = config.source();
            summary.put("changeLogFile", source.file());
            summary.put("changeLogDirectory", accessor.root().toString());
            long parseStarted = System.nanoTime();
            ChangelogReader.Result parsed = ChangelogReader.read(source, accessor);
            summary.put("fingerprint", parsed.fingerprint().sha256());
            summary.put("dialect", source.dialect());
            summary.put("contexts", config.contexts() == null ? "" : config.contexts());
            summary.put("labels", config.labels() == null ? "" : config.labels());
            summary.put("rollbackMode", config.rollbackMode().label());
            summary.put("changelogFiles", parsed.fingerprint().files());
            if (!parsed.parsed()) {
                findings.add(parsed.parseError());
                return result();
            }
            DatabaseChangeLog changeLog = parsed.changeLog();
            List<ChangeSet> changeSets = changeLog.getChangeSets();
            log.info("Changelog " + source.file() + ": " + changeSets.size() + " changesets in "
                    + parsed.fingerprint().files().size() + " files, fingerprint "
                    + parsed.fingerprint().sha256()
                    + " (" + (System.nanoTime() - parseStarted) / 1_000_000 + " ms)");
            for (String schema : accessor.newerSchemas()) {
                findings.add(applyFailOn(newerSchema(source.file(), schema)));
            }
            Database offline = ChangelogReader.offlineDatabase(source.dialect(), accessor);
            // the lint judges what runs: the changesets these contexts and labels select on each database used below
            ChangesetSelection selection = new ChangesetSelection(
                    config.contexts(),
                    config.labels(),
                    List.of(
                            offline,
                            ChangelogReader.offlineDatabase("h2", accessor),
                            config.postgres().enabled()
                                    ? ChangelogReader.offlineDatabase("postgresql", accessor)
                                    : offline));
            ChangesetLocator locator = new ChangesetLocator(accessor.root());
            Suppressions suppressions =
                    new Suppressions(SuppressionMarker.read(changeLog, locator), config.suppressions());
            long lintStarted = timed("parse", parseStarted);
            List<Finding> lint = new ChangelogLinter(
                            changeLog,
                            offline,
                            released,
                            config.rollbackMode() != RollbackMode.OFF,
                            new ChangesetLocator(accessor.root()),
                            selection)
                    .lint();
            for (Finding finding : lint) {
                Finding applied = suppressions.apply(applyFailOn(finding));
                findings.add(applied);
                if (applied.severity() != Severity.ERROR && !applied.isSuppressed()) {
                    checks.add(new Check(
                            "lint",
                            applied.rule() + " " + applied.subject(),
                            Duration.ZERO,
                            Check.Outcome.SKIPPED,
                            applied.describe()));
                }
            }
            boolean rollbackLintErrors = lint.stream().anyMatch(f -> f.rule().equals(ChangelogLinter.NO_ROLLBACK));
            boolean duplicateIds = lint.stream().anyMatch(f -> f.rule().equals(ChangelogLinter.DUPLICATE_ID));

            long offlineStarted = timed("lint", lintStarted);
            Map<String, String> sql = duplicateIds ? Map.of() : offlineSql(changeLog, offline);
            long productionStarted = timed("offline SQL", offlineStarted);
            Production production = Production.of(config.impact());
            if (!duplicateIds) {
                ProductionFacts.Facts facts = new ProductionFacts(config, accessor, log).read(changeLog, released);
                production = facts.production();
                if (facts.summary() != null) {
                    summary.put("production", facts.summary());
                }
                findings.addAll(facts.findings());
            }
            List<String> databases = new ArrayList<>();
            summary.put("databases", databases);
            DatabaseRun h2 = null;
            DatabaseRun postgres = null;
            if (!duplicateIds) {
                DatabaseRunner runner = new DatabaseRunner(config, accessor, log, production, server);
                long h2Started = timed("production", productionStarted);
                h2 = runner.onH2(!rollbackLintErrors);
                long postgresStarted = timed("H2 (update, rollback test)", h2Started);
                databases.add(h2.product());
                if (config.postgres().enabled()) {
                    postgres = runner.onPostgres();
                    timed("PostgreSQL (waiting for the embedded server, update, trace, rules)", postgresStarted);
                    databases.add(postgres.product());
                }
                List<DatabaseRun> runs = postgres == null ? List.of(h2) : List.of(h2, postgres);
                for (DatabaseRun run : runs) {
                    // impact rules are judged like lint rules: they warn, and failOn decides; an update that fails
                    // on H2 only is a warning
                    for (Finding f : run.findings()) {
                        findings.add(
                                f.rule().startsWith("smoke.impact.")
                                        ? applyFailOn(f)
                                        : SmokeReport.ofRun(f, run, h2, postgres));
                    }
                    checks.addAll(run.checks());
                }
                if (runs.stream().allMatch(DatabaseRun::noChangesetForIt)) {
                    findings.add(DatabaseRunner.nothingForTheDatabases(
                            source.file(), postgres == null ? List.of("h2") : List.of("h2", "postgresql")));
                }
                checks.addAll(SmokeReport.checks(changeSets, h2, postgres));
                if (postgres != null) {
                    checks.addAll(postgres.impactChecks());
                    ProductionFacts.versionMismatch(production, postgres, config)
                            .ifPresent(f -> findings.add(applyFailOn(f)));
                }
                findings.addAll(SmokeReport.failures(changeSets, h2, postgres));
            }
            boolean traced = postgres != null && config.impact().trace();
            if (traced) {
                summary.put("impactJudgedBy", production.boundary());
            }
            findings.replaceAll(suppressions::apply);
            suppressions.unused(traced, production::pending).forEach(f -> findings.add(applyFailOn(f)));
            long summaryStarted = System.nanoTime();
            summary.put(
                    "changesets",
                    SmokeReport.changesetSummary(changeSets, sql, h2, postgres, new ChangesetLocator(accessor.root())));
            if (postgres != null) {
                summary.put("impact", SmokeReport.impactSummary(postgres));
                if (production.live() != null) {
                    productionSizes(production, postgres);
                }
            }
            timed("summary", summaryStarted);
            SmokeResult result = result();
            if (result.passed() && config.writeReleasedChecksums() && config.releasedChecksums() != null) {
                ReleasedChecksums.write(config.releasedChecksums(), changeSets);
                log.info(
                        "Wrote the checksums of " + changeSets.size() + " changesets to " + config.releasedChecksums());
            }
            return result;
        }

        /** The production sizes of the tables the pending changesets touched, read from the statistics. */
        @SuppressWarnings("unchecked")
        private void productionSizes(Production production, DatabaseRun postgres) {
            List<String> touched =
                    postgres.impacts().stream().map(TableImpact::table).toList();
            List<Map<String, Object>> sizes = production.sizesOf(touched, config.impact());
            ((Map<String, Object>) summary.get("production")).put("sizes", sizes);
            for (Map<String, Object> size : sizes) {
                log.info("Production size of " + size.get("table") + ": " + size.get("rows") + " rows ("
                        + size.get("source") + ")");
            }
        }

        /** Logs at debug level how long a step took since {@code startedNanos}; returns now, the next step's start. */
        private long timed(String step, long startedNanos) {
            long now = System.nanoTime();
            log.debug("Smoke step " + step + ": " + (now - startedNanos) / 1_000_000 + " ms");
            return now;
        }

        private SmokeResult result() {
            return new SmokeResult(summary, findings, checks);
        }

        private Map<String, String> offlineSql(DatabaseChangeLog changeLog, Database offline) throws Exception {
            String dialect = config.source().dialect();
            long started = System.nanoTime();
            String header =
                    "-- " + dialect + " update SQL for " + config.source().file()
                            + ", generated offline by migration-safety:smoke with Liquibase's SQL generators"
                            + (config.contexts() == null ? "" : "\n-- contexts: " + config.contexts())
                            + (config.labels() == null ? "" : "\n-- labels: " + config.labels()) + "\n";
            OfflineSql.Script script;
            try {
                script = OfflineSql.generate(
                        changeLog,
                        offline,
                        new Contexts(config.contexts()),
                        new LabelExpression(config.labels()),
                        header);
            } catch (OfflineSql.GenerationException e) {
                findings.add(Finding.error(
                                "smoke.offline-sql",
                                e.changeset,
                                "the " + dialect + " SQL cannot be generated: " + e.getMessage())
                        .withHint("check that the change is supported" + " on " + dialect
                                + ", or set 'dialect' to the database you deploy to"));
                return Map.of();
            }
            if (config.sqlFile().getParent() != null) {
                Files.createDirectories(config.sqlFile().getParent());
            }
            Files.writeString(config.sqlFile(), script.text(), StandardCharsets.UTF_8);
            summary.put("sqlFile", config.sqlFile().toString());
            log.info("Wrote the " + dialect + " SQL to " + config.sqlFile() + " ("
                    + (System.nanoTime() - started) / 1_000_000 + " ms)");
            return script.perChangeset();
        }
    }

    private Finding applyFailOn(Finding finding) {
        Severity threshold = config.failOn();
        boolean fails = finding.severity().ordinal() <= threshold.ordinal();
        Severity severity =
                fails ? Severity.ERROR : finding.severity() == Severity.ERROR ? Severity.WARNING : finding.severity();
        return finding.withSeverity(severity);
    }
}
