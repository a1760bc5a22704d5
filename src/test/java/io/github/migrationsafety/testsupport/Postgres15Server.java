package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.smoke.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A second embedded PostgreSQL, major version 15, for the tests that run the machine's {@code pg_dump}: Debian 12
 * ships pg_dump 15, and pg_dump refuses servers newer than itself, such as the version-17 {@link PostgresServer}.
 * Same password authentication as {@link PostgresServer}; started on first use, stopped at exit.
 *
 * <p>The binaries come from the jar that maven-dependency-plugin copies into {@code target/} (see the pom), not
 * from the classpath, where they would shadow or be shadowed by the version-17 binaries: both jars hold the same
 * resource name.
 */
public final class Postgres15Server {

    /** Path of the copied binaries jar; set by Surefire, defaults to where the build copies it. */
    public static final String BINARIES_PROPERTY = "migration-safety.postgres15Binaries";

    private static EmbeddedPostgres server;

    private Postgres15Server() {}

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            server = startOwn("migration-safety-pg15");
        }
        return server;
    }

    /** A version-15 server of the caller's own, set up as {@link #server()}, for a test that prepares it its way. */
    public static EmbeddedPostgres startOwn(String directoryPrefix) {
        return startOwn(directoryPrefix, Map.of());
    }

    /** {@link #startOwn(String)} with these server settings ({@code postgresql.conf} parameters). */
    public static EmbeddedPostgres startOwn(String directoryPrefix, Map<String, String> settings) {
        Path jar = Path.of(System.getProperty(BINARIES_PROPERTY, "target/postgres-15-binaries.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("PostgreSQL 15 binaries not found at " + jar.toAbsolutePath()
                    + ". The build copies them there in generate-test-resources: run the tests through Maven,"
                    + " or once ./mvnw -B generate-test-resources.");
        }
        EmbeddedPostgres.Builder builder =
                EmbeddedPostgres.builder().setPgBinaryResolver(EmbeddedPostgresServer.fromJar(jar));
        settings.forEach(builder::setServerConfig);
        return PostgresServer.start(builder, jar, directoryPrefix);
    }

    public static int port() {
        return server().getPort();
    }

    /** Creates a new, empty database whose name starts with {@code prefix}. */
    public static ConnectionSettings freshDatabase(String prefix) {
        return PostgresServer.freshDatabase(port(), prefix);
    }
}
