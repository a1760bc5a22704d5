package io.github.migrationsafety.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Masks known secret values (database passwords, signing keys) in text that leaves the process.
 * The engine is written not to emit secrets at all; this is the second line of defence applied to every
 * log line and report.
 */
public final class Redactor {

    public static final String MASK = "****";

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    public static Redactor none() {
        return new Redactor(List.of());
    }

    /** Empty and null values are ignored; longer secrets are masked first so overlaps mask fully. */
    public static Redactor of(Collection<String> secrets) {
        return new Redactor(secrets.stream()
                .filter(Objects::nonNull)
                .filter(s -> !s.isEmpty())
                .sorted((a, b) -> b.length() - a.length())
                .toList());
    }

    public Redactor with(String secret) {
        if (secret == null || secret.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(secrets);
        all.add(secret);
        return of(all);
    }

    public String redact(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }
}
