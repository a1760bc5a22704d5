package io.github.migrationsafety.smoke;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A throw-away PostgreSQL started for one smoke run ({@code postgres=embedded}) and stopped after it. The build
 * adds the embedded server to the plugin's dependencies; {@link SmokeEngine#requireEmbeddedPostgres} checks that
 * before any work, without loading this class.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedPostgresServer start() throws SmokeException {
        try {
            return new EmbeddedPostgresServer(EmbeddedPostgres.builder().start());
        } catch (IOException | RuntimeException e) {
            throw new SmokeException("Parameter 'postgres': cannot start the embedded PostgreSQL: "
                    + Failures.rootMessage(e) + ". Give the JDBC URL of a throw-away PostgreSQL instead, or set"
                    + " postgres=off.", e);
        }
    }

    Connection connection() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
