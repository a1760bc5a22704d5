package io.github.migrationsafety.changelog;

import liquibase.changelog.ChangeSet;

/** The one string that names a changeset everywhere in the plugin: findings, reports, traces and the gate. */
public final class ChangesetKey {

    private ChangesetKey() {}

    /** {@code path::id::author}, as Liquibase prints a changeset (without its checksum). */
    public static String of(ChangeSet changeSet) {
        return changeSet.toString(false);
    }
}
