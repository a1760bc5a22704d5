package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.db.ConnectionSettings;
import java.io.File;
import java.util.List;

/** Fixtures for the invoker ITs (called from setup.groovy / verify.groovy through the test class path). */
public final class ItFixture {

    private ItFixture() {
    }

    /** The H2 file database every dedupe/restore/backup IT uses: {@code target/db/app} under the IT's basedir. */
    public static ConnectionSettings database(File basedir) {
        new File(basedir, "target/db").mkdirs();
        return new ConnectionSettings("jdbc:h2:file:" + new File(basedir, "target/db/app").getAbsolutePath()
                + ";MODE=PostgreSQL", "sa", "");
    }

    /** {@code model_metadata} with two duplicate groups: (churn, 1.0) ×3 and (fraud, 2.0) ×2. */
    public static void models(File basedir) {
        Sql.run(database(basedir), "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20),"
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
        Sql.run(database(basedir), "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20),"
                + " created_at TIMESTAMP WITH TIME ZONE, payload VARCHAR(100))");
    }

    public static void run(File basedir, String... sql) {
        Sql.run(database(basedir), sql);
    }

    /** Runs dedupe apply on the fixture table like the goal would; returns the backup directory. */
    public static java.nio.file.Path applyDedupe(File basedir) throws Exception {
        try (java.sql.Connection connection = io.github.migrationsafety.db.Databases.open(database(basedir))) {
            return new io.github.migrationsafety.dedupe.DedupeEngine(connection, new CapturingLog()).run(
                    io.github.migrationsafety.dedupe.DedupeConfig.defaults("model_metadata", List.of("name", "version"),
                            new File(basedir, "target/setup-report.csv").toPath(),
                            new File(basedir, "target/migration-safety/backups").toPath()).withApply(true)).backup();
        }
    }

    /** Every row of {@code model_metadata} in id order, for before/after comparisons. */
    public static List<String> rows(File basedir) {
        return Snapshot.of(database(basedir), "SELECT * FROM model_metadata ORDER BY id");
    }
}
