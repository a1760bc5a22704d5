package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.db.ConnectionSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (started on first use, stopped at exit), with password
 * authentication switched on so that wrong-password paths are real, and a fresh database per caller.
 */
public final class PostgresServer {

    public static final String USER = "postgres";
    public static final String PASSWORD = "pg-Test-Secret-7781";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private PostgresServer() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                Path dataDirectory = Files.createTempDirectory("migration-safety-pg");
                server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(true).start();
                try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("ALTER USER postgres PASSWORD '" + PASSWORD + "'");
                    Files.writeString(dataDirectory.resolve("pg_hba.conf"),
                            "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
                    s.execute("SELECT pg_reload_conf()");
                }
                EmbeddedPostgres started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting; the data directory is removed by close() when it can be
                    }
                }));
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("Cannot start embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
        return server;
    }

    public static int port() {
        return server().getPort();
    }

    public static String url(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** A superuser connection to the {@code postgres} database. */
    public static Connection adminConnection() throws SQLException {
        return java.sql.DriverManager.getConnection(url("postgres"), USER, PASSWORD);
    }

    /** Creates a new, empty database whose name starts with {@code prefix}. */
    public static ConnectionSettings freshDatabase(String prefix) {
        String name = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_" + DATABASES.incrementAndGet();
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("Cannot create database " + name, e));
        }
        return new ConnectionSettings(url(name), USER, PASSWORD);
    }
}
