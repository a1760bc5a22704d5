package io.github.migrationsafety.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Fixture of the online-apply ITs ({@code src/it/dedupe-online-*}): a PostgreSQL database with duplicates. */
public final class OnlineIt {

    private static final String ROLE = "online_app";
    private static final String PASSWORD = "Online-It-Secret-5521";

    private OnlineIt() {}

    /**
     * Creates the database and table, writes {@code .mvn/maven.config} (url, username) and the rows before the build
     * ({@code target/rows-before.txt}); {@code failOnce}: a trigger fails the delete of row 7 the first time only.
     */
    public static void setUp(File basedir, boolean failOnce) throws SQLException, IOException {
        String database = "online_it_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        try (Connection admin = PostgresServer.adminConnection();
                Statement statement = admin.createStatement()) {
            // both online ITs set up at once when the invoker runs them in parallel: the one whose CREATE ROLE
            // comes second (already there, or waiting for the other's to commit) uses the same role
            statement.execute(
                    "DO $$ BEGIN CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PostgresServer.scramSecret(PASSWORD)
                            + "'; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
            statement.execute("CREATE DATABASE " + database + " OWNER " + ROLE);
        }
        String url = PostgresServer.url(database);
        try (Connection connection = connect(url);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE model_metadata(id bigint PRIMARY KEY, name text NOT NULL, version text"
                    + " NOT NULL, payload text)");
            statement.execute("INSERT INTO model_metadata VALUES (1, 'churn', '1.0', 'a'), (2, 'churn', '1.0', NULL),"
                    + " (3, 'fraud', '2', ''), (4, 'churn', '1.0', 'x'), (5, 'fraud', '2', 'ü'), (6, 'rank', '1', 'r'),"
                    + " (7, 'rank', '1', 'r2'), (8, 'ltv', '3', NULL), (9, 'ltv', '3', 'dup'), (10, 'ltv', '3', 'dup2'),"
                    + " (11, 'solo', '1', 's')");
            if (failOnce) {
                statement.execute("CREATE SEQUENCE it_fail_once");
                statement.execute("CREATE FUNCTION it_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF nextval('it_fail_once') = 1 THEN RAISE EXCEPTION 'simulated failure of the delete of row"
                        + " 7'; END IF; RETURN OLD; END $$");
                statement.execute("CREATE TRIGGER it_fail_once BEFORE DELETE ON model_metadata FOR EACH ROW WHEN"
                        + " (OLD.id = 7) EXECUTE FUNCTION it_fail_once()");
            }
        }
        new File(basedir, ".mvn").mkdirs();
        Files.writeString(
                new File(basedir, ".mvn/maven.config").toPath(),
                "-Dmigration-safety.url=" + url + "\n-Dmigration-safety.username=" + ROLE + "\n");
        new File(basedir, "target").mkdirs();
        Files.writeString(new File(basedir, "target/postgres-url.txt").toPath(), url);
        Files.writeString(new File(basedir, "target/rows-before.txt").toPath(), rows(basedir));
    }

    /** Every row of the table, ordered by id, one line each. */
    public static String rows(File basedir) throws SQLException, IOException {
        String url = Files.readString(new File(basedir, "target/postgres-url.txt").toPath());
        List<String> rows = new ArrayList<>();
        try (Connection connection = connect(url);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT t::text FROM model_metadata t ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return String.join("\n", rows);
    }

    private static Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", ROLE);
        properties.setProperty("password", PASSWORD);
        return DriverManager.getConnection(url, properties);
    }
}
