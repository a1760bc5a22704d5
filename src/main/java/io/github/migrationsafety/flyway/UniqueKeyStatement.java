package io.github.migrationsafety.flyway;

import java.util.ArrayList;
import java.util.List;

/**
 * Recognizes the SQL statements that add a unique key to a table that may already hold rows:
 * {@code ALTER TABLE [IF EXISTS] [ONLY] t ADD [CONSTRAINT c] UNIQUE [NULLS [NOT] DISTINCT] (a, b)} (each
 * {@code ADD} of a statement with several actions) and
 * {@code CREATE UNIQUE INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] t [USING m] (a, b)}. Identifiers are kept
 * as written, quoted ones with their quotes, so the database resolves them as it will when the migration runs. An
 * index over an expression, or a partial one ({@code WHERE}), is not a key over columns that dedupe can check: it is
 * returned as skipped, with the reason.
 */
final class UniqueKeyStatement {

    /**
     * One key the statement adds, or one it adds that cannot be checked.
     *
     * @param table   {@code t} or {@code schema.t}, as written
     * @param columns the key's columns, as written; empty when skipped
     * @param change  {@code ADD UNIQUE} or {@code CREATE UNIQUE INDEX}
     * @param skipped why dedupe cannot check it, or {@code null}
     * @param nullsNotDistinct {@code NULLS NOT DISTINCT} (PostgreSQL 15+): rows with NULL key values are duplicates too
     */
    record Key(String table, List<String> columns, String change, String skipped, boolean nullsNotDistinct) {

        Key(String table, List<String> columns, String change, String skipped) {
            this(table, columns, change, skipped, false);
        }
    }

    static final String ADD_UNIQUE = "ADD UNIQUE";
    static final String CREATE_UNIQUE_INDEX = "CREATE UNIQUE INDEX";

    private final List<String> tokens;
    private int at;

    private UniqueKeyStatement(List<String> tokens) {
        this.tokens = tokens;
    }

    /** The unique keys {@code sql} (one statement) adds; empty for any other statement. */
    static List<Key> keys(String sql) {
        UniqueKeyStatement statement = new UniqueKeyStatement(tokens(sql));
        if (statement.word("ALTER") && statement.word("TABLE")) {
            return statement.alterTable();
        }
        statement.at = 0;
        if (statement.word("CREATE") && statement.word("UNIQUE") && statement.word("INDEX")) {
            return statement.createIndex();
        }
        return List.of();
    }

    private List<Key> alterTable() {
        if (word("IF")) {
            if (!word("EXISTS")) {
                return List.of();
            }
        }
        word("ONLY");
        String table = name();
        if (table == null) {
            return List.of();
        }
        word("*");
        List<Key> keys = new ArrayList<>();
        while (at < tokens.size()) {
            if (word("ADD")) {
                if (word("CONSTRAINT")) {
                    name();
                }
                if (word("UNIQUE")) {
                    boolean notDistinct = nullsNotDistinct();
                    if (peek("(")) {
                        List<String> columns = columns();
                        if (columns != null && !columns.isEmpty()) {
                            keys.add(new Key(table, columns, ADD_UNIQUE, null, notDistinct));
                        } else {
                            keys.add(new Key(table, List.of(), ADD_UNIQUE, "its key is not a list of columns"));
                        }
                    }
                }
            }
            skipToNextAction();
        }
        return keys;
    }

    private List<Key> createIndex() {
        word("CONCURRENTLY");
        if (word("IF")) {
            if (!(word("NOT") && word("EXISTS"))) {
                return List.of();
            }
        }
        if (!word("ON")) {
            if (name() == null || !word("ON")) {
                return List.of();
            }
        }
        word("ONLY");
        String table = name();
        if (table == null) {
            return List.of();
        }
        if (word("USING")) {
            at++;
        }
        if (!peek("(")) {
            return List.of();
        }
        List<String> columns = columns();
        if (columns == null) {
            return List.of(new Key(
                    table, List.of(), CREATE_UNIQUE_INDEX, "it is an index over an expression, not over columns"));
        }
        boolean notDistinct = false;
        int depth = 0;
        for (int i = at; i < tokens.size(); i++) {
            String token = tokens.get(i);
            depth += token.equals("(") ? 1 : token.equals(")") ? -1 : 0;
            if (depth == 0 && token.equalsIgnoreCase("WHERE")) {
                return List.of(new Key(
                        table,
                        List.of(),
                        CREATE_UNIQUE_INDEX,
                        "it is a partial index (WHERE), unique only over some rows"));
            }
            if (depth == 0
                    && token.equalsIgnoreCase("NULLS")
                    && i + 2 < tokens.size()
                    && tokens.get(i + 1).equalsIgnoreCase("NOT")
                    && tokens.get(i + 2).equalsIgnoreCase("DISTINCT")) {
                notDistinct = true;
            }
        }
        return List.of(new Key(table, columns, CREATE_UNIQUE_INDEX, null, notDistinct));
    }

    /** {@code NULLS [NOT] DISTINCT} after UNIQUE: whether it says NOT DISTINCT. */
    private boolean nullsNotDistinct() {
        if (word("NULLS")) {
            boolean not = word("NOT");
            word("DISTINCT");
            return not;
        }
        return false;
    }

    /**
     * The parenthesized list at the cursor, as columns: each element one identifier, optionally followed by
     * {@code COLLATE x}, an operator class, {@code ASC}/{@code DESC}, {@code NULLS FIRST/LAST}. {@code null} when an
     * element is an expression.
     */
    private List<String> columns() {
        at++; // (
        List<String> columns = new ArrayList<>();
        boolean plain = true;
        boolean first = true;
        int depth = 1;
        while (at < tokens.size() && depth > 0) {
            String token = tokens.get(at++);
            if (token.equals("(")) {
                depth++;
                plain = false;
            } else if (token.equals(")")) {
                depth--;
            } else if (depth == 1 && token.equals(",")) {
                first = true;
            } else if (depth == 1 && first) {
                first = false;
                if (identifier(token)) {
                    columns.add(token);
                } else {
                    plain = false;
                }
            } else if (depth == 1 && !identifier(token) && !token.equals(".")) {
                plain = false; // an operator: an expression
            }
        }
        return plain ? columns : null;
    }

    /** Past the current {@code ALTER TABLE} action: to the token after the next top-level comma, or the end. */
    private void skipToNextAction() {
        int depth = 0;
        while (at < tokens.size()) {
            String token = tokens.get(at++);
            if (token.equals("(")) {
                depth++;
            } else if (token.equals(")")) {
                depth--;
            } else if (token.equals(",") && depth == 0) {
                return;
            }
        }
    }

    /** A possibly qualified name at the cursor ({@code a}, {@code s.a}, {@code "S"."a"}), as written. */
    private String name() {
        if (at >= tokens.size() || !identifier(tokens.get(at))) {
            return null;
        }
        StringBuilder name = new StringBuilder(tokens.get(at++));
        while (at + 1 < tokens.size() && tokens.get(at).equals(".") && identifier(tokens.get(at + 1))) {
            name.append('.').append(tokens.get(at + 1));
            at += 2;
        }
        return name.toString();
    }

    private boolean word(String expected) {
        if (at < tokens.size() && tokens.get(at).equalsIgnoreCase(expected)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean peek(String expected) {
        return at < tokens.size() && tokens.get(at).equals(expected);
    }

    private static boolean identifier(String token) {
        char c = token.charAt(0);
        return c == '"' || c == '`' || c == '_' || Character.isLetter(c);
    }

    /**
     * The statement's tokens: identifiers and keywords as written, quoted identifiers with their quotes, string
     * literals, numbers, and each other character alone; comments and whitespace left out.
     */
    static List<String> tokens(String sql) {
        List<String> tokens = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 0;
                do {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                } while (i < n && depth > 0);
            } else if (c == '"' || c == '\'' || c == '`') {
                int start = i++;
                while (i < n) {
                    if (sql.charAt(i) == c) {
                        if (i + 1 < n && sql.charAt(i + 1) == c) {
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    i++;
                }
                tokens.add(sql.substring(start, i));
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int start = i;
                while (i < n
                        && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(sql.substring(start, i));
            } else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
        return tokens;
    }
}
