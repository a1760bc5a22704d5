package io.github.migrationsafety.flyway;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.smoke.EmbeddedPostgresServer;
import io.github.migrationsafety.smoke.Expectation;
import io.github.migrationsafety.smoke.SchemaSnapshot;
import io.github.migrationsafety.smoke.SharedEmbeddedPostgres;
import io.github.migrationsafety.smoke.SmokeException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Flyway's own migrate on a fresh database each time, H2 (PostgreSQL mode) or PostgreSQL (embedded or a database
 * created on a throw-away server and dropped after), and the expectations checked on the schema it leaves.
 */
final class FlywayDatabases {

    private final FlywaySmokeConfig config;
    private final FlywayImpact impact;
    private final FlywaySmokeReport report;
    private final EngineLog log;
    private final SharedEmbeddedPostgres shared;

    FlywayDatabases(FlywaySmokeConfig config, FlywayImpact impact, FlywaySmokeReport report, EngineLog log) {
        this(config, impact, report, log, null);
    }

    /** @param shared with postgres=embedded, the server to use, which the caller stops; {@code null}: one of its own */
    FlywayDatabases(
            FlywaySmokeConfig config,
            FlywayImpact impact,
            FlywaySmokeReport report,
            EngineLog log,
            SharedEmbeddedPostgres shared) {
        this.shared = shared;
        this.config = config;
        this.impact = impact;
        this.report = report;
        this.log = log;
    }

    DatabaseResult onH2() throws SQLException, SmokeException {
        String url = "jdbc:h2:mem:migration-safety-flyway-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;NON_KEYWORDS=VALUE,KEY";
        // the smoke's own connection keeps the in-memory database alive between Flyway's connections
        try (Connection connection = open(new ConnectionSettings(url, "sa", ""))) {
            return apply("H2", "h2", connection, url, "sa", "");
        }
    }

    DatabaseResult onPostgres() throws SQLException, SmokeException, IOException {
        if (config.postgres().embedded() && shared != null) {
            EmbeddedPostgresServer server = shared.server();
            try (Connection connection = server.connection()) {
                return apply("PostgreSQL", "postgresql", connection, server.jdbcUrl(), "postgres", "");
            }
        }
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
                // a throw-away database: its commits need not wait for the disk (as the embedded server runs);
                // locks, rewrites and scans are the same
                statement.execute("ALTER DATABASE " + name + " SET synchronous_commit = off");
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
        FlywaySeeds seeds = new FlywaySeeds(config.seedData());
        MigrationRunner.Result result =
                MigrationRunner.migrate(config.source(), url, user, password, log, monitor, group.equals("h2"), seeds);
        if (monitor != null) {
            impact.record(result, impact.estimate(result, connection, monitor));
        }
        boolean failed =
                result.failure() != null || result.outcomes().values().stream().anyMatch(o -> !o.passed());
        log.info(name + ": " + result.outcomes().size() + " migrations applied by Flyway in "
                + (System.nanoTime() - started) / 1_000_000 + " ms" + (failed ? " (stopped at a failure)" : ""));
        if (!failed) {
            seeds.notLoaded(name).forEach(report::add);
        }
        if (!failed && !config.expectations().isEmpty()) {
            expectations(name, connection);
        }
        return new DatabaseResult(name, group, product, result.outcomes(), result.failure());
    }

    /** One check per expectation on the schema the migrate left, and a finding per one missing. */
    private void expectations(String name, Connection connection) throws SQLException {
        SchemaSnapshot migrated = SchemaSnapshot.of(connection);
        String expectations = "expectations." + name.toLowerCase(Locale.ROOT);
        for (Expectation expectation : config.expectations()) {
            if (expectation.heldBy(migrated)) {
                report.check(Check.passed(expectations, expectation.text(), Duration.ZERO));
            } else {
                report.check(Check.failed(
                        expectations, expectation.text(), Duration.ZERO, "not found in the schema after the migrate"));
                report.add(Finding.error(
                                "smoke.expectation-missing",
                                expectation.text(),
                                "not found in the " + name + " schema after the migrate")
                        .withHint("add the migration that creates it, or fix the expectation"));
            }
        }
    }
}
