package io.github.migrationsafety.impact;

import io.github.migrationsafety.changelog.ChangesetKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.listener.SqlListener;
import liquibase.precondition.core.PreconditionContainer;

/**
 * Traces, on PostgreSQL, what each changeset does to the tables that existed before it: the relation locks its
 * transaction holds, rewrites and full scans, and what each change did to the schema (the {@link Catalog} before
 * and after it, compared in a {@link CatalogDiff}). It reads the catalog from inside the changeset's own transaction
 * after each change, where the locks are still held and the in-transaction statistics still visible, in one
 * read-only query ({@link Catalog#QUERY}) that takes no lock on a user table: what runs is what would run without
 * the trace.
 *
 * <p>A changeset with {@code runInTransaction="false"} (such as {@code CREATE INDEX CONCURRENTLY}) commits each
 * statement as it goes, so its locks are gone before a change ends: a second connection watches the migrating
 * backend's locks in {@code pg_locks} while each of its changes runs.
 */
public final class ImpactTracer implements ChangeExecListener {

    /**
     * The strongest lock seen on a table: since when, and until when when it was released before the changeset
     * ended (a changeset outside a transaction); {@code untilNanos} 0 means until the commit.
     */
    private record Held(LockMode mode, long sinceNanos, long untilNanos) {}

    private final TransactionCatalog catalog;
    private final StallProbe.Connector monitor;
    private final List<ChangesetTrace> traces = new ArrayList<>();
    private LockWatcher watcher;
    private final List<String> problems = new ArrayList<>();

    /** The catalog when the changeset started, and as the last traced change left it ({@code null}: read it all). */
    private Catalog before;

    private Catalog current;
    private final Map<Long, Held> held = new HashMap<>();
    private final Map<Long, LockMode> locks = new HashMap<>();
    private final List<ChangeEffect> changes = new ArrayList<>();
    private boolean complete;
    private long changeStarted;

    private final TruncateReads truncates;

    private final SqlListener statements = new SqlListener() {
        @Override
        public void writeSqlWillRun(String sql) {
            statementStarting(sql);
        }
    };

    /** @param monitor opens a second connection to the same server, to watch changesets run outside a transaction */
    public ImpactTracer(Connection connection, StallProbe.Connector monitor) {
        this.catalog = new TransactionCatalog(connection);
        this.truncates = new TruncateReads(catalog);
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

    /** Liquibase's statements as they are about to run, for Liquibase's {@code Scope}: see {@link TruncateReads}. */
    public SqlListener statements() {
        return statements;
    }

    private void statementStarting(String sql) {
        if (before == null || current == null) {
            return;
        }
        try {
            truncates.statementStarting(sql);
        } catch (SQLException e) {
            complete = false;
            problems.add("reading the statistics around " + sql + ": " + e.getMessage());
        }
    }

    /** A Flyway migration starts (one change, one changeset): its trace begins, as for a changeset and its change. */
    public void beforeMigration(String key, boolean inTransaction) {
        reset();
        changeStarting(key, inTransaction);
    }

    /** A Flyway migration ran: its trace ends, as for a change and its changeset. */
    public void afterMigration(String key, boolean inTransaction) {
        changeEnded(null, key, inTransaction);
        changesetEnded(key, inTransaction);
    }

    /**
     * A Flyway migration failed: outside a transaction, what it committed stays, as after a changeset outside one
     * ({@link #runFailed}), and the indexes a failed concurrent build left INVALID are its trace.
     */
    public void migrationFailed(String key, boolean inTransaction) {
        if (!inTransaction) {
            leftBehind(key);
        }
        failed();
    }

    private void reset() {
        before = null;
        held.clear();
        locks.clear();
        catalog.reset();
        changes.clear();
        truncates.reset();
        complete = true;
    }

    @Override
    public void willRun(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        changeStarting(ChangesetKey.of(changeSet), changeSet.isRunInTransaction());
    }

    private void changeStarting(String key, boolean inTransaction) {
        try {
            if (current == null) {
                // nothing between two changesets changes the schema: the last one's end is this one's start
                current = catalog.read(true, current);
            }
            if (before == null) {
                before = current;
                // after a Flyway migration the server flushed that transaction's counts when it ended; a Liquibase
                // changeset's preconditions may have scanned since, so its counts are always read
                if (!catalog.consumeFlushForced()) {
                    catalog.countScansSoFar();
                }
            }
        } catch (SQLException e) {
            problems.add(key + ": " + e.getMessage());
        }
        changeStarted = System.nanoTime();
        if (!inTransaction && before != null && monitor != null) {
            try {
                watcher = new LockWatcher(monitor.open(), catalog.backendPid());
                watcher.startWatching();
            } catch (SQLException e) {
                problems.add(key + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void ran(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        changeEnded(change, ChangesetKey.of(changeSet), changeSet.isRunInTransaction());
    }

    /** @param change the Liquibase change, or {@code null} for a Flyway migration */
    private void changeEnded(Change change, String key, boolean inTransaction) {
        if (before == null || current == null) {
            return;
        }
        long ended = System.nanoTime();
        Map<Long, LockMode> taken = new HashMap<>();
        if (!inTransaction) {
            locks.clear(); // each statement committed: nothing is held from one change to the next
            if (watcher != null) {
                for (Map.Entry<Long, LockWatcher.Seen> seen : watcher.finish().entrySet()) {
                    LockWatcher.Seen lock = seen.getValue();
                    locks.put(seen.getKey(), lock.mode());
                    taken.put(seen.getKey(), lock.mode());
                    Held previous = held.get(seen.getKey());
                    if (previous == null || lock.mode().strongerThan(previous.mode())) {
                        held.put(seen.getKey(), new Held(lock.mode(), lock.firstNanos(), lock.lastNanos()));
                    }
                }
                watcher = null;
            }
        }
        try {
            truncates.statementEnded();
            Map<Long, LockMode> now = new HashMap<>();
            // a Flyway migration's end: between it and the next one only Flyway's own history statements run
            Catalog after = catalog.read(!inTransaction, current, now, change == null);
            for (Map.Entry<Long, LockMode> lock : now.entrySet()) {
                long oid = lock.getKey();
                LockMode mode = lock.getValue();
                if (mode.strongerThan(locks.get(oid))) {
                    taken.put(oid, mode);
                    locks.put(oid, mode);
                }
                Held previous = held.get(oid);
                // the strongest lock is held from the change that took it until the commit
                if (previous == null || mode.strongerThan(previous.mode())) {
                    held.put(oid, new Held(mode, changeStarted, 0));
                }
            }
            changes.add(new ChangeEffect(
                    changes.size(),
                    change,
                    changeStarted,
                    ended,
                    Map.copyOf(locks),
                    Map.copyOf(taken),
                    inTransaction ? catalog.worked() : Set.of(),
                    current,
                    after,
                    CatalogDiff.of(current, after)));
            current = after;
        } catch (SQLException e) {
            complete = false;
            current = null;
            problems.add(key + ": " + e.getMessage());
        }
    }

    @Override
    public void ran(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ChangeSet.ExecType execType) {
        if (execType == ChangeSet.ExecType.EXECUTED || execType == ChangeSet.ExecType.RERAN) {
            changesetEnded(ChangesetKey.of(changeSet), changeSet.isRunInTransaction());
        }
    }

    private void changesetEnded(String key, boolean inTransaction) {
        if (before == null || current == null) {
            return;
        }
        long ended = System.nanoTime();
        Map<Long, TableImpact> tables = new LinkedHashMap<>();
        for (Catalog.Table table : before.tables().values()) {
            long oid = table.oid();
            Catalog.Table now = current.tables().get(oid);
            Held lock = held.get(oid);
            TruncateReads.Span truncated = inTransaction ? null : truncates.truncated(oid);
            if (truncated != null && LockMode.ACCESS_EXCLUSIVE.strongerThan(lock == null ? null : lock.mode())) {
                // outside a transaction the locks are sampled, which can miss a TRUNCATE's brief one; every table a
                // TRUNCATE gave a new file held AccessExclusiveLock while it ran
                lock = new Held(LockMode.ACCESS_EXCLUSIVE, truncated.sinceNanos(), truncated.untilNanos());
            }
            // a scan holds at least AccessShareLock until the commit: without a lock the count is another
            // transaction's (PostgreSQL 15+ shows this session's counts that are not flushed yet as in-transaction)
            boolean scan = lock != null && catalog.scanned().contains(oid);
            // a rewrite reads every row of the old file (a sequential scan, or CLUSTER's index scan) into the new
            // one and then builds each index on the new file, one more sequential scan each; TRUNCATE gives the
            // table a new, empty file and builds its indexes there without reading a row, as fast at any size: only
            // a read beyond one per index tells a rewrite; a TRUNCATE's own reads are counted apart (TruncateReads).
            // Outside a transaction no reads are counted: a new file that no TRUNCATE made tells it
            boolean rewrite = now != null
                    && now.fileNode() != table.fileNode()
                    && (inTransaction
                            ? catalog.readsSinceStart(oid) - truncates.reads(oid)
                                    > now.indexes().size()
                            : truncates.rewroteOutside(oid, table.fileNode(), now.fileNode()));
            if (lock == null && !rewrite) {
                continue;
            }
            long until = lock == null || lock.untilNanos() == 0 ? ended : lock.untilNanos();
            tables.put(
                    oid,
                    new TableImpact(
                            key,
                            table.name(),
                            lock == null ? null : lock.mode(),
                            lock == null ? 0 : (until - lock.sinceNanos()) / 1_000_000,
                            rewrite,
                            scan));
        }
        List<String> invalid = new ArrayList<>();
        changes.forEach(c -> invalid.addAll(c.diff().newInvalidIndexNames()));
        traces.add(new ChangesetTrace(
                key,
                inTransaction,
                catalog.lockTimeout(),
                List.copyOf(tables.values()),
                invalid,
                before.lowerCaseNames(),
                complete ? List.copyOf(changes) : List.of()));
    }

    @Override
    public void runFailed(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        if (!changeSet.isRunInTransaction()) {
            leftBehind(ChangesetKey.of(changeSet));
        }
        failed();
    }

    /**
     * A changeset (or Flyway migration) outside a transaction failed: what its statements committed stays, and a
     * concurrent index build that failed leaves its index INVALID, which production would keep too. Its trace holds
     * only those indexes.
     */
    private void leftBehind(String key) {
        if (before == null || current == null) {
            return;
        }
        try {
            List<String> invalid =
                    CatalogDiff.of(current, catalog.read(true, current)).newInvalidIndexNames();
            if (!invalid.isEmpty()) {
                traces.add(new ChangesetTrace(
                        key, false, catalog.lockTimeout(), List.of(), invalid, before.lowerCaseNames(), List.of()));
            }
        } catch (SQLException e) {
            problems.add(key + ": " + e.getMessage());
        }
    }

    private void failed() {
        before = null;
        current = null; // a changeset outside a transaction may have changed tables before it failed
        if (watcher != null) {
            watcher.finish();
            watcher = null;
        }
    }

    @Override
    public void rollbackFailed(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        current = null;
    }

    @Override
    public void willRollback(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {}

    /** A rollback changes the schema behind the trace's back: the next changeset reads the catalog afresh. */
    @Override
    public void rolledBack(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {
        current = null;
    }

    @Override
    public void preconditionFailed(PreconditionFailedException error, PreconditionContainer.FailOption onFail) {}

    @Override
    public void preconditionErrored(PreconditionErrorException error, PreconditionContainer.ErrorOption onError) {}
}
