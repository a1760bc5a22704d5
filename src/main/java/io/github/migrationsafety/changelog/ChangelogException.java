package io.github.migrationsafety.changelog;

/**
 * The changelog cannot be read at all: a parameter points nowhere, a file is missing or does not parse. The message
 * names the parameter or file and says what to change.
 */
public class ChangelogException extends Exception {

    public ChangelogException(String message) {
        super(message);
    }

    public ChangelogException(String message, Throwable cause) {
        super(message, cause);
    }
}
