package io.github.migrationsafety.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTML table: a caption, column headers with {@code scope="col"}, and rows whose first cell may be the row's
 * header ({@code scope="row"}). Sortable tables get the class the page's script looks for; without script they
 * are plain tables in the order given.
 */
final class HtmlTable {

    /** What one cell shows, written into the page (escaped by {@link Html}). */
    @FunctionalInterface
    interface Cell {
        void write(Html out);
    }

    private final String caption;
    private final List<String> headers;
    private final List<List<Cell>> rows = new ArrayList<>();
    private final List<String> rowClasses = new ArrayList<>();
    private boolean rowHeaders;
    private boolean sortable = true;
    private String cssClass;

    HtmlTable(String caption, String... headers) {
        this.caption = caption;
        this.headers = List.of(headers);
    }

    HtmlTable rowHeaders() {
        rowHeaders = true;
        return this;
    }

    HtmlTable unsorted() {
        sortable = false;
        return this;
    }

    HtmlTable withClass(String name) {
        cssClass = name;
        return this;
    }

    HtmlTable row(Cell... cells) {
        return classedRow(null, cells);
    }

    /** A row with a class, e.g. {@code failed}: the style sheet tints it; the cells say it in words. */
    HtmlTable classedRow(String cssClass, Cell... cells) {
        rows.add(List.of(cells));
        rowClasses.add(cssClass);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void write(Html out) {
        String classes = String.join(" ", sortable ? "sortable" : "", cssClass == null ? "" : cssClass)
                .trim();
        out.open("div", "class", "scroll").open("table", "class", classes.isEmpty() ? null : classes);
        out.element("caption", caption).open("thead").open("tr");
        for (String header : headers) {
            out.element("th", header, "scope", "col");
        }
        out.close("tr").close("thead").open("tbody").newline();
        for (int r = 0; r < rows.size(); r++) {
            List<Cell> row = rows.get(r);
            out.open("tr", "class", rowClasses.get(r));
            for (int i = 0; i < row.size(); i++) {
                boolean header = i == 0 && rowHeaders;
                out.open(header ? "th" : "td", "scope", header ? "row" : null);
                row.get(i).write(out);
                out.close(header ? "th" : "td");
            }
            out.close("tr").newline();
        }
        out.close("tbody").close("table").close("div").newline();
    }

    static Cell text(String text) {
        return out -> out.text(text);
    }

    static Cell code(String text) {
        return out -> out.element("code", text);
    }

    /** A status as a word, with a symbol and a colour that repeat it (never colour alone). */
    static Cell status(String status) {
        return out -> badge(out, status);
    }

    static void badge(Html out, String status) {
        String word = status == null ? "unknown" : status.toLowerCase(Locale.ROOT);
        String symbol = switch (word) {
            case "passed", "keep", "ok", "verified" -> "\u2713 ";
            case "failed", "error", "delete" -> "\u2717 ";
            case "skipped", "warning", "not checked" -> "\u2013 ";
            default -> "";
        };
        out.open("span", "class", "badge " + cssWord(word)).text(symbol + word).close("span");
    }

    /** A millisecond figure as people read it: 92 ms, 13.1 s, 2.5 min. */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
    }

    private static String cssWord(String word) {
        return switch (word) {
            case "passed", "keep", "ok", "verified" -> "ok";
            case "failed", "error", "delete" -> "bad";
            case "skipped", "warning", "not checked" -> "warn";
            default -> "info";
        };
    }
}
