package io.github.migrationsafety.smoke;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the changelog is and how to read it, shared by smoke and gate so both see the same files.
 *
 * @param directory   the runtime root the application's Liquibase resolves paths against, e.g.
 *                    {@code src/main/resources}; changeset identities are relative to it
 * @param file        the master changelog, relative to {@code directory}
 * @param parameters  changelog parameters ({@code ${name}} substitutions)
 * @param dialect     Liquibase short database name for offline work, e.g. {@code postgresql}
 * @param classLoader loads {@code customChange} classes: the project's compile classpath
 */
public record ChangelogSource(
        Path directory, String file, Map<String, String> parameters, String dialect, ClassLoader classLoader) {

    public ChangelogSource {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(file, "file");
        parameters = Map.copyOf(parameters);
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(classLoader, "classLoader");
    }
}
