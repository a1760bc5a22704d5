package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.LiquibaseMessages;

/** The database's own words for why a changeset failed. */
public final class Failures {

    private Failures() {}

    /** The database's own words for why a changeset failed, without Liquibase's wrapping. */
    public static String changesetError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SeedException) {
                return t.getMessage();
            }
        }
        return LiquibaseMessages.rootMessage(error);
    }
}
