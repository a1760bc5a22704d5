package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.changelog.LiquibaseSession;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.impact.ImpactRules;
import io.github.migrationsafety.rehearsal.RehearsalConfig;
import io.github.migrationsafety.rehearsal.RehearsalEngine;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.Postgres15Server;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.RehearsalResults;
import io.github.migrationsafety.testsupport.Version8History;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Large public changelogs, applied by Liquibase's own update and by the smoke, each on a fresh PostgreSQL database
 * with the same contexts: the smoke must pass wherever Liquibase passes, with the same changesets executed and
 * marked ran. Then the rehearsal on a production Liquibase built from two thirds of them must find no drift and no
 * data finding and pass every pending changeset ({@link #rehearse}). Run by {@code ./mvnw -B verify -Preal-changelogs}, which fetches the published changelogs from Maven
 * Central into {@code target/real-changelogs/<name>/}; with {@code -Dreal-changelogs.snapshots=<dir>} also the ones
 * taken from git snapshots in {@code <dir>/<name>/} (scripts/real-changelog-snapshot.sh); not part of the default
 * build. Each run also writes the counts, the wall times and the smoke's lint findings to
 * {@code target/real-changelogs/<name>-lint.txt} (the tables in docs/goals/smoke.md come from them).
 */
@Tag("real-changelog")
class RealChangelogComparison {

    /**
     * One public changelog, declared: where its files come from ({@code commit} is {@code null} for a jar the build
     * fetched from Maven Central, else the commit of a git snapshot), its master file relative to the root the
     * application's classpath has, and the contexts, labels and changelog parameters production runs it with (both
     * sides get the same). {@code standIns} names {@code customChange} classes that are published nowhere: Liquibase
     * loads every such class when it parses the changelog, also for changesets the contexts leave out, so each gets a
     * stand-in that does nothing (see {@link StandIns}).
     */
    record Case(
            String name,
            String commit,
            String master,
            String contexts,
            String labels,
            Map<String, String> parameters,
            List<String> standIns) {

        /** A changelog the build fetched from Maven Central into {@code target/real-changelogs/<name>/}. */
        static Case central(String name, String master, String contexts, Map<String, String> parameters) {
            return new Case(name, null, master, contexts, null, parameters, List.of());
        }

        /**
         * A changelog taken from a git snapshot at {@code commit}, prepared outside the project by
         * {@code scripts/real-changelog-snapshot.sh <name> <git dir> <commit> <dir>} and found in
         * {@code <dir>/<name>/} when the build is given {@code -Dreal-changelogs.snapshots=<dir>}.
         */
        static Case snapshot(
                String name,
                String commit,
                String master,
                String contexts,
                Map<String, String> parameters,
                List<String> standIns) {
            return new Case(name, commit, master, contexts, null, parameters, standIns);
        }

        boolean fromSnapshot() {
            return commit != null;
        }

        /** Where this run writes: the smoke's work directories, the stand-ins, the lint and type-change files. */
        Path work() {
            return Path.of(System.getProperty("migration-safety.realChangelogs", "target/real-changelogs"))
                    .resolve(name);
        }

        /** The fetched jar's files or the snapshot: {@code changelog/} (the root) and, for jars, {@code lib/}. */
        Path directory() {
            return fromSnapshot() ? Path.of(System.getProperty(SNAPSHOTS, "")).resolve(name) : work();
        }

        @Override
        public String toString() {
            return name + " (" + master + (contexts == null ? "" : ", contexts " + contexts) + ")";
        }
    }

    /** The directory of git snapshots ({@code -Dreal-changelogs.snapshots}); snapshot cases skip without it. */
    static final String SNAPSHOTS = "real-changelogs.snapshots";

    /** {@code -Dreal-changelogs.only=fineract,candlepin}: run only these cases. */
    static final String ONLY = "real-changelogs.only";

    static Stream<Case> changelogs() {
        String only = System.getProperty(ONLY, "").trim();
        List<String> names = only.isEmpty() ? List.of() : List.of(only.split("\\s*,\\s*"));
        return Stream.of(
                        // Keycloak's JPA store: ~200 changesets, customChange classes, modifySql dbms="postgresql"
                        Case.central("keycloak", "META-INF/jpa-changelog-master.xml", null, Map.of()),
                        // Concord's server database: ~400 changesets in ~110 files, PL/pgSQL, sqlCheck and
                        // changeLogPropertyDefined preconditions, customChange classes, context="!codegen"
                        Case.central(
                                "concord", "com/walmartlabs/concord/server/db/liquibase.xml", null, CONCORD_PARAMETERS),
                        // Gravitee APIM's JDBC repository: YAML, dbms-specific variants (mysql/mariadb, mssql,
                        // postgresql)
                        Case.central("gravitee", "liquibase/master.yml", null, Map.of()),
                        // Apache Fineract's tenant database, from a git snapshot: 1,521 changesets for postgresql,
                        // properties by context (mysql/postgresql), context expressions on includes. A new tenant
                        // gets two updates (TenantDatabaseUpgradeService): this is the first, with the contexts
                        // Fineract passes (tenant_db, custom_changelog, initial_switch, the tenant's identifier
                        // "default", the database's context); the second drops initial_switch and needs the
                        // first's tables, so a smoke that starts from an empty database cannot run it alone
                        Case.snapshot(
                                "fineract",
                                "4198b0bcf9a94e1c7aa0f386317ba71f40ceb1d9",
                                "db/changelog/db.changelog-master.xml",
                                "tenant_db,custom_changelog,initial_switch,default,postgresql",
                                Map.of(),
                                FINERACT_STAND_INS),
                        // Candlepin's database, from a git snapshot: 886 changesets in 215 files, the same schema
                        // in dbms="postgresql,hsqldb" and dbms="mysql,mariadb" variants, types as properties by
                        // dbms, changeLogPropertyDefined / sqlCheck / foreignKeyConstraintExists preconditions; its
                        // MigrationManager runs changelog-update.xml with no contexts and no parameters
                        Case.snapshot(
                                "candlepin",
                                "48a972fe9e200435f6a4a364c71e94dbc4ac8b7a",
                                "db/changelog/changelog-update.xml",
                                null,
                                Map.of(),
                                List.of(
                                        "org.candlepin.liquibase.FixDuplicatePoolsLiquibaseWrapper",
                                        "org.candlepin.liquibase.PoolTypeUpgradeLiquibaseWrapper",
                                        "org.candlepin.liquibase.PerOrgProductsMigrationLiquibaseWrapper",
                                        "org.candlepin.liquibase.PerOrgProductsMigrationValidationLiquibaseWrapper")),
                        // OpenMRS's schema snapshot, from a git snapshot: 1,036 changesets (createTable, createIndex,
                        // addForeignKeyConstraint in MySQL types), the first of the three updates its
                        // InitializationFilter runs on a new database, with the context OpenMRS passes ("core")
                        Case.snapshot(
                                "openmrs",
                                "4d92b490aaa25fbd255be0d08a04da4772a03e3b",
                                "org/openmrs/liquibase/snapshots/schema-only/liquibase-schema-only-2.9.x.xml",
                                "core",
                                Map.of(),
                                List.of()),
                        // Cromwell's engine database, from a git snapshot: 81 changesets for postgresql, each with
                        // a dbms attribute ("mysql,hsqldb", "postgresql", "mariadb" variants; none for H2, so the
                        // smoke's H2 run has nothing to run), column types as properties by dbms, sqlFile changes,
                        // preconditions, customChange classes (Scala, in Cromwell's jar); its LiquibaseUtils runs
                        // changelog.xml with no contexts and no parameters
                        Case.snapshot(
                                "cromwell",
                                "c805f3c561326aa645411be97b36a98f3baeb618",
                                "changelog.xml",
                                null,
                                Map.of(),
                                CROMWELL_STAND_INS),
                        // GoCD's server database, from a git snapshot: tables, indexes, views and a trigger for H2,
                        // MySQL and PostgreSQL (dbms-specific trigger bodies), properties for MySQL's charsets; its
                        // DatabaseMigrator runs db-migration-scripts/liquibase.xml with no contexts
                        Case.snapshot(
                                "gocd",
                                "f17b6f3fc9fc2ca665a5d389470771358b0ea680",
                                "db-migration-scripts/liquibase.xml",
                                null,
                                Map.of(),
                                List.of()),
                        // Tolgee's database, from a git snapshot: 839 changesets in one file (PostgreSQL only; 29
                        // with dbms="postgresql"), raw SQL with PL/pgSQL, sqlFile changes by classpath: path,
                        // indexExists / sqlCheck preconditions, modifyDataType; its LiquibaseConfiguration runs
                        // db/changelog/schema.xml with no contexts and no parameters
                        Case.snapshot(
                                "tolgee",
                                "dd7f5973a745c2002195ac3275155457cbc54850",
                                "db/changelog/schema.xml",
                                null,
                                Map.of(),
                                List.of()),
                        // Gravitee APIM's JDBC repository at its newest, from a git snapshot (the case gravitee is
                        // 3.6.0 from Maven Central): YAML, dbms variants ("!mysql,...", "postgresql,mssql", and
                        // "postgres", a name no database has), preConditions, table names prefixed by changelog
                        // parameters; its AbstractJdbcRepositoryConfiguration runs liquibase/master.yml with no
                        // contexts and sets gravitee_prefix and gravitee_rate_limit_prefix (system properties) to
                        // management.jdbc.prefix and ratelimit.jdbc.prefix, both empty by default
                        Case.snapshot(
                                "gravitee-apim",
                                "2b94b4c9f09374d5692a3467efc03fb05a352983",
                                "liquibase/master.yml",
                                null,
                                Map.of("gravitee_prefix", "", "gravitee_rate_limit_prefix", ""),
                                List.of()),
                        // FINOS Waltz's database, from a git snapshot: 1,391 changesets in ~90 files, column types
                        // and values as properties by dbms (db.properties.xml), postgresql / mssql / mysql / h2
                        // variants ("!h2", "mssql,postgresql,h2", ...), context="!exclude-ft"; the
                        // liquibase-maven-plugin of its waltz-schema/pom.xml runs db.changelog-master.xml with no
                        // contexts (exclude-ft is for SQL Server without full-text search) and no parameters
                        Case.snapshot(
                                "waltz",
                                "34a63ec20a47679e33433f7ff3b7cf9ab1e26849",
                                "liquibase/db.changelog-master.xml",
                                null,
                                Map.of(),
                                List.of()),
                        // GOBii's genotype database (develop), from a git snapshot: ~320 changesets in formatted SQL
                        // files (-- liquibase formatted sql) included by XML changelogs, PostgreSQL only, PL/pgSQL
                        // with splitStatements:false, runOnChange, contexts per changeset (general, seed_*,
                        // meta_*); its config.sh runs changelogs/db.changelog-master.xml from build/liquibase with
                        // the contexts of its Dockerfile for a crop database, general,seed_general,seed_cornell
                        Case.snapshot(
                                "gobii",
                                "6f8f683c80d7fdb537b45683c640564c09a7e164",
                                "changelogs/db.changelog-master.xml",
                                "general,seed_general,seed_cornell",
                                Map.of(),
                                List.of()))
                .filter(c -> names.isEmpty() || names.contains(c.name()));
    }

    /** Cromwell's customChange classes (Scala, in its database-migration jar, which is not on Maven Central). */
    static final List<String> CROMWELL_STAND_INS = List.of(
            "cromwell.database.migration.custom.PreemptedIsABackendStatus",
            "cromwell.database.migration.failuremetadata.DeduplicateFailureMessageIds",
            "cromwell.database.migration.failuremetadata.ExpandSingleFailureStrings",
            "cromwell.database.migration.metadata.table.ExecutionTableMigration",
            "cromwell.database.migration.metadata.table.FailureEventTableMigration",
            "cromwell.database.migration.metadata.table.executionevent.ExecutionEventTableDescriptionMigration",
            "cromwell.database.migration.metadata.table.executionevent.ExecutionEventTableEndMigration",
            "cromwell.database.migration.metadata.table.executionevent.ExecutionEventTableStartMigration",
            "cromwell.database.migration.metadata.table.symbol.CallOutputSymbolTableMigration",
            "cromwell.database.migration.metadata.table.symbol.InputSymbolTableMigration",
            "cromwell.database.migration.metadata.table.symbol.WorkflowOutputSymbolTableMigration",
            "cromwell.database.migration.metadata.table.workflowexecution.WorkflowExecutionTableMigration",
            "cromwell.database.migration.restart.table.JobStoreSimpletonMigration",
            "cromwell.database.migration.restart.table.RenameWorkflowOptionKeysMigration",
            "cromwell.database.migration.workflowoptions.ClearMetadataEntryWorkflowOptions",
            "cromwell.database.migration.workflowoptions.EncryptWorkflowStoreEntryWorkflowOptions",
            "cromwell.database.migration.workflowoptions.RenameWorkflowOptionsInMetadata");

    /** Fineract's tenant-store password tasks (in fineract-provider, which is not on Maven Central). */
    static final List<String> FINERACT_STAND_INS = List.of(
            "org.apache.fineract.infrastructure.core.service.migration.TenantPasswordEncryptionTask",
            "org.apache.fineract.infrastructure.core.service.migration.TenantReadOnlyPasswordEncryptionTask");

    /**
     * The changelog parameters Concord's server passes to Liquibase ({@code db.changeLogParameters} in the
     * concord-server.conf its distribution ships, applied with {@code setChangeLogParameter} and {@code update(null)}
     * by its DataSourceUtils): the shipped defaults, so the admin and agent API tokens are generated by
     * ApiTokenCreator. The secret store's salt and server password have no default; any base64 value does, these
     * are the example values of Concord's documentation. The UUIDs the changelog uses are its own properties.
     */
    static final Map<String, String> CONCORD_PARAMETERS = Map.of(
            "defaultAdminToken", "",
            "skipAdminTokenGeneration", "false",
            "defaultAgentToken", "",
            "skipAgentTokenGeneration", "false",
            "superuserAvailable", "true",
            "createExtensionAvailable", "true",
            "secretStoreSalt", "SCk4KmBlazMi",
            "serverPassword", "cTFxMXExcTE=");

    @ParameterizedTest(name = "{0}")
    @MethodSource("changelogs")
    void smokePassesWhereLiquibasePassesWithTheSameChangesetsRunAndMarkedRan(Case c) throws Exception {
        Path root = root(c);
        try (URLClassLoader loader = new ClassesOnly(
                classPath(
                        c.directory().resolve("lib"),
                        StandIns.compile(c.standIns(), c.work().resolve("stand-ins"))),
                getClass().getClassLoader())) {
            Object session = keycloakSession(loader);
            try {
                Map<String, List<String>> typeChanges = new TreeMap<>();
                long started = System.nanoTime();
                Map<String, String> liquibase = liquibaseUpdate(c, root, loader, typeChanges);
                Duration liquibaseTime = Duration.ofNanos(System.nanoTime() - started);
                assertTrue(liquibase.size() >= 40, "Liquibase ran " + liquibase.size() + " changesets of " + c);

                started = System.nanoTime();
                SmokeResult result = smoke(c, root, loader, true);
                Duration smokeTime = Duration.ofNanos(System.nanoTime() - started);
                Map<String, String> smoke = smokeOnPostgres(result);
                writeLint(c, result, liquibase, smoke, liquibaseTime, smokeTime);

                List<String> errors = result.findings().stream()
                        .filter(f -> f.severity() == Severity.ERROR)
                        .map(Finding::describe)
                        .toList();
                assertEquals(List.of(), errors, "the smoke fails " + c + " where Liquibase's update passes");
                assertEquals(liquibase, smoke, "changesets EXECUTED / MARK_RAN on PostgreSQL, Liquibase vs smoke");
                for (Finding finding : result.findings()) {
                    if (finding.rule().equals("smoke.h2-only-failure")) {
                        assertEquals(Severity.WARNING, finding.severity());
                    }
                }

                // the trace changes nothing else: without it, the same changesets run and the same findings appear
                SmokeResult untraced = smoke(c, root, loader, false);
                assertEquals(smoke, smokeOnPostgres(untraced), "changesets on PostgreSQL, traced vs not");
                assertEquals(withoutImpact(untraced), withoutImpact(result), "findings other than smoke.impact.*");
                assertEquals(List.of(), untraced.summary().getOrDefault("impact", List.of()));

                // no false rewrite: every rewrite reported is one the trace saw (relfilenode changed), and no type
                // change that PostgreSQL does without a rewrite (varchar to text, varchar widening; Liquibase's own
                // update recorded each column's type before and after) is among them
                Map<String, Object> rewritten = new TreeMap<>();
                for (Object entry : (List<?>) result.summary().get("impact")) {
                    Map<?, ?> impact = (Map<?, ?>) entry;
                    if (Boolean.TRUE.equals(impact.get("rewrite"))) {
                        rewritten.put((String) impact.get("changeset"), impact.get("table"));
                    }
                }
                for (Finding finding : result.findings()) {
                    if (REWRITE_RULES.contains(finding.rule())) {
                        assertTrue(rewritten.containsKey(finding.subject()), finding::describe);
                    }
                }
                List<String> withoutRewrite = typeChanges.entrySet().stream()
                        .filter(e -> !TypeChanges.rewrites(e.getValue()))
                        .map(Map.Entry::getKey)
                        .toList();
                List<String> falseRewrites = result.findings().stream()
                        .filter(f -> REWRITE_RULES.contains(f.rule()))
                        .filter(f -> withoutRewrite.contains(f.subject()))
                        .map(f -> f.describe() + " " + typeChanges.get(f.subject()))
                        .toList();
                assertEquals(List.of(), falseRewrites, "type changes PostgreSQL does without a rewrite");
                writeTypeChanges(c, typeChanges, rewritten);

                rehearse(c, root, loader, result, liquibase.size());
            } finally {
                if (session != null) {
                    keycloakSession(loader, null);
                }
            }
        }
    }

    /**
     * The changelog root of a case. A fetched jar must be there (the profile's build put it there); a snapshot that
     * is not there skips the case with the command that prepares it.
     */
    private static Path root(Case c) throws IOException {
        Path root = c.directory().resolve("changelog");
        if (!c.fromSnapshot()) {
            assertTrue(
                    Files.isRegularFile(root.resolve(c.master())),
                    "run with -Preal-changelogs so the build fetches " + root.resolve(c.master()));
            return root;
        }
        String prepare = "prepare it with scripts/real-changelog-snapshot.sh " + c.name()
                + " <git directory of its repository> " + c.commit() + " <snapshots directory>";
        String snapshots = System.getProperty(SNAPSHOTS, "").trim();
        if (snapshots.isEmpty()) {
            skip(c, "no -D" + SNAPSHOTS + "=<snapshots directory> given; " + prepare);
        }
        if (!Files.isRegularFile(root.resolve(c.master()))) {
            skip(c, "no snapshot at " + root.resolve(c.master()) + "; " + prepare);
        }
        Properties snapshot = new Properties();
        Path description = c.directory().resolve("SNAPSHOT");
        if (Files.isRegularFile(description)) {
            try (Reader reader = Files.newBufferedReader(description, StandardCharsets.UTF_8)) {
                snapshot.load(reader);
            }
        }
        String commit = snapshot.getProperty("commit", "");
        if (!commit.startsWith(c.commit())) {
            skip(
                    c,
                    "the snapshot at " + c.directory() + " is of commit "
                            + (commit.isEmpty() ? "(no SNAPSHOT file)" : commit) + ", the case is of " + c.commit()
                            + "; " + prepare);
        }
        return root;
    }

    /** Skips the case, saying why on the console (the profile does not redirect the test's output) and in the report. */
    private static void skip(Case c, String reason) {
        String message = "skipped " + c + ": " + reason;
        System.out.println("[real-changelogs] " + message);
        assumeTrue(false, message);
    }

    static final List<String> REWRITE_RULES =
            List.of(ImpactRules.TYPE_REWRITE, ImpactRules.VOLATILE_DEFAULT, ImpactRules.REWRITE);

    /**
     * {@code -Dreal-changelogs.postgres}: {@code embedded} (the default) runs the smoke with {@code postgres=embedded},
     * its own embedded server, where the changelog works in the new database's {@code public} schema as under
     * Liquibase's update; {@code server} gives the smoke a fresh database on the test's server as a JDBC URL, where
     * it works in a schema of its own.
     */
    static final String POSTGRES = "real-changelogs.postgres";

    /** The smoke on a fresh PostgreSQL database, with the production-impact trace on or off. */
    private static SmokeResult smoke(Case c, Path root, ClassLoader loader, boolean trace) throws Exception {
        String postgres = System.getProperty(POSTGRES, "embedded");
        PostgresTarget target = switch (postgres) {
            case "embedded" -> new PostgresTarget(true, null);
            case "server" -> new PostgresTarget(false, PostgresServer.freshDatabase(c.name() + "_smoke"));
            default ->
                throw new IllegalArgumentException("-D" + POSTGRES + "=" + postgres + ": use embedded or server");
        };
        Path work = c.work().resolve(trace ? "smoke" : "smoke-untraced");
        SmokeConfig config = new SmokeConfig(
                source(c, root, loader),
                work.resolve("migration.sql"),
                work,
                RollbackMode.OFF,
                target,
                List.of(),
                List.of(),
                null,
                false,
                Severity.ERROR,
                new ImpactSettings(
                        trace,
                        Map.of(),
                        ImpactSettings.DEFAULT_SMALL_SAMPLE,
                        ImpactSettings.DEFAULT_LARGE_SAMPLE,
                        null));
        return new SmokeEngine(config, new CapturingLog()).run();
    }

    private static List<String> withoutImpact(SmokeResult result) {
        return result.findings().stream()
                .filter(f -> !f.rule().startsWith("smoke.impact."))
                .map(f -> f.severity().label() + " " + f.rule() + " " + f.describe())
                .sorted()
                .toList();
    }

    private static void writeTypeChanges(Case c, Map<String, List<String>> typeChanges, Map<String, Object> rewritten)
            throws IOException {
        List<String> lines = new ArrayList<>();
        typeChanges.forEach((changeset, types) ->
                lines.add((rewritten.containsKey(changeset) ? "rewrite " : "no-rewrite ") + changeset + " " + types));
        Files.write(c.work().resolveSibling(c.name() + "-type-changes.txt"), lines, StandardCharsets.UTF_8);
    }

    /**
     * The rehearsal on a production that Liquibase's own update built from the first two thirds of the changesets it
     * ran on the whole changelog, and that nobody touched since: it must find no drift and no production row that
     * breaks a pending changeset, and every pending changeset must pass on production's schema, as each passed in
     * Liquibase's update of the whole changelog, in the same order. Production is on the PostgreSQL 15 test server,
     * which the machine's pg_dump 15 reads.
     */
    private static void rehearse(Case c, Path root, ClassLoader loader, SmokeResult smoke, int ran) throws Exception {
        int applied = ran * 2 / 3;
        ConnectionSettings production = Postgres15Server.freshDatabase(c.name() + "_production");
        liquibaseUpdate(c, root, loader, production, applied, new TreeMap<>());
        RehearsalConfig config = new RehearsalConfig(
                source(c, root, loader),
                production,
                new PostgresTarget(true, null),
                null,
                c.work().resolve("rehearsal"),
                RehearsalConfig.DEFAULT_STATEMENT_TIMEOUT,
                null,
                RehearsalConfig.DEFAULT_SAMPLES);
        long started = System.nanoTime();
        CapturingLog log = new CapturingLog();
        SmokeResult rehearsed = new RehearsalEngine(config, log).run(smoke);
        RehearsalResults.assertHistoryMatches(log);
        Duration time = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("[real-changelogs] rehearsal on a production of " + applied + " of the " + ran
                + " changesets Liquibase ran: " + RehearsalResults.assertUntouchedProduction(rehearsed, ran - applied)
                + " in " + seconds(time));

        // then one column added by hand: the one drift finding, and no other finding than before
        String table = RehearsalResults.addColumnByHand(production, "public");
        SmokeResult drifted = new RehearsalEngine(config, new CapturingLog()).run(smoke);
        System.out.println("[real-changelogs] with a column added by hand to " + table + ": "
                + RehearsalResults.assertOneDrift(drifted, rehearsed, table));

        // then its history as Liquibase before 4.24 wrote it, with version-8 checksums: Liquibase 4.33 checks such a
        // row against the version-8 checksum of today's text, and so must the rehearsal; the same one drift
        int rewritten = toVersion8Checksums(c, root, loader, production);
        CapturingLog version8 = new CapturingLog();
        SmokeResult older = new RehearsalEngine(config, version8).run(smoke);
        RehearsalResults.assertHistoryMatches(version8);
        System.out.println("[real-changelogs] with " + rewritten + " history rows at version-8 checksums: "
                + RehearsalResults.assertOneDrift(older, rehearsed, table));
    }

    private static ChangelogSource source(Case c, Path root, ClassLoader loader) {
        return new ChangelogSource(root, c.master(), c.parameters(), c.contexts(), c.labels(), "postgresql", loader);
    }

    /**
     * Liquibase's own update on a fresh database: DATABASECHANGELOG's FILENAME::ID::AUTHOR → EXECTYPE. Each
     * {@code modifyDataType}'s column type before and after goes into {@code typeChanges}.
     */
    private static Map<String, String> liquibaseUpdate(
            Case c, Path root, ClassLoader loader, Map<String, List<String>> typeChanges) throws Exception {
        return liquibaseUpdate(
                c, root, loader, PostgresServer.freshDatabase(c.name() + "_liquibase"), null, typeChanges);
    }

    /** Liquibase's own update on {@code settings}: of the first {@code count} changesets it runs, or all ({@code null}). */
    private static Map<String, String> liquibaseUpdate(
            Case c,
            Path root,
            ClassLoader loader,
            ConnectionSettings settings,
            Integer count,
            Map<String, List<String>> typeChanges)
            throws Exception {
        try (Connection connection = Databases.open(settings);
                TrackingResourceAccessor accessor = new TrackingResourceAccessor(root)) {
            LiquibaseSession.run(new CapturingLog(), accessor, loader, () -> {
                Database database =
                        DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
                Liquibase liquibase = new Liquibase(c.master(), accessor, database);
                liquibase.setChangeExecListener(new TypeChanges(connection, typeChanges));
                c.parameters().forEach(liquibase::setChangeLogParameter);
                if (count == null) {
                    liquibase.update(new Contexts(c.contexts()), new LabelExpression(c.labels()));
                } else {
                    liquibase.update(count, new Contexts(c.contexts()), new LabelExpression(c.labels()));
                }
                return null;
            });
            Map<String, String> ran = new TreeMap<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows =
                            statement.executeQuery("SELECT filename, id, author, exectype FROM databasechangelog")) {
                while (rows.next()) {
                    ran.put(rows.getString(1) + "::" + rows.getString(2) + "::" + rows.getString(3), rows.getString(4));
                }
            }
            return ran;
        }
    }

    /**
     * Rewrites production's history rows to the version-8 checksums ({@code 8:...}) of their changesets, as Liquibase
     * before 4.24 wrote them; returns how many rows changed.
     */
    private static int toVersion8Checksums(Case c, Path root, ClassLoader loader, ConnectionSettings production)
            throws Exception {
        try (Connection connection = Databases.open(production);
                TrackingResourceAccessor accessor = new TrackingResourceAccessor(root)) {
            return LiquibaseSession.run(new CapturingLog(), accessor, loader, () -> {
                Database database =
                        DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
                Liquibase liquibase = new Liquibase(c.master(), accessor, database);
                c.parameters().forEach(liquibase::setChangeLogParameter);
                // parsed as the update parsed it: properties scoped by context or label take the run's values
                liquibase.getChangeLogParameters().setContexts(new Contexts(c.contexts()));
                liquibase.getChangeLogParameters().setLabels(new LabelExpression(c.labels()));
                return Version8History.rewrite(connection, liquibase.getDatabaseChangeLog());
            });
        }
    }

    /** The smoke's PostgreSQL run, as its report has it: changeset → EXECUTED / MARK_RAN for those that ran. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> smokeOnPostgres(SmokeResult result) {
        Map<String, String> ran = new TreeMap<>();
        for (Map<String, Object> entry :
                (List<Map<String, Object>>) result.summary().get("changesets")) {
            Map<String, Object> postgres = (Map<String, Object>) entry.get("postgresql");
            if (postgres != null && "passed".equals(postgres.get("status"))) {
                ran.put((String) entry.get("changeset"), (String) postgres.get("execType"));
            }
        }
        return ran;
    }

    private static void writeLint(
            Case c,
            SmokeResult result,
            Map<String, String> liquibase,
            Map<String, String> smoke,
            Duration liquibaseTime,
            Duration smokeTime)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# " + c + (c.fromSnapshot() ? " at " + c.commit() : ""));
        lines.add(
                "# changesets in the changelog: " + ((List<?>) result.summary().get("changesets")).size());
        lines.add("# Liquibase update on PostgreSQL: " + counts(liquibase) + " in " + seconds(liquibaseTime));
        lines.add("# smoke on PostgreSQL: " + counts(smoke) + " in " + seconds(smokeTime)
                + " (traced, H2 and PostgreSQL)");
        Map<String, Long> byRule = result.findings().stream()
                .collect(Collectors.groupingBy(Finding::rule, TreeMap::new, Collectors.counting()));
        byRule.forEach((rule, count) -> lines.add("# " + rule + ": " + count));
        result.findings().forEach(f -> lines.add(f.severity().label() + " " + f.rule() + " " + f.describe()));
        Files.createDirectories(c.work());
        Files.write(c.work().resolveSibling(c.name() + "-lint.txt"), lines, StandardCharsets.UTF_8);
        lines.stream().limit(4).forEach(line -> System.out.println("[real-changelogs] " + line.substring(2)));
    }

    /**
     * The jars' classes, without their {@code META-INF/services}: Keycloak registers its own Liquibase lock and
     * history services there, which Liquibase would pick up JVM-wide. The comparison is about the changelog under
     * plain Liquibase, for both sides.
     */
    private static final class ClassesOnly extends URLClassLoader {

        ClassesOnly(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        public Enumeration<URL> findResources(String name) throws IOException {
            return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration() : super.findResources(name);
        }

        @Override
        public URL findResource(String name) {
            return name.startsWith("META-INF/services/") ? null : super.findResource(name);
        }
    }

    private static String counts(Map<String, String> ran) {
        return ran.size() + " ran "
                + new TreeMap<>(
                        ran.values().stream().collect(Collectors.groupingBy(String::valueOf, Collectors.counting())));
    }

    private static String seconds(Duration time) {
        return String.format(Locale.ROOT, "%.1f s", time.toMillis() / 1000.0);
    }

    /** The jars in {@code lib} (when there is one), then the stand-ins' class directory (when there is one). */
    private static URL[] classPath(Path lib, Path standIns) throws IOException {
        List<Path> entries = new ArrayList<>();
        if (Files.isDirectory(lib)) {
            try (Stream<Path> files = Files.list(lib)) {
                files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(entries::add);
            }
        }
        if (standIns != null) {
            entries.add(standIns);
        }
        List<URL> urls = new ArrayList<>();
        for (Path entry : entries) {
            urls.add(entry.toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    /**
     * Keycloak's customChange classes refuse to start without a Keycloak session bound to the thread; on a fresh
     * database they find no realm and generate nothing, so a stand-in that exists is all they need (Keycloak
     * binds its real session the same way before it runs Liquibase). Returns the stand-in, or {@code null} when
     * the changelog is not Keycloak's.
     */
    private static Object keycloakSession(ClassLoader loader) throws Exception {
        Class<?> sessionType;
        try {
            sessionType = Class.forName("org.keycloak.models.KeycloakSession", false, loader);
        } catch (ClassNotFoundException e) {
            return null;
        }
        Object session = Proxy.newProxyInstance(
                loader, new Class<?>[] {sessionType}, (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "stand-in KeycloakSession";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        keycloakSession(loader, session);
        return session;
    }

    private static void keycloakSession(ClassLoader loader, Object session) throws Exception {
        Class<?> context =
                Class.forName("org.keycloak.connections.jpa.updater.liquibase.ThreadLocalSessionContext", true, loader);
        context.getMethod("setCurrentSession", Class.forName("org.keycloak.models.KeycloakSession", false, loader))
                .invoke(null, session);
    }
}
