package io.github.migrationsafety.report;

import java.util.Locale;

/** How much a finding matters. Only {@link #ERROR} findings fail a goal. */
public enum Severity {
    ERROR,
    WARNING,
    INFO;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
