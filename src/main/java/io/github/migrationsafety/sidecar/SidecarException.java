package io.github.migrationsafety.sidecar;

/**
 * The sidecar goals cannot run: a parameter is wrong, a file cannot be read, the signing key is required
 * but missing. The message is written for the user, names the parameter or file and says what to do, and
 * never contains the signing key.
 */
public class SidecarException extends Exception {

    public SidecarException(String message) {
        super(message);
    }

    public SidecarException(String message, Throwable cause) {
        super(message, cause);
    }
}
