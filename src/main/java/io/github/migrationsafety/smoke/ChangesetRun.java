package io.github.migrationsafety.smoke;

import liquibase.changelog.ChangeSet;

/**
 * What happened to one changeset on one database.
 *
 * @param changeset {@code path::id::author}
 * @param passed    whether it did not stop the update: it applied, or it failed and {@code failOnError="false"}
 *                  let the update go on ({@link #failureIgnored})
 * @param millis    how long it took
 * @param error     why it failed, or {@code null}
 * @param execType  how Liquibase recorded it: {@code EXECUTED}, {@code MARK_RAN} (a precondition with
 *                  {@code onFail="MARK_RAN"} failed), {@code RERAN}; {@code FAILED} when it failed and
 *                  {@code failOnError="false"} let the update go on (Liquibase records no row for it then);
 *                  {@code null} when it failed the update
 */
public record ChangesetRun(String changeset, boolean passed, long millis, String error, String execType) {

    /** How Liquibase records a changeset whose failure {@code failOnError="false"} let pass. */
    private static final String FAILURE_IGNORED = ChangeSet.ExecType.FAILED.value;

    /**
     * It failed and {@code failOnError="false"} let the update go on: nothing of it applied (its transaction was
     * rolled back), Liquibase wrote no history row for it, and the next update runs it again.
     */
    boolean failureIgnored() {
        return FAILURE_IGNORED.equals(execType);
    }
}
