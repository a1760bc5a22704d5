package io.github.migrationsafety.smoke;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Rows loaded into a table during the smoke update so that data-dependent changes (a unique constraint over
 * duplicate rows, a NOT NULL over empty values) fail in the build instead of in production.
 *
 * <p>When the rows are loaded: right after the changeset named by {@code afterChangeset} (its id, or
 * {@code path::id::author}) ran; without it, right after the first changeset that creates {@code table}
 * ({@code createTable}). Either way they are in the table before every later changeset runs, which is
 * where production data would be.
 *
 * @param table          table the rows go into
 * @param file           CSV file with a header row naming the columns; an empty field is NULL
 * @param afterChangeset changeset after which the rows are loaded, or {@code null}
 */
public record SeedData(String table, Path file, String afterChangeset) {

    public SeedData {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(file, "file");
    }
}
