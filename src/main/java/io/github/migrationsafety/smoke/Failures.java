package io.github.migrationsafety.smoke;

/** Turns Liquibase's nested exceptions into the one sentence a user needs. */
public final class Failures {

    private Failures() {}

    /** The most specific message in the cause chain, on one line, without Java class name prefixes. */
    public static String rootMessage(Throwable error) {
        String best = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                best = t.getMessage();
            }
        }
        if (best == null) {
            best = error.getClass().getSimpleName();
        }
        return clean(best);
    }

    /** The database's own words for why a changeset failed, without Liquibase's wrapping. */
    public static String changesetError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SeedException) {
                return t.getMessage();
            }
        }
        return rootMessage(error);
    }

    static String clean(String message) {
        String text = message.replaceAll("(?m)^\\s*Reason:\\s*", "")
                .replaceAll("\\b(?:[a-z]+\\.)+[A-Z]\\w*(?:Exception|Error): ", "")
                .replaceAll("\\s*\\R\\s*", " ")
                .strip();
        return text;
    }
}
