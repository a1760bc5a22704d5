package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.ValueCodec;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The near-duplicate search of a PostgreSQL dry-run, on a second connection and thread while the ranking runs on the
 * goal's own connection. The ranking returns only the rows of duplicate groups, so the search has to read the whole
 * table once more; run after the ranking, that read adds its whole
 * time to the goal's, run beside it, it mostly uses a core the ranking leaves idle. It runs in one server process
 * ({@link NearDuplicateSql#besideSettings}): once the ranking's parallel sort is done, the ranking itself runs in one process
 * and leaves the other cores to the search. Both only read, in read-only transactions, so neither can see or cause a
 * change.
 */
final class NearDuplicatesBeside implements AutoCloseable {

    private final ConnectionSource second;
    private final DedupeTarget target;
    private final DedupeConfig config;
    private final EngineLog log;
    private final Thread thread;
    /** The search's findings; empty when no second connection could be used, so the search runs after the ranking. */
    private final CompletableFuture<Optional<List<Finding>>> findings = new CompletableFuture<>();

    private volatile NearDuplicates search;
    private volatile boolean stopped;

    private NearDuplicatesBeside(ConnectionSource second, DedupeTarget target, DedupeConfig config, EngineLog log) {
        this.second = second;
        this.target = target;
        this.config = config;
        this.log = log;
        // the connection is opened on this thread too: the ranking does not wait for a second login
        this.thread = new Thread(this::searchBeside, "migration-safety-near-duplicates");
        thread.setDaemon(true);
    }

    /**
     * The search started beside the ranking, or {@code null} when it runs after the ranking on the goal's own
     * connection: no second connection was offered, the database is not PostgreSQL, or there is nothing to search.
     * A second connection that cannot be opened is found out later, by {@link #join}.
     */
    static NearDuplicatesBeside start(
            ConnectionSource second, DedupeTarget target, DedupeConfig config, EngineLog log) {
        if (second == null
                || target.dialect() != Dialect.POSTGRESQL
                || !config.nearDuplicates()
                || target.keys().stream().noneMatch(ValueCodec::isText)) {
            return null;
        }
        NearDuplicatesBeside beside = new NearDuplicatesBeside(second, target, config, log);
        beside.thread.start();
        return beside;
    }

    private void searchBeside() {
        Connection connection = openReadOnly();
        if (connection == null) {
            findings.complete(Optional.empty());
            return;
        }
        try {
            NearDuplicates started = new NearDuplicates(connection, log);
            search = started;
            if (stopped) {
                throw new SQLException("the ranking failed; the near-duplicate search did not start");
            }
            findings.complete(Optional.of(started.search(target, config)));
        } catch (SQLException | RuntimeException e) {
            findings.completeExceptionally(e);
        } finally {
            closeQuietly(connection, log);
        }
    }

    /** The second connection in a read-only transaction with {@link NearDuplicateSql#besideSettings}, or {@code null}. */
    private Connection openReadOnly() {
        Connection connection;
        try {
            connection = second.open();
        } catch (DatabaseException e) {
            log.debug("dedupe: no second connection for the near-duplicate search (" + e.getMessage()
                    + "); it runs after the ranking instead");
            return null;
        }
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (Statement statement = connection.createStatement()) {
                for (String setting : NearDuplicateSql.besideSettings(target)) {
                    statement.execute(setting);
                }
            }
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection, log);
            log.debug("dedupe: cannot make the second connection read-only (" + e.getMessage()
                    + "); the near-duplicate search runs after the ranking instead");
            return null;
        }
    }

    /**
     * The search's findings, once it has finished; empty when it could not run beside the ranking (the caller then
     * runs it on its own connection); its failure as the ranking's would be.
     */
    Optional<List<Finding>> join() throws SQLException {
        try {
            return findings.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the near-duplicate search", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw (RuntimeException) e.getCause();
        }
    }

    /** Stops a search still running (the ranking failed) and waits until its connection is closed. */
    @Override
    public void close() {
        if (!findings.isDone()) {
            stopped = true;
            NearDuplicates running = search;
            if (running != null) {
                running.cancel();
            }
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection connection, EngineLog log) {
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            log.debug("dedupe: closing the near-duplicate search's connection: " + e.getMessage());
        }
    }
}
