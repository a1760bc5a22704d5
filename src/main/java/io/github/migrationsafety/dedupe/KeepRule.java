package io.github.migrationsafety.dedupe;

import java.util.Locale;

/**
 * Which row of a duplicate group survives. Ties on a time column are broken by the lowest id so the
 * choice is deterministic; rows whose time column is NULL are kept last.
 *
 * @param kind   the rule
 * @param column the time column for {@code newest}/{@code oldest}, as configured; {@code null} otherwise
 */
public record KeepRule(Kind kind, String column) {

    public enum Kind {
        LOWEST_ID,
        HIGHEST_ID,
        NEWEST,
        OLDEST
    }

    /** Parses {@code lowest-id}, {@code highest-id}, {@code newest:<column>} or {@code oldest:<column>}. */
    public static KeepRule parse(String text) {
        String value = text == null ? "" : text.strip();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("lowest-id")) {
            return new KeepRule(Kind.LOWEST_ID, null);
        }
        if (lower.equals("highest-id")) {
            return new KeepRule(Kind.HIGHEST_ID, null);
        }
        int colon = value.indexOf(':');
        if (colon > 0 && colon < value.length() - 1) {
            String prefix = lower.substring(0, colon);
            String column = value.substring(colon + 1).strip();
            if (prefix.equals("newest") && !column.isEmpty()) {
                return new KeepRule(Kind.NEWEST, column);
            }
            if (prefix.equals("oldest") && !column.isEmpty()) {
                return new KeepRule(Kind.OLDEST, column);
            }
        }
        throw new IllegalArgumentException("Parameter 'keep': '" + value + "' is not a keep rule. Use lowest-id,"
                + " highest-id, newest:<column> or oldest:<column> (e.g. newest:created_at).");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LOWEST_ID -> "lowest-id";
            case HIGHEST_ID -> "highest-id";
            case NEWEST -> "newest:" + column;
            case OLDEST -> "oldest:" + column;
        };
    }
}
