package io.github.migrationsafety.rehearsal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One difference between the schema production's applied changesets make and production's own schema.
 *
 * @param object   what differs, e.g. {@code column owner.label}, {@code index idx_name on model_metadata}
 * @param table    the table it belongs to
 * @param column   the column, or {@code null} when the difference is not one column's
 * @param expected what the applied changesets make ({@code missing} when they make nothing of the kind)
 * @param actual   what production has ({@code missing} when it has nothing of the kind)
 */
record Drift(String object, String table, String column, String expected, String actual) {

    static final String MISSING = "missing";

    /** The differences of {@code actual} (production) from {@code expected} (the applied changesets' schema). */
    static List<Drift> between(Catalog expected, Catalog actual) {
        List<Drift> drifts = new ArrayList<>();
        for (Catalog.Table table : expected.tables().values()) {
            Catalog.Table other = actual.tables().get(table.name());
            if (other == null) {
                drifts.add(new Drift("table " + table.name(), table.name(), null, "exists", MISSING));
                continue;
            }
            columns(table, other, drifts);
            keyed(table, other, drifts);
        }
        for (Catalog.Table table : actual.tables().values()) {
            if (!expected.tables().containsKey(table.name())) {
                drifts.add(new Drift(
                        "table " + table.name(),
                        table.name(),
                        null,
                        MISSING,
                        "exists (" + table.columns().size() + " columns)"));
            }
        }
        return drifts;
    }

    private static void columns(Catalog.Table expected, Catalog.Table actual, List<Drift> drifts) {
        for (Catalog.Column column : expected.columns().values()) {
            Catalog.Column other = actual.columns().get(column.name());
            String object = "column " + expected.name() + "." + column.name();
            if (other == null) {
                drifts.add(new Drift(object, expected.name(), column.name(), column.describe(), MISSING));
            } else if (!Objects.equals(column, other)) {
                drifts.add(new Drift(object, expected.name(), column.name(), column.describe(), other.describe()));
            }
        }
        for (Catalog.Column column : actual.columns().values()) {
            if (!expected.columns().containsKey(column.name())) {
                drifts.add(new Drift(
                        "column " + expected.name() + "." + column.name(),
                        expected.name(),
                        column.name(),
                        MISSING,
                        column.describe()));
            }
        }
    }

    private static void keyed(Catalog.Table expected, Catalog.Table actual, List<Drift> drifts) {
        for (Map.Entry<String, Catalog.Keyed> entry : expected.keyed().entrySet()) {
            if (!actual.keyed().containsKey(entry.getKey())) {
                Catalog.Keyed keyed = entry.getValue();
                drifts.add(new Drift(
                        keyed.kind() + " " + keyed.name() + " on " + expected.name(),
                        expected.name(),
                        null,
                        keyed.definition(),
                        MISSING));
            }
        }
        for (Map.Entry<String, Catalog.Keyed> entry : actual.keyed().entrySet()) {
            if (!expected.keyed().containsKey(entry.getKey())) {
                Catalog.Keyed keyed = entry.getValue();
                drifts.add(new Drift(
                        keyed.kind() + " " + keyed.name() + " on " + expected.name(),
                        expected.name(),
                        null,
                        MISSING,
                        keyed.definition()));
            }
        }
    }

    /** "is missing in production", "exists only in production", "differs", in the tool's {@code terms}. */
    String verb(Terms terms) {
        if (actual.equals(MISSING)) {
            return "is missing in production: the applied " + terms.units() + " make it";
        }
        if (expected.equals(MISSING)) {
            return "exists in production, but no applied " + terms.unit() + " makes it";
        }
        return "differs in production from what the applied " + terms.units() + " make";
    }
}
