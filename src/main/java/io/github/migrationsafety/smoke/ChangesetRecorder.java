package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.LiquibaseMessages;
import io.github.migrationsafety.impact.ImpactTracer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Listens to one database's update: times each changeset, records failures with the changeset named, and
 * hands every changeset that ran to the seed loader so seed rows arrive at the right point.
 */
final class ChangesetRecorder implements ChangeExecListener {

    /** Called after a changeset ran (or was marked ran), before the next one starts. */
    interface AfterRun {
        void ran(ChangeSet changeSet, ChangeSet.ExecType execType) throws Exception;
    }

    /** Called after a changeset's rollback ran, before it commits. */
    interface AfterRollback {
        void rolledBack(ChangeSet changeSet) throws Exception;
    }

    private final AfterRun afterRun;
    private final AfterRollback afterRollback;
    private final Map<String, ChangesetRun> runs = new LinkedHashMap<>();
    private final List<String> ranOrder = new ArrayList<>();
    private long started;
    private boolean recordTimes = true;
    private String rollbackFailure;
    private boolean lastExecuted;
    private ChangeExecListener tracer;

    ChangesetRecorder(AfterRun afterRun, AfterRollback afterRollback) {
        this.afterRun = afterRun;
        this.afterRollback = afterRollback;
    }

    /** Also tells {@code tracer} of each changeset and change, after recording them here. */
    void trace(ChangeExecListener tracer) {
        this.tracer = tracer;
    }

    /** The tracer's watch of Liquibase's statements ({@link ImpactTracer#statements()}), or {@code null}. */
    SqlListener statements() {
        return tracer instanceof ImpactTracer impact ? impact.statements() : null;
    }

    /** Whether later runs of a changeset (re-applying after a rollback) overwrite the first timing. */
    void recordTimes(boolean on) {
        recordTimes = on;
    }

    Map<String, ChangesetRun> runs() {
        return runs;
    }

    /** Every changeset that ran, in order, including re-runs. */
    List<String> ranOrder() {
        return ranOrder;
    }

    /** Whether the last changeset that ran executed (rather than being marked ran or skipped). */
    boolean lastExecuted() {
        return lastExecuted;
    }

    /**
     * Whether the last changeset that ran failed and {@code failOnError="false"} let the update go on: Liquibase
     * recorded no row for it, so an update by count runs it again.
     */
    boolean lastFailureIgnored() {
        String last = lastRan();
        return last != null && runs.containsKey(last) && runs.get(last).failureIgnored();
    }

    String lastRan() {
        return ranOrder.isEmpty() ? null : ranOrder.get(ranOrder.size() - 1);
    }

    boolean anyFailed() {
        return runs.values().stream().anyMatch(r -> !r.passed());
    }

    String rollbackFailure() {
        return rollbackFailure;
    }

    @Override
    public void willRun(
            ChangeSet changeSet,
            DatabaseChangeLog databaseChangeLog,
            Database database,
            ChangeSet.RunStatus runStatus) {
        started = System.nanoTime();
        if (tracer != null) {
            tracer.willRun(changeSet, databaseChangeLog, database, runStatus);
        }
    }

    @Override
    public void ran(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ChangeSet.ExecType execType) {
        String key = ChangesetKey.of(changeSet);
        if (recordTimes || !runs.containsKey(key)) {
            runs.put(
                    key,
                    new ChangesetRun(
                            key,
                            true,
                            (System.nanoTime() - started) / 1_000_000,
                            null,
                            execType == null ? null : execType.value));
        }
        ranOrder.add(key);
        if (tracer != null) {
            tracer.ran(changeSet, databaseChangeLog, database, execType);
        }
        lastExecuted = execType == ChangeSet.ExecType.EXECUTED || execType == ChangeSet.ExecType.RERAN;
        try {
            afterRun.ran(changeSet, execType);
        } catch (SeedException e) {
            throw e;
        } catch (Exception e) {
            throw new SeedException("Seed data after changeset " + key + " could not be loaded: "
                    + LiquibaseMessages.rootMessage(e)
                    + ". Check the seed CSV (its header names columns of the table and every"
                    + " value fits its column) and 'afterChangeset'.");
        }
    }

    @Override
    public void runFailed(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        String key = ChangesetKey.of(changeSet);
        runs.put(
                key,
                new ChangesetRun(
                        key,
                        false,
                        (System.nanoTime() - started) / 1_000_000,
                        Failures.changesetError(exception),
                        null));
        if (tracer != null) {
            tracer.runFailed(changeSet, databaseChangeLog, database, exception);
        }
    }

    @Override
    public void rollbackFailed(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        rollbackFailure = "rolling back changeset " + ChangesetKey.of(changeSet) + " failed: "
                + Failures.changesetError(exception);
    }

    @Override
    public void willRollback(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {}

    @Override
    public void rolledBack(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {
        if (tracer != null) {
            tracer.rolledBack(changeSet, databaseChangeLog, database);
        }
        try {
            afterRollback.rolledBack(changeSet);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the schema after rolling back changeset " + ChangesetKey.of(changeSet) + " could not be read: "
                            + LiquibaseMessages.rootMessage(e),
                    e);
        }
    }

    @Override
    public void preconditionFailed(PreconditionFailedException error, PreconditionContainer.FailOption onFail) {}

    @Override
    public void preconditionErrored(PreconditionErrorException error, PreconditionContainer.ErrorOption onError) {}

    @Override
    public void willRun(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        if (tracer != null) {
            tracer.willRun(change, changeSet, changeLog, database);
        }
    }

    @Override
    public void ran(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        if (tracer != null) {
            tracer.ran(change, changeSet, changeLog, database);
        }
    }
}
