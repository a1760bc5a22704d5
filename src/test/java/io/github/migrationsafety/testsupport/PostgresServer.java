package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.smoke.ClusterTemplate;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One real PostgreSQL server per test JVM (started on first use, stopped at exit), with password
 * authentication switched on so that wrong-password paths are real, and a fresh database per caller. Its data
 * directory, like every test server's, lies under {@link MemoryTemp#root()}.
 */
public final class PostgresServer {

    public static final String USER = "postgres";
    public static final String PASSWORD = "pg-Test-Secret-7781";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final int SCRAM_ITERATIONS = 1;
    private static EmbeddedPostgres server;

    private PostgresServer() {}

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            server = start(EmbeddedPostgres.builder(), "migration-safety-pg");
        }
        return server;
    }

    /** Starts a server from {@code builder} with password authentication on TCP, stopped when the JVM exits. */
    static EmbeddedPostgres start(EmbeddedPostgres.Builder builder, String directoryPrefix) {
        return start(builder, null, newDataDirectory(directoryPrefix));
    }

    /** {@link #start(EmbeddedPostgres.Builder, String)} for {@code builder}'s binaries from the jar {@code binaries}. */
    static EmbeddedPostgres start(EmbeddedPostgres.Builder builder, Path binaries, String directoryPrefix) {
        return start(builder, binaries, newDataDirectory(directoryPrefix));
    }

    /** A new, empty directory for a server's data, under {@link MemoryTemp#root()}. */
    private static Path newDataDirectory(String directoryPrefix) {
        try {
            return Files.createTempDirectory(MemoryTemp.root(), directoryPrefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link #start(EmbeddedPostgres.Builder, String)} with its data in {@code dataDirectory}, removed at exit, which
     * starts as a copy of initdb's output for these binaries ({@code binaries}, a jar, or {@code null} for the
     * classpath's), as the plugin's embedded servers do ({@link ClusterTemplate}). The server's own output (initdb,
     * the postmaster's log) goes to {@code target/test-postgres/<data directory>.log}, not through the library's
     * logger: in the build's own JVM, where the ITs' hooks start servers, that logger
     * prints to the build's console, where a server's "ERROR: relation ... does not exist" for a statement a test
     * expects to fail reads like a failure of the build.
     */
    private static EmbeddedPostgres start(EmbeddedPostgres.Builder builder, Path binaries, Path dataDirectory) {
        try {
            Path logs = Files.createDirectories(Path.of("target", "test-postgres"));
            ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(
                    logs.resolve(dataDirectory.getFileName() + ".log").toFile());
            // stopped and removed by the hook below alone: zonky's own hook, beside it, would let the removal run
            // while the server still writes its files at shutdown
            builder.setOutputRedirector(log)
                    .setErrorRedirector(log)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false);
            ClusterTemplate.Started fromTemplate = ClusterTemplate.of(binaries, PostgresServer.class.getClassLoader())
                    .start(dataDirectory, builder::setDataDirectory, refused -> {});
            EmbeddedPostgres started = fromTemplate.server();
            Path runsIn = fromTemplate.dataDirectory();
            try (Connection c = started.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("ALTER USER postgres PASSWORD '" + scramSecret(PASSWORD) + "'");
                Files.writeString(
                        runsIn.resolve("pg_hba.conf"),
                        "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
                s.execute("SELECT pg_reload_conf()");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                } finally {
                    ClusterTemplate.deleteQuietly(runsIn);
                }
            }));
            return started;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * A server of the caller's own, set up as {@link #server()} (password authentication, stopped at exit), for a
     * test that prepares it the way one project's init script does (roles, {@code template1}) without touching the
     * server other tests share.
     */
    public static EmbeddedPostgres startOwn(String directoryPrefix) {
        return start(EmbeddedPostgres.builder(), directoryPrefix);
    }

    /**
     * What {@code CREATE ROLE … PASSWORD '…'} and {@code ALTER ROLE … PASSWORD '…'} take in the tests instead of the
     * password itself: its SCRAM-SHA-256 secret in PostgreSQL's stored form, with an iteration count of {@value
     * #SCRAM_ITERATIONS} where the server would store 4096. Logging in is still SCRAM-SHA-256 with this password, and
     * a wrong password is still refused by the server; but the client repeats the key derivation's HMAC once per
     * iteration on every connection, and in the test JVMs (C1 alone, where SHA-256 runs without the CPU's SHA
     * instructions) 4096 of them took two thirds of RehearsalTest's Java CPU (a JFR profile). PostgreSQL 15 has no
     * {@code scram_iterations} setting, so the secret is computed here (RFC 5802, section 3).
     */
    public static String scramSecret(String password) {
        try {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, SCRAM_ITERATIONS, 256))
                    .getEncoded();
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(salted, "HmacSHA256"));
            byte[] clientKey = hmac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] serverKey = hmac.doFinal("Server Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            Base64.Encoder base64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + SCRAM_ITERATIONS + ":" + base64.encodeToString(salt) + "$"
                    + base64.encodeToString(storedKey) + ":" + base64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot compute a SCRAM-SHA-256 secret: " + e.getMessage(), e);
        }
    }

    /** Creates a new, empty database whose name starts with {@code prefix} on {@code server}. */
    public static ConnectionSettings freshDatabase(EmbeddedPostgres server, String prefix) {
        return freshDatabase(server.getPort(), prefix);
    }

    public static int port() {
        return server().getPort();
    }

    public static String url(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** A superuser connection to the {@code postgres} database. */
    public static Connection adminConnection() throws SQLException {
        return adminConnection(port());
    }

    /** A superuser connection to the {@code postgres} database of a server set up as these are, at {@code port}. */
    public static Connection adminConnection(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", USER, PASSWORD);
    }

    /** Creates a new, empty database whose name starts with {@code prefix}. */
    public static ConnectionSettings freshDatabase(String prefix) {
        return freshDatabase(port(), prefix);
    }

    /** Creates a new, empty database on the server at {@code port}; names are unique across servers. */
    public static ConnectionSettings freshDatabase(int port, String prefix) {
        String name = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_" + DATABASES.incrementAndGet();
        try (Connection c = adminConnection(port);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("Cannot create database " + name, e));
        }
        return new ConnectionSettings("jdbc:postgresql://localhost:" + port + "/" + name, USER, PASSWORD);
    }
}
