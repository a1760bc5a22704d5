package io.github.migrationsafety.report;

import java.util.List;

/**
 * A table a goal adds to its Markdown summary, after the figures, e.g. the smoke's production impact per
 * changeset. Cells are plain text.
 *
 * @param title   heading shown above it
 * @param headers column headers
 * @param rows    one list of cells per row, as many as headers
 */
public record ReportTable(String title, List<String> headers, List<List<String>> rows) {

    public ReportTable {
        headers = List.copyOf(headers);
        rows = rows.stream().map(List::copyOf).toList();
    }
}
