package io.github.migrationsafety.report;

import java.util.Objects;

/**
 * Why a team accepts a finding: the reason they gave and where they gave it. A suppressed finding stays in every
 * report with this, and neither fails the goal nor prints as a warning or an error.
 *
 * @param reason   the reason, never blank
 * @param where    where the suppression is written, e.g. {@code db/changelog/master.xml:12} or
 *                 {@code POM <suppressions> entry 1}
 * @param inSource {@code true} when it is written next to the code it is about (the changelog), {@code false} when
 *                 it is kept apart (the POM): SARIF's {@code inSource} and {@code external} kinds
 */
public record Suppression(String reason, String where, boolean inSource) {

    public Suppression {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(where, "where");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a suppression needs a reason");
        }
    }

    /** {@code suppressed (reason: ...; db/changelog/master.xml:12)}: how the text reports show it. */
    public String describe() {
        return "suppressed (reason: " + reason + "; " + where + ")";
    }
}
