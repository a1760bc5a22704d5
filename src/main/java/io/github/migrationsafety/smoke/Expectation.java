package io.github.migrationsafety.smoke;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema element that must exist after the update, written as {@code kind:target}:
 * {@code table:model_metadata}, {@code column:model_metadata.name}, {@code notNull:model_metadata.name},
 * {@code unique:model_metadata(name, version)}, {@code index:model_metadata(name)},
 * {@code primaryKey:model_metadata(id)}. Names are compared case-insensitively.
 *
 * @param text  the expectation as configured
 * @param kind  what must exist
 * @param table table name, lower case
 * @param columns column names, lower case, in the order given
 */
public record Expectation(String text, Kind kind, String table, List<String> columns) {

    public enum Kind {
        TABLE,
        COLUMN,
        NOT_NULL,
        UNIQUE,
        INDEX,
        PRIMARY_KEY
    }

    private static final Pattern TABLE_COLUMNS = Pattern.compile("([\\w.$]+)\\s*\\(([^)]*)\\)");
    private static final Pattern TABLE_COLUMN = Pattern.compile("([\\w$]+(?:\\.[\\w$]+)?)\\.([\\w$]+)");

    public static Expectation parse(String text) throws SmokeException {
        String trimmed = text == null ? "" : text.strip();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            throw invalid(trimmed);
        }
        String kind = trimmed.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String target = trimmed.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
        switch (kind) {
            case "table":
                if (!target.matches("[\\w.$]+")) {
                    throw invalid(trimmed);
                }
                return new Expectation(trimmed, Kind.TABLE, target, List.of());
            case "column", "notnull":
                Matcher column = TABLE_COLUMN.matcher(target);
                if (!column.matches()) {
                    throw invalid(trimmed);
                }
                return new Expectation(
                        trimmed,
                        kind.equals("column") ? Kind.COLUMN : Kind.NOT_NULL,
                        column.group(1),
                        List.of(column.group(2)));
            case "unique", "index", "primarykey":
                Matcher columns = TABLE_COLUMNS.matcher(target);
                if (!columns.matches() || columns.group(2).isBlank()) {
                    throw invalid(trimmed);
                }
                List<String> names = Arrays.stream(columns.group(2).split(","))
                        .map(String::strip)
                        .toList();
                Kind k = kind.equals("unique") ? Kind.UNIQUE : kind.equals("index") ? Kind.INDEX : Kind.PRIMARY_KEY;
                return new Expectation(trimmed, k, columns.group(1), names);
            default:
                throw invalid(trimmed);
        }
    }

    private static SmokeException invalid(String text) {
        return new SmokeException("Parameter 'expectations': cannot read '" + text + "'. Write one of"
                + " table:T, column:T.c, notNull:T.c, unique:T(a, b), index:T(a), primaryKey:T(id).");
    }

    /** Whether the snapshot has the element. */
    public boolean heldBy(SchemaSnapshot snapshot) {
        String t = table.contains(".") ? table.substring(table.lastIndexOf('.') + 1) : table;
        return switch (kind) {
            case TABLE -> snapshot.lines().contains("table " + t);
            case COLUMN ->
                snapshot.lines().stream().anyMatch(l -> l.startsWith("column " + t + "." + columns.get(0) + " "));
            case NOT_NULL ->
                snapshot.lines().stream()
                        .anyMatch(l ->
                                l.startsWith("column " + t + "." + columns.get(0) + " ") && l.endsWith(" not null"));
            case UNIQUE -> hasColumns(snapshot, List.of("unique index ", "primary key "), t);
            case INDEX -> hasColumns(snapshot, List.of("unique index ", "index ", "primary key "), t);
            case PRIMARY_KEY -> snapshot.lines().contains("primary key " + t + "(" + String.join(", ", columns) + ")");
        };
    }

    private boolean hasColumns(SchemaSnapshot snapshot, List<String> prefixes, String t) {
        List<String> wanted = columns.stream().sorted().toList();
        for (String line : snapshot.lines()) {
            for (String prefix : prefixes) {
                if (line.startsWith(prefix + t + "(")) {
                    String inside = line.substring((prefix + t + "(").length(), line.length() - 1);
                    if (Arrays.stream(inside.split(", ")).sorted().toList().equals(wanted)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
