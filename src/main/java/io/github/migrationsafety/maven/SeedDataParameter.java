package io.github.migrationsafety.maven;

import java.io.File;

/**
 * One {@code <seed>} of the smoke goal's {@code seedData}: a CSV file loaded into a table during the update.
 * <pre>{@code
 * <seed>
 *   <table>model_metadata</table>
 *   <file>src/test/resources/seed/model_metadata.csv</file>
 *   <afterChangeset>create-model-metadata</afterChangeset>  <!-- optional -->
 * </seed>
 * }</pre>
 */
public class SeedDataParameter {

    /** Table the rows go into. Required. */
    private String table;

    /** CSV file with a header row naming the columns; an empty field is NULL. Required. */
    private File file;

    /**
     * Id (or {@code path::id::author}) of the changeset after which the rows are loaded. Default: the changeset
     * that creates the table.
     */
    private String afterChangeset;

    public String getTable() {
        return table;
    }

    public File getFile() {
        return file;
    }

    public String getAfterChangeset() {
        return afterChangeset;
    }
}
