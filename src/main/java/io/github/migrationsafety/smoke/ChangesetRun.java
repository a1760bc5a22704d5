package io.github.migrationsafety.smoke;

/**
 * What happened to one changeset on one database.
 *
 * @param changeset {@code path::id::author}
 * @param passed    whether it applied
 * @param millis    how long it took
 * @param error     why it failed, or {@code null}
 * @param execType  how Liquibase recorded it: {@code EXECUTED}, {@code MARK_RAN} (a precondition with
 *                  {@code onFail="MARK_RAN"} failed), {@code RERAN}; {@code null} when it failed
 */
public record ChangesetRun(String changeset, boolean passed, long millis, String error, String execType) {}
