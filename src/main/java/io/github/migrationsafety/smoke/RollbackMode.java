package io.github.migrationsafety.smoke;

import java.util.Locale;

/** How the rollback round trip is tested. */
public enum RollbackMode {
    /**
     * Update, roll back everything while comparing the schema after each changeset's rollback with the schema
     * that changeset started from, update again, compare with the first result.
     */
    ALL,
    /** For each changeset: apply, roll back, compare with the schema before it, apply again. Names the bad one. */
    PER_CHANGESET,
    /** No rollback test. */
    OFF;

    public static RollbackMode parse(String value) throws SmokeException {
        return switch (value == null ? "all" : value.strip().toLowerCase(Locale.ROOT)) {
            case "all" -> ALL;
            case "per-changeset" -> PER_CHANGESET;
            case "off", "none" -> OFF;
            default ->
                throw new SmokeException(
                        "Parameter 'rollbackMode': unknown value '" + value + "'. Use all, per-changeset or off.");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
