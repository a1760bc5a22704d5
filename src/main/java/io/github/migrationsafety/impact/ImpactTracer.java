package io.github.migrationsafety.impact;

import io.github.migrationsafety.changelog.ChangesetKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.precondition.core.PreconditionContainer;

/**
 * Traces, on PostgreSQL, what each changeset does to the tables that existed before it: the relation locks its
 * transaction holds, rewrites and full scans. It reads the catalog from inside the changeset's own transaction
 * after each change, where the locks are still held and the in-transaction statistics still visible, with
 * read-only queries that take no lock on a user table: what runs is what would run without the trace.
 *
 * <p>A changeset with {@code runInTransaction="false"} (such as {@code CREATE INDEX CONCURRENTLY}) commits each
 * statement as it goes, so its locks are gone before a change ends: a second connection watches the migrating
 * backend's locks in {@code pg_locks} while each of its changes runs.
 */
public final class ImpactTracer implements ChangeExecListener {

    /** The tables of the schema with their storage, and the indexes left invalid: one round trip. */
    private static final String CATALOG = "SELECT 'table', c.oid::bigint, c.relname::text, c.relfilenode::bigint"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
            + " AND n.nspname = current_schema() AND c.relname NOT ILIKE 'databasechangelog%'"
            + " UNION ALL SELECT 'invalid', i.indrelid::bigint, x.relname::text, 0 FROM pg_index i"
            + " JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_namespace n ON n.oid = x.relnamespace"
            + " WHERE NOT i.indisvalid AND n.nspname = current_schema()";
    /** After each change, inside its transaction: locks held, tables scanned, lock_timeout; one round trip. */
    private static final String AFTER_CHANGE = "SELECT 'lock', l.relation::bigint, l.mode FROM pg_locks l"
            + " WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
            + " UNION ALL SELECT 'scan', s.relid::bigint, NULL FROM pg_stat_xact_user_tables s WHERE s.seq_scan > 0"
            + " UNION ALL SELECT 'timeout', 0, current_setting('lock_timeout')";

    /** A table as the catalog knows it before the changeset. */
    private record Relation(String name, long fileNode) {}

    /**
     * The strongest lock seen on a table: since when, and until when when it was released before the changeset
     * ended (a changeset outside a transaction); {@code untilNanos} 0 means until the commit.
     */
    private record Held(LockMode mode, long sinceNanos, long untilNanos) {}

    /** What the trace saw of one changeset, beyond its per-table impacts. */
    public record ChangesetTrace(
            String changeset,
            boolean inTransaction,
            String lockTimeout,
            List<TableImpact> tables,
            List<String> invalidIndexes,
            Set<String> tablesBefore) {}

    private final Connection connection;
    private final StallProbe.Connector monitor;
    private final List<ChangesetTrace> traces = new ArrayList<>();
    private LockWatcher watcher;
    private final List<String> problems = new ArrayList<>();

    private Map<Long, Relation> before;
    private Map<Long, Relation> lastSeen;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<Long, Held> held = new HashMap<>();
    private final Set<Long> scanned = new HashSet<>();
    private long changeStarted;
    private String lockTimeout;

    /** @param monitor opens a second connection to the same server, to watch changesets run outside a transaction */
    public ImpactTracer(Connection connection, StallProbe.Connector monitor) {
        this.connection = connection;
        this.monitor = monitor;
    }

    /** One entry per changeset that executed, in order. */
    public List<ChangesetTrace> traces() {
        return traces;
    }

    /** Catalog reads that failed; the trace of those changesets is incomplete. */
    public List<String> problems() {
        return problems;
    }

    @Override
    public void willRun(
            ChangeSet changeSet,
            DatabaseChangeLog databaseChangeLog,
            Database database,
            ChangeSet.RunStatus runStatus) {
        reset();
    }

    /**
     * The hook for migrations that are not Liquibase changesets (a Flyway migration, traced from its callbacks on the
     * migrating connection): one migration is one change, traced like a changeset's.
     *
     * @param key           the migration's name in the report
     * @param inTransaction whether it runs inside one transaction (its locks are read before the commit)
     */
    public void beforeMigration(String key, boolean inTransaction) {
        reset();
        changeStarting(key, inTransaction);
    }

    /** The migration ran (still inside its transaction when it has one): its trace is recorded. */
    public void afterMigration(String key, boolean inTransaction) {
        changeEnded(key, inTransaction);
        changesetEnded(key, inTransaction);
    }

    /** The migration failed: nothing is recorded for it. */
    public void migrationFailed() {
        failed();
    }

    private void reset() {
        before = null;
        held.clear();
        scanned.clear();
        lockTimeout = null;
    }

    @Override
    public void willRun(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        changeStarting(ChangesetKey.of(changeSet), changeSet.isRunInTransaction());
    }

    private void changeStarting(String key, boolean inTransaction) {
        try {
            if (before == null) {
                // nothing between two changesets changes the schema's tables: the last one's end is this one's start
                before = lastSeen != null ? lastSeen : relations(null);
            }
        } catch (SQLException e) {
            problems.add(key + ": " + e.getMessage());
        }
        changeStarted = System.nanoTime();
        if (!inTransaction && before != null && monitor != null) {
            try {
                watcher = new LockWatcher(monitor.open(), backendPid());
                watcher.startWatching();
            } catch (SQLException e) {
                problems.add(key + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The lock_timeout in force for the migrating session ({@code 0}: wait for ever), or {@code null} if unreadable. */
    private String lockTimeout() {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('lock_timeout')")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            problems.add("lock_timeout: " + e.getMessage());
            return null;
        }
    }

    private int backendPid() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void ran(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        changeEnded(ChangesetKey.of(changeSet), changeSet.isRunInTransaction());
    }

    private void changeEnded(String key, boolean inTransaction) {
        if (before == null) {
            return;
        }
        if (!inTransaction) {
            if (watcher != null) {
                for (Map.Entry<Long, LockWatcher.Seen> seen : watcher.finish().entrySet()) {
                    Held previous = held.get(seen.getKey());
                    if (before.containsKey(seen.getKey())
                            && (previous == null || seen.getValue().mode().strongerThan(previous.mode()))) {
                        held.put(
                                seen.getKey(),
                                new Held(
                                        seen.getValue().mode(),
                                        seen.getValue().firstNanos(),
                                        seen.getValue().lastNanos()));
                    }
                }
                watcher = null;
            }
            lockTimeout = lockTimeout();
            return;
        }
        try (ResultSet rs = statement(AFTER_CHANGE).executeQuery()) {
            while (rs.next()) {
                long oid = rs.getLong(2);
                switch (rs.getString(1)) {
                    case "lock" -> {
                        LockMode mode = LockMode.of(rs.getString(3));
                        Held previous = held.get(oid);
                        // the strongest lock is held from the change that took it until the commit
                        if (before.containsKey(oid)
                                && mode != null
                                && (previous == null || mode.strongerThan(previous.mode()))) {
                            held.put(oid, new Held(mode, changeStarted, 0));
                        }
                    }
                    case "scan" -> scanned.add(oid);
                    default -> lockTimeout = rs.getString(3);
                }
            }
        } catch (SQLException e) {
            problems.add(key + ": " + e.getMessage());
        }
    }

    @Override
    public void ran(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ChangeSet.ExecType execType) {
        if (execType != ChangeSet.ExecType.EXECUTED && execType != ChangeSet.ExecType.RERAN) {
            return;
        }
        changesetEnded(ChangesetKey.of(changeSet), changeSet.isRunInTransaction());
    }

    private void changesetEnded(String key, boolean inTransaction) {
        if (before == null) {
            return;
        }
        long ended = System.nanoTime();
        try {
            List<String> invalid = new ArrayList<>();
            Map<Long, Relation> after = relations(invalid);
            lastSeen = after;
            Map<Long, TableImpact> tables = new LinkedHashMap<>();
            for (Map.Entry<Long, Relation> entry : before.entrySet()) {
                long oid = entry.getKey();
                Relation now = after.get(oid);
                boolean rewrite =
                        now != null && now.fileNode() != entry.getValue().fileNode();
                Held lock = held.get(oid);
                // a scan holds at least AccessShareLock until the commit: without a lock the count is another
                // transaction's (PostgreSQL 15+ shows this session's counts that are not flushed yet as in-transaction)
                boolean scan = lock != null && scanned.contains(oid);
                if (lock == null && !rewrite) {
                    continue;
                }
                long until = lock == null || lock.untilNanos() == 0 ? ended : lock.untilNanos();
                tables.put(
                        oid,
                        new TableImpact(
                                key,
                                entry.getValue().name(),
                                lock == null ? null : lock.mode(),
                                lock == null ? 0 : (until - lock.sinceNanos()) / 1_000_000,
                                rewrite,
                                scan));
            }
            Set<String> names = new HashSet<>();
            before.values().forEach(r -> names.add(r.name().toLowerCase(Locale.ROOT)));
            traces.add(
                    new ChangesetTrace(key, inTransaction, lockTimeout, List.copyOf(tables.values()), invalid, names));
        } catch (SQLException e) {
            problems.add(key + ": " + e.getMessage());
        }
    }

    /** The schema's tables by oid, and the invalid indexes in {@code invalid} when it is not null. */
    private Map<Long, Relation> relations(List<String> invalid) throws SQLException {
        Map<Long, Relation> relations = new HashMap<>();
        try (ResultSet rs = statement(CATALOG).executeQuery()) {
            while (rs.next()) {
                if (rs.getString(1).equals("table")) {
                    relations.put(rs.getLong(2), new Relation(rs.getString(3), rs.getLong(4)));
                } else if (invalid != null) {
                    invalid.add(rs.getString(3));
                }
            }
        }
        return relations;
    }

    /** Prepared once per tracer: the driver then keeps the plans on the server. */
    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    @Override
    public void runFailed(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        failed();
    }

    private void failed() {
        before = null;
        lastSeen = null; // a changeset outside a transaction may have changed tables before it failed
        if (watcher != null) {
            watcher.finish();
            watcher = null;
        }
    }

    @Override
    public void rollbackFailed(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {}

    @Override
    public void willRollback(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {}

    @Override
    public void rolledBack(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {}

    @Override
    public void preconditionFailed(PreconditionFailedException error, PreconditionContainer.FailOption onFail) {}

    @Override
    public void preconditionErrored(PreconditionErrorException error, PreconditionContainer.ErrorOption onError) {}
}
