package io.github.migrationsafety.dedupe;

/**
 * Checks the text of the {@code where} parameter before it is ever sent to the database.
 *
 * <p>The predicate is user-written SQL by design, so it cannot be quoted like an identifier. It is accepted
 * only if it is a single plain expression: no statement separator ({@code ;}), no comment ({@code --},
 * {@code /*}), and parentheses that balance without closing more than they open (so it cannot break out of the
 * {@code WHERE (...)} it is wrapped in). The engine then parses it for real inside a read-only transaction
 * ({@code SELECT 1 FROM t WHERE (<where>) AND 1=0}) before using it.
 */
final class ScopePredicate {

    private ScopePredicate() {}

    /** Returns the predicate stripped, or throws with a message that says what is not allowed. */
    static String check(String where) {
        String text = where.strip();
        String problem = null;
        if (text.contains(";")) {
            problem = "it contains ';'";
        } else if (text.contains("--") || text.contains("/*") || text.contains("*/")) {
            problem = "it contains a comment ('--' or '/*')";
        } else {
            int depth = 0;
            boolean quoted = false;
            for (int i = 0; i < text.length() && problem == null; i++) {
                char c = text.charAt(i);
                if (c == '\'') {
                    quoted = !quoted;
                } else if (!quoted && c == '(') {
                    depth++;
                } else if (!quoted && c == ')' && --depth < 0) {
                    problem = "it closes a parenthesis it did not open";
                }
            }
            if (problem == null && (depth != 0 || quoted)) {
                problem = "its parentheses or quotes are not balanced";
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("Parameter 'where': '" + text + "' is rejected because " + problem
                    + ". Give one plain SQL condition on the table's columns, e.g. created_at < DATE '2025-01-01';"
                    + " statement separators and comments are never allowed.");
        }
        return text;
    }
}
