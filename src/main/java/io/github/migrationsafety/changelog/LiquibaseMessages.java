package io.github.migrationsafety.changelog;

/** Turns Liquibase's nested exceptions into the one sentence a user needs. */
public final class LiquibaseMessages {

    private LiquibaseMessages() {}

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

    /** {@code message} on one line, without "Reason:" prefixes and Java exception class names. */
    public static String clean(String message) {
        return message.replaceAll("(?m)^\\s*Reason:\\s*", "")
                .replaceAll("\\b(?:[a-z]+\\.)+[A-Z]\\w*(?:Exception|Error): ", "")
                .replaceAll("\\s*\\R\\s*", " ")
                .strip();
    }
}
