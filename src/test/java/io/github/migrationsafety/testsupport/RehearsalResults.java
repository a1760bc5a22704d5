package io.github.migrationsafety.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.smoke.SmokeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the rehearsal tests read of a smoke's result, for Liquibase changelogs and Flyway migrations alike. */
public final class RehearsalResults {

    private RehearsalResults() {}

    /** Every finding as {@code severity rule subject: message [at] Fix: hint}. */
    public static List<String> describe(SmokeResult result) {
        return result.findings().stream()
                .map(f -> f.severity().label() + " " + f.rule() + " " + f.describe())
                .toList();
    }

    /** The findings of {@code rule}, without their hints. */
    public static List<String> describe(SmokeResult result, String rule) {
        return describe(result).stream()
                .filter(line -> line.contains(" " + rule + " "))
                .map(line -> line.replaceAll(" Fix: .*", ""))
                .toList();
    }

    /** The one finding of {@code rule}; fails naming every finding when there is not exactly one. */
    public static Finding single(SmokeResult result, String rule) {
        List<Finding> found =
                result.findings().stream().filter(f -> f.rule().equals(rule)).toList();
        assertEquals(1, found.size(), () -> describe(result).toString());
        return found.get(0);
    }

    /** The report's rehearsal data checks, as {@code changeset check: rows}. */
    public static List<String> data(SmokeResult result) {
        List<String> lines = new ArrayList<>();
        for (Object value : (List<?>) ((Map<?, ?>) result.summary().get("rehearsal")).get("data")) {
            Map<?, ?> entry = (Map<?, ?>) value;
            lines.add(entry.get("changeset") + " " + entry.get("check") + ": " + entry.get("rows"));
        }
        return lines;
    }
}
