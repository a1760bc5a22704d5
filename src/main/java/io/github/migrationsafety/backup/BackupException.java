package io.github.migrationsafety.backup;

/**
 * A backup cannot be written or read: its directory is not writable, a file cannot be read, or the backup is
 * incomplete, damaged or not in the format its manifest names. The message names the directory or file and the fix.
 * Database faults stay {@link io.github.migrationsafety.db.DatabaseException}.
 */
public class BackupException extends Exception {

    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
