package io.github.migrationsafety.impact;

import liquibase.change.Change;
import liquibase.change.core.RawSQLChange;
import liquibase.change.core.SQLFileChange;

/** The SQL a Liquibase change carries, for the rules that read it before anything runs. */
public final class ChangeTargets {

    private ChangeTargets() {}

    /** The SQL of an {@code sql} or {@code sqlFile} change (formatted-SQL changesets are {@code sql}), or {@code null}. */
    public static String sql(Change change) {
        if (change instanceof RawSQLChange raw) {
            return raw.getSql();
        }
        if (change instanceof SQLFileChange file) {
            return file.getSql();
        }
        return null;
    }
}
