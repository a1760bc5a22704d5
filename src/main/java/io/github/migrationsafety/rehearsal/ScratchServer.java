package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.smoke.EmbeddedPostgresServer;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.SharedEmbeddedPostgres;
import io.github.migrationsafety.smoke.SmokeException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The smoke's PostgreSQL, where the rehearsal makes its throw-away databases, dropped at the end: fresh databases on
 * the smoke's embedded server (shared with the smoke, or started for the rehearsal when none is shared), or on the
 * configured server.
 */
final class ScratchServer implements AutoCloseable {

    private final EmbeddedPostgresServer embedded;
    private final ConnectionSettings admin;
    // made from more than one thread: the copy's database is created while pg_dump runs
    private final List<String> created = new CopyOnWriteArrayList<>();
    private final List<String> createdRoles = new ArrayList<>();

    /** @param embedded a server started for the rehearsal alone, stopped on close; else {@code null} */
    private ScratchServer(EmbeddedPostgresServer embedded, ConnectionSettings admin) {
        this.embedded = embedded;
        this.admin = admin;
    }

    /** @param shared the smoke's embedded server, or {@code null} to start one for postgres=embedded */
    static ScratchServer of(PostgresTarget target, Path workDirectory, EngineLog log, SharedEmbeddedPostgres shared)
            throws RehearsalException {
        if (target.embedded()) {
            try {
                if (shared != null) {
                    return new ScratchServer(null, superuser(shared.server()));
                }
                EmbeddedPostgresServer server = EmbeddedPostgresServer.start(
                        workDirectory.resolve("rehearsal-postgres.log"), target.binaries(), log);
                return new ScratchServer(server, superuser(server));
            } catch (SmokeException e) {
                throw new RehearsalException(e.getMessage(), e);
            }
        }
        if (target.connection() == null) {
            throw new RehearsalException(
                    "Parameter 'rehearsal': the rehearsal runs what production has pending on a copy of"
                            + " production's schema in the smoke's PostgreSQL, and 'postgres' is off. Set 'postgres' to"
                            + " embedded or to the JDBC URL of a throw-away server, or set -Dmigration-safety.rehearsal=false.");
        }
        return new ScratchServer(null, target.connection());
    }

    private static ConnectionSettings superuser(EmbeddedPostgresServer server) {
        return new ConnectionSettings(server.url("postgres"), "postgres", null);
    }

    /** A new, empty database; {@code purpose} becomes part of its name. */
    ConnectionSettings freshDatabase(String purpose) throws RehearsalException {
        String name = "migration_safety_" + purpose + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection connection = Databases.open(admin);
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("CREATE DATABASE " + name);
            created.add(name);
            return admin.onPostgresDatabase(name);
        } catch (DatabaseException | SQLException e) {
            throw new RehearsalException("Parameter 'postgres': the rehearsal cannot create a database on "
                    + admin.safeUrl() + ": " + Databases.scrub(admin, String.valueOf(e.getMessage()))
                    + ". Grant the user CREATEDB on that throw-away server, or use 'embedded'.");
        } catch (IllegalArgumentException e) {
            throw new RehearsalException("Parameter 'postgres': " + admin.safeUrl() + " is not a PostgreSQL JDBC URL.");
        }
    }

    /** The first column of every row {@code query} returns: the names a catalog of the server or a copy has. */
    static Set<String> names(Statement statement, String query) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet rs = statement.executeQuery(query)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /**
     * Makes the roles of {@code names} this server lacks, {@code NOLOGIN} and without a password: pg_dump's script
     * names production's roles in row-level security policies ({@code CREATE POLICY … TO tenant_user}) and pending
     * changes may grant to them, but a role belongs to the server, and pg_dump copies none. They are dropped again
     * when the server closes. Returns the ones that could not be made, each with PostgreSQL's reason.
     */
    List<String> roles(List<String> names) throws RehearsalException {
        List<String> failed = new ArrayList<>();
        try (Connection connection = Databases.open(admin);
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            Set<String> existing = names(statement, "SELECT rolname FROM pg_roles");
            for (String name : names) {
                if (existing.contains(name)) {
                    continue;
                }
                try {
                    statement.execute("CREATE ROLE " + ProductionSession.quote(name) + " NOLOGIN");
                    createdRoles.add(name);
                } catch (SQLException e) {
                    failed.add("role " + name + ": " + Databases.scrub(admin, String.valueOf(e.getMessage())));
                }
            }
        } catch (DatabaseException | SQLException e) {
            throw new RehearsalException("Parameter 'postgres': the rehearsal cannot read the roles of "
                    + admin.safeUrl() + ": " + Databases.scrub(admin, String.valueOf(e.getMessage())) + ".");
        }
        return failed;
    }

    /** A connection to one of its databases; the message names the parameter that chose the server. */
    static Connection open(ConnectionSettings settings) throws RehearsalException {
        try {
            return Databases.open(settings);
        } catch (DatabaseException e) {
            throw new RehearsalException("Parameter 'postgres': " + e.getMessage());
        }
    }

    @Override
    public void close() throws RehearsalException {
        try {
            if (embedded != null) {
                embedded.close();
                return;
            }
            try (Connection connection = Databases.open(admin);
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                for (String name : created) {
                    statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                }
                for (String role : createdRoles) {
                    statement.execute("DROP ROLE IF EXISTS " + ProductionSession.quote(role));
                }
            }
        } catch (IOException | DatabaseException | SQLException e) {
            throw new RehearsalException("The rehearsal could not drop its scratch databases " + created
                    + (createdRoles.isEmpty() ? "" : " and roles " + createdRoles) + " on the smoke's PostgreSQL: "
                    + e.getMessage() + ". Drop them by hand.");
        }
    }
}
