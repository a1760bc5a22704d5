package io.github.migrationsafety.report;

import java.time.Duration;
import java.util.Objects;

/**
 * One unit of work a goal did, shown as one test case in JUnit XML: a changeset, an artifact, a table.
 *
 * @param group   JUnit class name, e.g. {@code smoke.h2}
 * @param name    JUnit test name, e.g. a changeset id
 * @param time    how long it took
 * @param outcome passed, failed or skipped
 * @param detail  failure or skip reason, {@code null} when passed
 */
public record Check(String group, String name, Duration time, Outcome outcome, String detail) {

    public enum Outcome {
        PASSED,
        FAILED,
        SKIPPED
    }

    public Check {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static Check passed(String group, String name, Duration time) {
        return new Check(group, name, time, Outcome.PASSED, null);
    }

    public static Check failed(String group, String name, Duration time, String detail) {
        return new Check(group, name, time, Outcome.FAILED, detail);
    }
}
