package io.github.migrationsafety.impact;

import io.github.migrationsafety.changelog.ChangesetKey;
import java.sql.Connection;
import java.sql.SQLException;
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

    /**
     * What the trace saw of one changeset: its per-table impacts, and what each change did.
     *
     * @param tablesBefore the tables (lower case) that existed before the changeset
     * @param changes      one entry per change, in order; empty when a catalog read failed
     */
    public record ChangesetTrace(
            String changeset,
            boolean inTransaction,
            String lockTimeout,
            List<TableImpact> tables,
            List<String> invalidIndexes,
            Set<String> tablesBefore,
            List<ChangeEffect> changes) {

        /**
         * The tables a foreign key this changeset added on {@code table} points at, as the catalog names them (lower
         * case), each with {@code table}'s referencing columns: by what it did, whatever the SQL's spelling.
         */
        public Map<String, List<String>> referencedBy(String table) {
            Map<String, List<String>> parents = new LinkedHashMap<>();
            for (ChangeEffect change : changes) {
                for (CatalogDiff.ConstraintChange added : change.diff().newConstraints()) {
                    Catalog.Table child =
                            change.after().tables().get(added.table().oid());
                    if (added.constraint().type() != 'f'
                            || child == null
                            || !child.name().equalsIgnoreCase(table)) {
                        continue;
                    }
                    String parent = change.tableName(added.constraint().referenced());
                    if (parent != null) {
                        parents.computeIfAbsent(parent.toLowerCase(Locale.ROOT), p -> new ArrayList<>())
                                .addAll(child.columnNames(added.constraint().columns()));
                    }
                }
            }
            return parents;
        }
    }

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

    /** The reads of each table when the {@code TRUNCATE} that is running started, or {@code null} when none is. */
    private Map<Long, Long> truncateStarted;

    /** The reads of each table during this changeset's {@code TRUNCATE} statements (index builds on the new file). */
    private final Map<Long, Long> truncateReads = new HashMap<>();

    private final SqlListener statements = new SqlListener() {
        @Override
        public void writeSqlWillRun(String sql) {
            statementStarting(sql);
        }
    };

    /** @param monitor opens a second connection to the same server, to watch changesets run outside a transaction */
    public ImpactTracer(Connection connection, StallProbe.Connector monitor) {
        this.catalog = new TransactionCatalog(connection);
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
     * Liquibase's statements as they are about to run, for Liquibase's {@code Scope}: the reads during each {@code
     * TRUNCATE} are counted apart. TRUNCATE gives a table a new file and builds its indexes there, as a rewrite
     * does, without reading a row; a rewrite is told from it by one more read, which a second TRUNCATE of the same
     * table in one changeset (one {@code <sql>} truncating a table and, by {@code CASCADE}, again) would also give.
     * Only a statement that starts with {@code TRUNCATE} costs a query, before it and after it.
     */
    public SqlListener statements() {
        return statements;
    }

    private void statementStarting(String sql) {
        if (before == null || current == null) {
            return;
        }
        try {
            truncateEnded();
            if (isTruncate(sql)) {
                truncateStarted = catalog.readsNow();
            }
        } catch (SQLException e) {
            truncateStarted = null;
            complete = false;
            problems.add("reading the statistics around " + sql + ": " + e.getMessage());
        }
    }

    /** The reads since the running {@code TRUNCATE} started are its index builds. */
    private void truncateEnded() throws SQLException {
        if (truncateStarted == null) {
            return;
        }
        Map<Long, Long> started = truncateStarted;
        truncateStarted = null;
        for (Map.Entry<Long, Long> reads : catalog.readsNow().entrySet()) {
            long during = reads.getValue() - started.getOrDefault(reads.getKey(), 0L);
            if (during > 0) {
                truncateReads.merge(reads.getKey(), during, Long::sum);
            }
        }
    }

    /** Whether {@code sql}, after blanks and comments, starts with the keyword {@code TRUNCATE}. */
    static boolean isTruncate(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            if (Character.isWhitespace(sql.charAt(i))) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? n : newline + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        return sql.regionMatches(true, i, "TRUNCATE", 0, 8)
                && (i + 8 == n || !Character.isLetterOrDigit(sql.charAt(i + 8)) && sql.charAt(i + 8) != '_');
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

    /** A Flyway migration failed. */
    public void migrationFailed() {
        failed();
    }

    private void reset() {
        before = null;
        held.clear();
        locks.clear();
        catalog.reset();
        changes.clear();
        truncateStarted = null;
        truncateReads.clear();
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
            truncateEnded();
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
            // a scan holds at least AccessShareLock until the commit: without a lock the count is another
            // transaction's (PostgreSQL 15+ shows this session's counts that are not flushed yet as in-transaction)
            boolean scan = lock != null && catalog.scanned().contains(oid);
            // a rewrite reads every row of the old file (a sequential scan, or CLUSTER's index scan) into the new
            // one and then builds each index on the new file, one more sequential scan each; TRUNCATE gives the
            // table a new, empty file and builds its indexes there without reading a row, as fast at any size: only
            // a read beyond one per index tells a rewrite; a TRUNCATE's own reads are counted apart (statements())
            boolean rewrite = now != null
                    && now.fileNode() != table.fileNode()
                    && (!inTransaction
                            || catalog.readsSinceStart(oid) - truncateReads.getOrDefault(oid, 0L)
                                    > now.indexes().size());
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
        changes.forEach(c ->
                c.diff().newInvalidIndexes().forEach(i -> invalid.add(i.index().name())));
        Set<String> names = new HashSet<>();
        before.tables().values().forEach(t -> names.add(t.name().toLowerCase(Locale.ROOT)));
        traces.add(new ChangesetTrace(
                key,
                inTransaction,
                catalog.lockTimeout(),
                List.copyOf(tables.values()),
                invalid,
                names,
                complete ? List.copyOf(changes) : List.of()));
    }

    @Override
    public void runFailed(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        failed();
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
