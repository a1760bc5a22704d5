package io.github.migrationsafety.dedupe;

import java.util.Locale;

/** What {@code apply} does with rows to delete that other tables reference by foreign key. */
public enum OnReferences {
    /** List the referencing tables and rows, change nothing. */
    FAIL,
    /** Point the references at the kept row of the group, in the same transaction, and record the old values. */
    REPOINT;

    public static OnReferences parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "fail" -> FAIL;
            case "repoint" -> REPOINT;
            default ->
                throw new IllegalArgumentException(
                        "Parameter 'onReferences': '" + text
                                + "' is not supported. Use fail (stop and list the references) or repoint (move them to the kept row).");
        };
    }
}
