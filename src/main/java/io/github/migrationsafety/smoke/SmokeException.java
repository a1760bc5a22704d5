package io.github.migrationsafety.smoke;

/**
 * The smoke (or gate) cannot run at all: a parameter points nowhere, a file cannot be read, a database
 * cannot be started. The message names the parameter or file and says what to change.
 */
public class SmokeException extends Exception {

    public SmokeException(String message) {
        super(message);
    }

    public SmokeException(String message, Throwable cause) {
        super(message, cause);
    }
}
