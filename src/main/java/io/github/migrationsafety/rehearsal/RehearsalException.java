package io.github.migrationsafety.rehearsal;

/** The rehearsal cannot run: no pg_dump that reads production, no access, a schema that does not restore. */
public final class RehearsalException extends Exception {

    private static final long serialVersionUID = 1L;

    public RehearsalException(String message) {
        super(message);
    }

    public RehearsalException(String message, Throwable cause) {
        super(message, cause);
    }
}
