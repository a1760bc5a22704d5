package io.github.migrationsafety.smoke;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the changelog is and how the application's Liquibase reads it, shared by smoke and gate so both see the
 * same files and the same property values.
 *
 * @param directory   the runtime root the application's Liquibase resolves paths against, e.g.
 *                    {@code src/main/resources}; changeset identities are relative to it
 * @param file        the master changelog, relative to {@code directory}
 * @param parameters  changelog parameters ({@code ${name}} substitutions)
 * @param contexts    the context expression the update runs with, or {@code null} for none: Liquibase sets it on
 *                    its changelog parameters before it parses, so a {@code <property context="...">} takes the
 *                    value for these contexts
 * @param labels      the label expression, or {@code null} for none; it scopes properties the same way
 * @param dialect     Liquibase short database name for offline work, e.g. {@code postgresql}
 * @param classLoader loads {@code customChange} classes: the project's compile classpath
 */
public record ChangelogSource(
        Path directory,
        String file,
        Map<String, String> parameters,
        String contexts,
        String labels,
        String dialect,
        ClassLoader classLoader) {

    public ChangelogSource {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(file, "file");
        parameters = Map.copyOf(parameters);
        contexts = blankToNull(contexts);
        labels = blankToNull(labels);
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(classLoader, "classLoader");
    }

    /** A changelog read without contexts or labels: every property definition's first value applies. */
    public ChangelogSource(
            Path directory, String file, Map<String, String> parameters, String dialect, ClassLoader classLoader) {
        this(directory, file, parameters, null, null, dialect, classLoader);
    }

    /** The same changelog read for another database (offline work, or a second dialect). */
    public ChangelogSource withDialect(String otherDialect) {
        return new ChangelogSource(directory, file, parameters, contexts, labels, otherDialect, classLoader);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
