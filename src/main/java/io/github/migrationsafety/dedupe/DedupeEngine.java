package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.db.TableRef;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the rows that would block a unique constraint on {@code keyColumns} and, with {@code apply}, deletes all
 * but one per group after writing them to a durable, hashed backup.
 *
 * <p>All the work is set-based SQL run by the database: the way of ranking chosen once for the run ({@link
 * RankingWay}) finds the rows of duplicate groups, and only those rows are streamed back, so the table is never held
 * in memory. Apply runs in one transaction: lock, stream the same ranking into the report, the fsynced backup and a
 * plan of the rows to delete, load the plan, delete by joining it, compare counts, commit.
 */
public final class DedupeEngine {

    private final Connection connection;
    private final ConnectionSource second;
    private final EngineLog log;

    /** An engine that does all its work on {@code connection}. */
    public DedupeEngine(Connection connection, EngineLog log) {
        this(connection, null, log);
    }

    /**
     * An engine that may open one more connection with {@code second}, read-only, to search near duplicates
     * beside a PostgreSQL dry-run's ranking.
     */
    public DedupeEngine(Connection connection, ConnectionSource second, EngineLog log) {
        this.connection = connection;
        this.second = second;
        this.log = log;
    }

    public DedupeResult run(DedupeConfig config) throws DatabaseException, IOException {
        return run(config, OnlineOptions.off());
    }

    /** As {@link #run(DedupeConfig)}; apply deletes online in batches as {@code online} says (see {@link OnlineApply}). */
    public DedupeResult run(DedupeConfig config, OnlineOptions online) throws DatabaseException, IOException {
        try {
            long started = System.nanoTime();
            DedupeTarget target = resolve(config);
            boolean oneTransactionApply = config.apply() && !OnlineResume.wanted(target, config, online);
            // the one-transaction apply ranks under a lock that blocks writers: it does not test the rows for the
            // near-duplicate search there, it searches after the commit (DedupeApply)
            RankingWay way = RankingWay.choose(
                    connection, target, oneTransactionApply ? config.withNearDuplicates(false) : config);
            log.debug("dedupe: ranking " + way.description() + " (table, columns and way resolved in " + millis(started)
                    + " ms)");
            DedupeResult result;
            if (!config.apply()) {
                result = dryRun(way);
            } else if (!oneTransactionApply) {
                result = new OnlineApply(connection, log, way, online).run();
            } else {
                result = new DedupeApply(connection, log, way, config.nearDuplicates()).run();
            }
            return result.ran(config, Duration.ofNanos(System.nanoTime() - started));
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Dedupe of table '" + config.table() + "' failed: " + e.getMessage() + " (SQLState "
                            + e.getSQLState() + "). Nothing was changed.",
                    e);
        }
    }

    private DedupeTarget resolve(DedupeConfig config) throws DatabaseException, SQLException {
        SchemaCatalog catalog = SchemaCatalog.of(connection);
        TableRef table = catalog.table(config.table(), "table");
        if (config.keyColumns().isEmpty()) {
            throw new DatabaseException(
                    "Parameter 'keyColumns' is empty: name the columns that must be unique together,"
                            + " e.g. <keyColumns>name,version</keyColumns>.");
        }
        List<ColumnRef> keys = catalog.columns(table, config.keyColumns(), "keyColumns");
        List<ColumnRef> columns = catalog.columns(table);
        List<ColumnRef> primaryKey = catalog.primaryKey(table);
        ColumnRef id;
        if (config.idColumn() == null || config.idColumn().isBlank()) {
            if (primaryKey.size() != 1) {
                throw new DatabaseException("Table " + table.display() + " has "
                        + (primaryKey.isEmpty()
                                ? "no primary key"
                                : "a primary key of " + primaryKey.size() + " columns " + primaryKey)
                        + ", so rows cannot be identified. Set 'idColumn' to a column whose values are unique.");
            }
            id = primaryKey.get(0);
        } else {
            id = catalog.column(table, config.idColumn(), "idColumn");
            for (ColumnRef key : keys) {
                if (key.name().equals(id.name())) {
                    throw new DatabaseException("Parameters 'idColumn' and 'keyColumns' conflict: " + id.name()
                            + " is both the row id and a key column. The id must identify single rows and the keys the"
                            + " duplicates; set 'idColumn' to the primary key (or leave it out) or remove " + id.name()
                            + " from 'keyColumns'.");
                }
            }
        }
        boolean idIsPrimaryKey =
                primaryKey.size() == 1 && primaryKey.get(0).name().equals(id.name());
        if (!idIsPrimaryKey) {
            checkUnique(table, id);
        }
        ColumnRef keepColumn = config.keep().column() == null
                ? null
                : catalog.column(table, config.keep().column(), "keep");
        String where = null;
        if (config.where() != null && !config.where().isBlank()) {
            try {
                where = ScopePredicate.check(config.where());
            } catch (IllegalArgumentException e) {
                throw new DatabaseException(e.getMessage());
            }
            parseCheck(table, where);
        }
        return new DedupeTarget(table, columns, keys, id, idIsPrimaryKey, keepColumn, where, catalog.dialect());
    }

    /** Lets the database parse the predicate without reading a row, in a read-only transaction. */
    private void parseCheck(TableRef table, String where) throws DatabaseException, SQLException {
        boolean autoCommit = connection.getAutoCommit();
        boolean readOnly = connection.isReadOnly();
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery(DedupeSql.parseCheck(table, where)).close();
        } catch (SQLException e) {
            throw new DatabaseException("Parameter 'where': '" + where + "' is not a valid condition on table "
                    + table.display() + ": " + firstLine(e.getMessage()) + ". Give one plain SQL condition on the"
                    + " table's columns, e.g. created_at < DATE '2025-01-01'.");
        } finally {
            connection.rollback();
            connection.setReadOnly(readOnly);
            connection.setAutoCommit(autoCommit);
        }
    }

    private void checkUnique(TableRef table, ColumnRef id) throws DatabaseException, SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(DedupeSql.duplicateIds(table, id))) {
            if (rs.next()) {
                throw new DatabaseException("Parameter 'idColumn': column " + id.name() + " of " + table.display()
                        + " is not unique (value " + (rs.getString(1) == null ? "NULL" : "'" + rs.getString(1) + "'")
                        + " appears " + rs.getLong(2) + " times), so it cannot identify the rows to keep and delete."
                        + " Set 'idColumn' to the primary key or another unique, non-null column.");
            }
        }
    }

    private DedupeResult dryRun(RankingWay way) throws SQLException, IOException {
        DedupeTarget target = way.target();
        DedupeConfig config = way.config();
        boolean autoCommit = connection.getAutoCommit();
        // PostgreSQL streams with a fetch size only inside a transaction; read-only so nothing can change
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try (NearDuplicatesBeside beside =
                way.searchesBeside() ? NearDuplicatesBeside.start(second, target, config, log) : null) {
            long started = System.nanoTime();
            way.prepare(connection);
            RankingWay.Ranking ranking =
                    way.report(connection, new DedupeReport(connection, log, target, config.reportFile()), null, null);
            log.debug("dedupe: ranking and report took " + millis(started) + " ms");
            List<Finding> findings = new ArrayList<>();
            if (ranking.streamed().groups() > 0) {
                findings.add(duplicatesFinding(target, ranking.streamed(), config));
            }
            Optional<List<Finding>> searchedBeside = beside == null ? Optional.empty() : beside.join();
            findings.addAll(
                    searchedBeside.isPresent()
                            ? searchedBeside.get()
                            : new NearDuplicates(connection, log).after(ranking.marks(), target, config));
            return DedupeResult.nothingDeleted(target, ranking.streamed(), findings, config.reportFile());
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
            connection.setAutoCommit(autoCommit);
        }
    }

    private static Finding duplicatesFinding(DedupeTarget target, Streamed streamed, DedupeConfig config) {
        return Finding.error(
                        "dedupe.duplicates",
                        target.subject(),
                        streamed.groups() + " duplicate group(s), "
                                + streamed.rows() + " rows; " + streamed.deletes() + " row(s) would be deleted (keep "
                                + config.keep() + ")")
                .withHint("review " + config.reportFile() + ", then run with -Dmigration-safety.apply=true to delete"
                        + " them after a backup is written to " + config.backupDirectory() + ".")
                .at(config.reportFile().toString(), 0);
    }

    /** Counts of one streaming pass. */
    record Streamed(long groups, long rows, long deletes, List<DedupeResult.Group> top) {}

    static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
