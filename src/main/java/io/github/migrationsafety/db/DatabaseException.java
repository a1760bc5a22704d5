package io.github.migrationsafety.db;

/**
 * The database could not be used: it is unreachable, refused the credentials, or a name in the
 * configuration does not exist. The message is written for the user and never contains a password.
 */
public class DatabaseException extends Exception {

    public DatabaseException(String message) {
        super(message);
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
