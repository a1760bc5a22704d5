package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.changelog.LiquibaseMessages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Puts production's schema (pg_dump's plain SQL) and its Liquibase history rows into a fresh database. */
final class SchemaCopy {

    /** Where pg_dump's plain script starts an object: its {@code --} / {@code -- Name: …} comment. */
    private static final Pattern OBJECT = Pattern.compile("(?m)^(?=--\\n-- Name: )");

    private SchemaCopy() {}

    /**
     * Installs production's extensions in the fresh database, each in a schema of the name production has it in,
     * before pg_dump's script, whose tables and functions may use them ({@code pg_dump --schema} copies no
     * extension). Returns the ones the smoke's PostgreSQL could not install, each with PostgreSQL's reason: that
     * stops nothing by itself (production may have extensions nothing copied uses, such as
     * {@code pg_stat_statements}), but names the cause when the script then does not restore.
     */
    static List<String> extensions(Connection connection, List<ProductionSession.Extension> extensions) {
        List<String> missing = new ArrayList<>();
        for (ProductionSession.Extension extension : extensions) {
            String schema = ProductionSession.quote(extension.schema());
            try (Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                statement.execute("CREATE EXTENSION IF NOT EXISTS " + ProductionSession.quote(extension.name())
                        + " WITH SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                missing.add("extension " + extension.name() + " " + extension.version() + " (schema "
                        + extension.schema() + "): "
                        + LiquibaseMessages.rootMessage(e));
            }
        }
        return missing;
    }

    /**
     * Makes production's foreign servers in the fresh database, after the extensions (which bring wrappers such as
     * {@code postgres_fdw}): pg_dump's script creates the foreign tables of the copied schemas but not the servers
     * they name. Each server gets its name and wrapper only, no options and no user mapping: the copy never reaches
     * it. A wrapper the copy still lacks is made without a handler. Returns the ones that could not be made, each with
     * PostgreSQL's reason, as {@link #extensions} does.
     */
    static List<String> foreignServers(Connection connection, List<ProductionSession.ForeignServer> servers) {
        List<String> missing = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            Set<String> wrappers = ScratchServer.names(statement, "SELECT fdwname FROM pg_foreign_data_wrapper");
            for (ProductionSession.ForeignServer server : servers) {
                String wrapper = ProductionSession.quote(server.wrapper());
                try {
                    if (wrappers.add(server.wrapper())) {
                        statement.execute("CREATE FOREIGN DATA WRAPPER " + wrapper);
                    }
                    statement.execute("CREATE SERVER IF NOT EXISTS " + ProductionSession.quote(server.name())
                            + " FOREIGN DATA WRAPPER " + wrapper);
                } catch (SQLException e) {
                    missing.add("foreign server " + server.name() + " (wrapper " + server.wrapper() + "): "
                            + LiquibaseMessages.rootMessage(e));
                }
            }
        } catch (SQLException e) {
            missing.add("foreign servers: " + LiquibaseMessages.rootMessage(e));
        }
        return missing;
    }

    /**
     * Runs pg_dump's script. psql's meta-commands (the restrict and unrestrict lines that newer pg_dump releases
     * write) are psql's, not SQL, and are left out; {@code CREATE SCHEMA} of a schema every database has does not
     * fail. The script sets {@code search_path} to empty for its session: it runs on its own connection. Not in one
     * transaction: the copy is a scratch database, dropped when a piece fails.
     */
    static void restore(Connection connection, Path script, List<String> notMade) throws RehearsalException {
        String sql;
        try {
            sql = Files.readAllLines(script, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.startsWith("\\"))
                    .map(line -> line.startsWith("CREATE SCHEMA ") && !line.contains(" IF NOT EXISTS ")
                            ? "CREATE SCHEMA IF NOT EXISTS " + line.substring("CREATE SCHEMA ".length())
                            : line)
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new RehearsalException("Cannot read pg_dump's output " + script + ": " + e.getMessage());
        }
        // object by object, each in a transaction of its own: one transaction for thousands of tables holds a lock on
        // each and overflows the server's lock table ("out of shared memory", max_locks_per_transaction); pg_dump
        // starts every object with a "-- Name: ...; Type: ..." comment, so a piece never splits a statement
        try (Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("SET synchronous_commit = off"); // a scratch database: no need to wait for each commit
            for (String object : OBJECT.split(sql)) {
                if (!object.isBlank()) {
                    statement.execute(object);
                }
            }
        } catch (SQLException e) {
            throw new RehearsalException("Production's schema (pg_dump --schema-only) does not restore into the smoke's"
                    + " PostgreSQL: " + LiquibaseMessages.rootMessage(e)
                    + (notMade.isEmpty()
                            ? ""
                            : ". What of production the smoke's PostgreSQL could not make: "
                                    + String.join("; ", notMade))
                    + ". The smoke's PostgreSQL must be at least as new as"
                    + " production and have the extensions production uses; give 'postgres' the URL of such a"
                    + " throw-away server, or set -Dmigration-safety.rehearsal=false.");
        }
    }

    /** Replaces the rows of a database's history table (a rebuild's own) with production's. */
    static void replaceHistory(Connection connection, ProductionSession.History history) throws RehearsalException {
        String table = ProductionSession.quote(history.schema()) + "." + ProductionSession.quote(history.table());
        try (Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("DELETE FROM " + table);
        } catch (SQLException e) {
            throw new RehearsalException(
                    "Cannot empty the rebuild's " + history.table() + ": " + LiquibaseMessages.rootMessage(e) + ".");
        }
        history(connection, history);
    }

    /** Inserts production's history rows into the copied (empty) history table, column for column. */
    static void history(Connection connection, ProductionSession.History history) throws RehearsalException {
        String table = ProductionSession.quote(history.schema()) + "." + ProductionSession.quote(history.table());
        List<String> columns = history.columns();
        String sql = "INSERT INTO " + table + " ("
                + columns.stream().map(ProductionSession::quote).collect(Collectors.joining(", ")) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            connection.setAutoCommit(false);
            for (List<Object> row : history.rows()) {
                for (int i = 0; i < row.size(); i++) {
                    insert.setObject(i + 1, row.get(i));
                }
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            throw new RehearsalException("Cannot copy production's " + history.table() + " rows into the rehearsal's"
                    + " database: " + LiquibaseMessages.rootMessage(e) + ".");
        }
    }
}
