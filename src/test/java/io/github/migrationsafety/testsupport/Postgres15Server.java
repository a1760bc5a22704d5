package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.db.ConnectionSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

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
            Path jar = Path.of(System.getProperty(BINARIES_PROPERTY, "target/postgres-15-binaries.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("PostgreSQL 15 binaries not found at " + jar.toAbsolutePath()
                        + ". The build copies them there in generate-test-resources: run the tests through Maven,"
                        + " or once ./mvnw -B generate-test-resources.");
            }
            server = PostgresServer.start(
                    EmbeddedPostgres.builder().setPgBinaryResolver(fromJar(jar)), "migration-safety-pg15");
        }
        return server;
    }

    public static int port() {
        return server().getPort();
    }

    /** Creates a new, empty database whose name starts with {@code prefix}. */
    public static ConnectionSettings freshDatabase(String prefix) {
        return PostgresServer.freshDatabase(port(), prefix);
    }

    /** Reads the archive zonky would look up on the classpath ({@code postgres-linux-x86_64.txz}) from {@code jar}. */
    private static PgBinaryResolver fromJar(Path jar) {
        return (system, hardware) -> {
            String name = ("postgres-" + system + "-" + hardware + ".txz").toLowerCase(Locale.ROOT);
            ZipFile zip = new ZipFile(jar.toFile());
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                zip.close();
                throw new IOException(jar + " has no " + name + "; it holds the binaries for another platform.");
            }
            // the zip must stay open while zonky reads the entry
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
}
