package io.github.migrationsafety.report;

import java.util.Objects;

/**
 * One thing a check found: what it is about, what was expected, what was there, and how to fix it.
 *
 * @param severity {@link Severity#ERROR} fails the goal
 * @param rule     stable identifier of the check, e.g. {@code dedupe.duplicate-group}
 * @param subject  what the finding is about: a table, a row, a file, a changeset
 * @param message  one sentence for the user
 * @param expected expected value, or {@code null}
 * @param actual   actual value, or {@code null}
 * @param hint     how to fix it, or {@code null}
 * @param file     file the finding points to, or {@code null}
 * @param line     1-based line in {@code file}, or 0 when unknown
 */
public record Finding(
        Severity severity,
        String rule,
        String subject,
        String message,
        String expected,
        String actual,
        String hint,
        String file,
        int line) {

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }

    public static Finding error(String rule, String subject, String message) {
        return new Finding(Severity.ERROR, rule, subject, message, null, null, null, null, 0);
    }

    public static Finding warning(String rule, String subject, String message) {
        return new Finding(Severity.WARNING, rule, subject, message, null, null, null, null, 0);
    }

    public Finding withExpectation(String expectedValue, String actualValue) {
        return new Finding(severity, rule, subject, message, expectedValue, actualValue, hint, file, line);
    }

    public Finding withHint(String fix) {
        return new Finding(severity, rule, subject, message, expected, actual, fix, file, line);
    }

    public Finding at(String filePath, int lineNumber) {
        return new Finding(severity, rule, subject, message, expected, actual, hint, filePath, lineNumber);
    }

    /** The finding as one log line: subject, message, expected/actual and fix. */
    public String describe() {
        return text(false);
    }

    /**
     * The line the build log shows: {@link #describe()} with the rule id after the location, as Checkstyle and PMD
     * print theirs. It is what a developer reads first, looks up in the docs and names to suppress the finding.
     */
    public String logLine() {
        return text(true);
    }

    private String text(boolean withRule) {
        StringBuilder text = new StringBuilder();
        text.append(subject).append(": ").append(message);
        if (expected != null || actual != null) {
            text.append(" (expected ")
                    .append(expected)
                    .append(", actual ")
                    .append(actual)
                    .append(')');
        }
        if (file != null) {
            text.append(" [").append(file).append(line > 0 ? ":" + line : "").append(']');
        }
        if (withRule) {
            text.append(" [").append(rule).append(']');
        }
        if (hint != null) {
            text.append(" Fix: ").append(hint);
        }
        return text.toString();
    }
}
