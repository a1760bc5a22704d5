package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.backup.HashingFile;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.dedupe.DedupeConfig;
import io.github.migrationsafety.dedupe.DedupeEngine;
import io.github.migrationsafety.report.Json;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.flywaydb.core.Flyway;
import org.postgresql.Driver;

/** Fixtures for the invoker ITs (called from setup.groovy / verify.groovy through the test class path). */
public final class ItFixture {

    private ItFixture() {}

    /** The H2 file database every dedupe/restore/backup IT uses: {@code target/db/app} under the IT's basedir. */
    public static ConnectionSettings database(File basedir) {
        new File(basedir, "target/db").mkdirs();
        return new ConnectionSettings(
                "jdbc:h2:file:" + new File(basedir, "target/db/app").getAbsolutePath() + ";MODE=PostgreSQL", "sa", "");
    }

    /** {@code model_metadata} with two duplicate groups: (churn, 1.0) ×3 and (fraud, 2.0) ×2. */
    public static void models(File basedir) {
        Sql.run(
                database(basedir),
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20),"
                        + " created_at TIMESTAMP WITH TIME ZONE, payload VARCHAR(100))",
                "INSERT INTO model_metadata VALUES"
                        + " (1, 'churn', '1.0', TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00', 'a'),"
                        + " (2, 'churn', '1.0', TIMESTAMP WITH TIME ZONE '2025-02-01 00:00:00+00', ''),"
                        + " (3, 'churn', '1.0', NULL, NULL),"
                        + " (4, 'fraud', '2.0', NULL, 'x'),"
                        + " (5, 'fraud', '2.0', NULL, 'y'),"
                        + " (6, 'rank', '1.0', NULL, 'z')");
    }

    /** An empty {@code model_metadata}. */
    public static void emptyModels(File basedir) {
        Sql.run(
                database(basedir),
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20),"
                        + " created_at TIMESTAMP WITH TIME ZONE, payload VARCHAR(100))");
    }

    public static void run(File basedir, String... sql) {
        Sql.run(database(basedir), sql);
    }

    /** Runs dedupe apply on the fixture table like the goal would; returns the backup directory. */
    public static Path applyDedupe(File basedir) throws Exception {
        try (Connection connection = Databases.open(database(basedir))) {
            return new DedupeEngine(connection, new CapturingLog())
                    .run(DedupeConfig.defaults(
                                    "model_metadata",
                                    List.of("name", "version"),
                                    new File(basedir, "target/setup-report.csv").toPath(),
                                    new File(basedir, "target/migration-safety/backups").toPath())
                            .withApply(true))
                    .backup();
        }
    }

    /** Every row of {@code model_metadata} in id order, for before/after comparisons. */
    public static List<String> rows(File basedir) {
        return Snapshot.of(database(basedir), "SELECT * FROM model_metadata ORDER BY id");
    }

    /**
     * SHA-256 of every input file of an IT: everything under basedir except the build's own output
     * ({@code build.log}, {@code target/}), but including backups under {@code target/migration-safety/backups}
     * because restore ITs read them. One "relative-path sha256" line per file, sorted.
     */
    public static List<String> fileSums(File basedir) {
        Path root = basedir.toPath();
        Path target = root.resolve("target");
        Path backups = target.resolve("migration-safety/backups");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(f ->
                            !f.equals(root.resolve("build.log")) && (!f.startsWith(target) || f.startsWith(backups)))
                    .map(f -> root.relativize(f) + " " + sha256(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records {@link #fileSums} in {@code target/files-before.txt}; call it last in setup.groovy. */
    public static void recordFiles(File basedir) {
        try {
            Files.createDirectories(basedir.toPath().resolve("target"));
            Files.write(basedir.toPath().resolve("target/files-before.txt"), fileSums(basedir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files that differ from {@code target/files-before.txt} (empty when nothing changed), for verify.groovy. */
    public static List<String> changedFiles(File basedir) {
        try {
            List<String> before = Files.readAllLines(basedir.toPath().resolve("target/files-before.txt"));
            List<String> after = fileSums(basedir);
            List<String> changed = new ArrayList<>();
            before.stream().filter(line -> !after.contains(line)).forEach(line -> changed.add("- " + line));
            after.stream().filter(line -> !before.contains(line)).forEach(line -> changed.add("+ " + line));
            return changed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The master changelog the gate ITs use, relative to {@code src/main/resources}. */
    public static final String GATE_CHANGELOG = "db/changelog/db.changelog-master.yaml";

    /**
     * The changelog fingerprint computed independently of the plugin, so the gate ITs check the plugin against the
     * documented rule rather than against itself: SHA-256 over, per changelog file in path order, the relative path,
     * a zero byte and the SHA-256 of its bytes (the gate ITs have one changelog file).
     */
    public static String changelogFingerprint(File basedir) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(GATE_CHANGELOG.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(basedir.toPath().resolve("src/main/resources/" + GATE_CHANGELOG))));
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code target/migration-safety/smoke-report.json} as the smoke goal would, for the gate ITs. */
    public static void writeSmokeReport(
            File basedir, String status, String project, Instant startedAt, String fingerprint) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("project", project);
        summary.put("changeLogFile", GATE_CHANGELOG);
        summary.put("fingerprint", fingerprint);
        summary.put("dialect", "postgresql");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("goal", "smoke");
        report.put("status", status);
        report.put("startedAt", startedAt.toString());
        report.put("durationMillis", 1000);
        report.put("summary", summary);
        report.put("findings", List.of());
        report.put("checks", List.of());
        try {
            Path dir = basedir.toPath().resolve("target/migration-safety");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("smoke-report.json"), Json.pretty(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) {
        try {
            return HashingFile.sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A "production" database for the rehearsal ITs, on PostgreSQL 15 ({@link Postgres15Server}: the version the
     * machine's pg_dump reads), owned by the role {@code rehearsal_prod} (its password is the IT's
     * invoker.properties one): Liquibase's own update runs the first changeset of the IT's changelog there, then
     * {@code sql} runs (the rows, and whatever was changed by hand). The URL and the user (no secret in either) reach
     * the build through .mvn/maven.config; production's state before the build and the IT's files are recorded.
     */
    public static void rehearsalProduction(File basedir, String password, String... sql) throws Exception {
        String url = productionDatabase("rehearsal_prod", password);
        System.setProperty("liquibase.analytics.enabled", "false");
        Properties owner = new Properties();
        owner.setProperty("user", "rehearsal_prod");
        owner.setProperty("password", password);
        try (Connection connection = new Driver().connect(url, owner)) {
            Database liquibaseDatabase =
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (DirectoryResourceAccessor accessor =
                    new DirectoryResourceAccessor(new File(basedir, "src/main/resources"))) {
                new Liquibase("db/changelog/db.changelog-master.yaml", accessor, liquibaseDatabase)
                        .update(1, new Contexts(), new LabelExpression());
            }
            connection.setAutoCommit(true);
            run(connection, sql);
        }
        productionRecorded(basedir, url, "rehearsal_prod", postgresState(url, "rehearsal_prod", password));
    }

    /**
     * The same for a Flyway rehearsal IT, owned by the role {@code flyway_rehearsal_prod} (a role of its own: a role
     * keeps the password it was created with, and the ITs share the server): Flyway's own migrate applies the IT's
     * {@code src/main/resources/db/migration} up to version {@code target}, then {@code sql} runs; the state recorded
     * holds flyway_schema_history's rows.
     */
    public static void flywayRehearsalProduction(File basedir, String password, String target, String... sql)
            throws Exception {
        String role = "flyway_rehearsal_prod";
        String url = productionDatabase(role, password);
        Flyway.configure()
                .dataSource(url, role, password)
                .locations("filesystem:" + new File(basedir, "src/main/resources/db/migration"))
                .target(target)
                .load()
                .migrate();
        Properties owner = new Properties();
        owner.setProperty("user", role);
        owner.setProperty("password", password);
        try (Connection connection = new Driver().connect(url, owner)) {
            run(connection, sql);
        }
        productionRecorded(basedir, url, role, flywayPostgresState(url, role, password));
    }

    /** A new database on PostgreSQL 15 owned by {@code role} (created with {@code password}); its URL. */
    private static String productionDatabase(String role, String password) throws SQLException {
        String database = role + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        Properties superuser = new Properties();
        superuser.setProperty("user", PostgresServer.USER);
        superuser.setProperty("password", PostgresServer.PASSWORD);
        String admin = "jdbc:postgresql://localhost:" + Postgres15Server.port() + "/postgres";
        try (Connection connection = new Driver().connect(admin, superuser);
                Statement statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN"
                    + " CREATE ROLE " + role + " LOGIN PASSWORD '" + PostgresServer.scramSecret(password)
                    + "'; END IF; END $$");
            statement.execute("CREATE DATABASE " + database + " OWNER " + role);
        }
        return "jdbc:postgresql://localhost:" + Postgres15Server.port() + "/" + database;
    }

    private static void run(Connection connection, String... sql) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /** The URL and the user to .mvn/maven.config, production's state before the build and the IT's files recorded. */
    private static void productionRecorded(File basedir, String url, String role, String state) throws IOException {
        Path mvn = basedir.toPath().resolve(".mvn");
        Files.createDirectories(mvn);
        Files.writeString(
                mvn.resolve("maven.config"),
                "-Dmigration-safety.url=" + url + "\n-Dmigration-safety.username=" + role + "\n");
        Path target = basedir.toPath().resolve("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("production-url.txt"), url);
        Files.writeString(target.resolve("production-before.txt"), state);
        recordFiles(basedir);
    }

    /**
     * A PostgreSQL database's public schema as text, to compare before and after a build: tables, columns, indexes,
     * constraints, Liquibase's history rows, and a digest of model_metadata's rows.
     */
    public static String postgresState(String url, String user, String password) throws SQLException {
        return postgresState(
                url,
                user,
                password,
                "SELECT id || ' ' || md5sum || ' ' || orderexecuted || ' ' || dateexecuted FROM databasechangelog"
                        + " ORDER BY orderexecuted",
                "SELECT md5(string_agg(t::text, ';' ORDER BY t.id)) FROM model_metadata t");
    }

    /** The same with flyway_schema_history's rows and a digest of every public table's rows. */
    public static String flywayPostgresState(String url, String user, String password) throws SQLException {
        return postgresState(
                url,
                user,
                password,
                "SELECT installed_rank || ' ' || coalesce(version, 'R') || ' ' || checksum || ' ' || success || ' '"
                        + " || installed_on FROM flyway_schema_history ORDER BY installed_rank",
                "SELECT md5(string_agg(t::text, ';' ORDER BY t.id)) FROM model_metadata t",
                "SELECT md5(string_agg(t::text, ';' ORDER BY t.id)) FROM owner t");
    }

    private static String postgresState(String url, String user, String password, String... more) throws SQLException {
        List<String> queries = new ArrayList<>(List.of(
                "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable"
                        + " FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1",
                "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
                "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE connamespace = 'public'::regnamespace ORDER BY 1"));
        queries.addAll(List.of(more));
        List<String> lines = new ArrayList<>();
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        // the driver itself, not DriverManager: a Groovy script's class loader does not see registered drivers
        try (Connection connection = new Driver().connect(url, login);
                Statement statement = connection.createStatement()) {
            for (String query : queries) {
                try (ResultSet rs = statement.executeQuery(query)) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            }
        }
        return String.join("\n", lines);
    }
}
