package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.db.ConnectionSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An embedded PostgreSQL of its own that a drill may crash: {@link #crash()} is {@code pg_ctl restart -m immediate}
 * (every backend killed without a checkpoint, then crash recovery from the WAL on start), with the pg_ctl that sits
 * next to the running server's binary. It runs with {@code synchronous_commit=on}, as a production server does
 * (the shared test server runs with zonky's {@code off}).
 */
public final class CrashablePostgres {

    private static CrashablePostgres instance;

    private final EmbeddedPostgres server;
    private final Path dataDirectory;
    private final Path pgCtl;
    private final Path log;

    private CrashablePostgres(EmbeddedPostgres server, Path dataDirectory) throws IOException {
        this.server = server;
        this.dataDirectory = dataDirectory;
        String pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                .get(0)
                .strip();
        Path postgres = Path.of("/proc", pid, "exe").toRealPath();
        this.pgCtl = postgres.resolveSibling("pg_ctl");
        this.log = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
        log.toFile().deleteOnExit(); // beside the data directory, which the server's close removes
    }

    public static synchronized CrashablePostgres get() {
        if (instance == null) {
            EmbeddedPostgres server = PostgresServer.start(
                    EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on"),
                    null,
                    "migration-safety-crash-pg");
            // where the server runs: the directory made for it, or a new one when the cluster template was refused
            try (Connection connection = PostgresServer.adminConnection(server.getPort());
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SHOW data_directory")) {
                rs.next();
                instance = new CrashablePostgres(server, Path.of(rs.getString(1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public int port() {
        return server.getPort();
    }

    public ConnectionSettings freshDatabase(String prefix) {
        return PostgresServer.freshDatabase(port(), prefix);
    }

    /** Immediate shutdown (no checkpoint: like a power cut for the database), then start with crash recovery. */
    public void crash() {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root; zonky starts it the same way, in a user namespace of its own
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(
                pgCtl.toString(), "restart", "-m", "immediate", "-w", "-t", "60", "-D", dataDirectory.toString()));
        command.addAll(List.of("-l", log.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process process = builder.start();
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("pg_ctl restart -m immediate failed; see " + log + ":\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
