package io.github.migrationsafety.rehearsal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * What a pending changeset did to a table that exists in production, seen in the catalog before and after it ran
 * on production's schema: by effect, not by change type, so an {@code sql} change that adds a constraint counts like
 * {@code addUniqueConstraint}. Each effect is a condition production's rows must meet.
 */
sealed interface Effect {

    /** The table (production's spelling) whose rows must meet it. */
    String table();

    /** One line for the report: {@code NOT NULL on owner.label}. */
    String describe();

    /** What it requires, whatever its table and name: the same on a partition as on its partitioned table. */
    String requirement();

    /** A column became {@code NOT NULL}: no row may hold NULL there. */
    record NotNull(String table, String column) implements Effect {
        public String requirement() {
            return "NOT NULL " + column;
        }

        public String describe() {
            return "NOT NULL on " + table + "." + column;
        }
    }

    /**
     * A unique index, unique constraint or primary key: no two rows may share the key.
     *
     * @param columns     the key's elements: a column's name, or an expression as the index has it
     * @param expressions the positions in {@code columns} that are expressions ({@code lower((email)::text)})
     * @param nullsEqual  {@code NULLS NOT DISTINCT} (PostgreSQL 15): rows with NULL keys are duplicates too
     */
    record Unique(
            String table,
            String name,
            List<String> columns,
            String predicate,
            Set<Integer> expressions,
            boolean nullsEqual)
            implements Effect {

        Unique(String table, String name, List<String> columns, String predicate) {
            this(table, name, columns, predicate, Set.of(), false);
        }

        /** Element {@code i} of the key in SQL: its column, quoted, or its expression. */
        String key(int i) {
            return expressions.contains(i) ? columns.get(i) : DataCheck.quote(columns.get(i));
        }

        /** The key's columns, without its expressions. */
        List<String> plainColumns() {
            return IntStream.range(0, columns.size())
                    .filter(i -> !expressions.contains(i))
                    .mapToObj(columns::get)
                    .toList();
        }

        public String requirement() {
            return "unique " + columns + " " + expressions + " where " + predicate + (nullsEqual ? " nulls equal" : "");
        }

        public String describe() {
            return "unique key " + name + " on " + table + "(" + String.join(", ", columns) + ")";
        }
    }

    /** A validated foreign key: every non-NULL key must exist in the referenced table. */
    record ForeignKey(String table, String name, List<String> columns, String refTable, List<String> refColumns)
            implements Effect {
        public String requirement() {
            return "foreign key " + columns + " -> " + refTable + refColumns;
        }

        public String describe() {
            return "foreign key " + name + " " + table + "(" + String.join(", ", columns) + ") -> " + refTable + "("
                    + String.join(", ", refColumns) + ")";
        }
    }

    /**
     * An exclusion constraint: no two rows may have every element's operator hold between them.
     *
     * @param operators schema-qualified, one per column; empty when an element is an expression (not counted)
     */
    record Exclusion(String table, String name, List<String> columns, List<String> operators, String predicate)
            implements Effect {
        public String requirement() {
            return "exclusion " + columns + " " + operators + " where " + predicate;
        }

        public String describe() {
            return "exclusion constraint " + name + " on " + table;
        }
    }

    /** A validated check constraint: no row may make its expression false. */
    record Check(String table, String name, String expression) implements Effect {
        public String requirement() {
            return "check " + expression;
        }

        public String describe() {
            return "check constraint " + name + " on " + table + " " + expression;
        }
    }

    /** A column's type changed: every value must convert to the new one. */
    record TypeChange(String table, String column, String from, String to) implements Effect {
        public String requirement() {
            return "type of " + column + " from " + from + " to " + to;
        }

        public String describe() {
            return "type of " + table + "." + column + " from " + from + " to " + to;
        }
    }

    /** The effects on {@code existing} tables between two catalogs of the same database. */
    static List<Effect> between(Catalog before, Catalog after, Set<String> existing) {
        List<Effect> effects = new ArrayList<>();
        for (Catalog.Table table : after.tables().values()) {
            Catalog.Table old = before.tables().get(table.name());
            if (old == null || !existing.contains(table.name())) {
                continue;
            }
            for (Catalog.Column column : table.columns().values()) {
                Catalog.Column was = old.columns().get(column.name());
                if (was == null) {
                    continue; // a new column: its default fills it, and Liquibase's own run shows that
                }
                if (column.notNull() && !was.notNull()) {
                    effects.add(new NotNull(table.name(), column.name()));
                }
                if (!Objects.equals(column.type(), was.type())) {
                    effects.add(new TypeChange(table.name(), column.name(), was.type(), column.type()));
                }
            }
            for (Map.Entry<String, Catalog.Keyed> entry : table.keyed().entrySet()) {
                Catalog.Keyed keyed = entry.getValue();
                if (old.keyed().containsKey(entry.getKey()) || !keyed.validated()) {
                    continue;
                }
                boolean nullsEqual = keyed.definition().contains("NULLS NOT DISTINCT");
                if (keyed.unique() && keyed.columns().stream().allMatch(Objects::nonNull)) {
                    effects.add(new Unique(
                            table.name(), keyed.name(), keyed.columns(), keyed.predicate(), Set.of(), nullsEqual));
                } else if (keyed.unique()
                        && keyed.elements().size() == keyed.columns().size()) {
                    // a key on expressions (lower(email)): its duplicates are those of the expressions' values
                    List<String> key = new ArrayList<>();
                    Set<Integer> expressions = new TreeSet<>();
                    for (int i = 0; i < keyed.columns().size(); i++) {
                        if (keyed.columns().get(i) == null) {
                            key.add(keyed.elements().get(i));
                            expressions.add(i);
                        } else {
                            key.add(keyed.columns().get(i));
                        }
                    }
                    effects.add(
                            new Unique(table.name(), keyed.name(), key, keyed.predicate(), expressions, nullsEqual));
                } else if (keyed.kind().equals("foreign key")) {
                    effects.add(new ForeignKey(
                            table.name(), keyed.name(), keyed.columns(), keyed.refTable(), keyed.refColumns()));
                } else if (keyed.kind().equals("exclusion constraint")) {
                    effects.add(new Exclusion(
                            table.name(), keyed.name(), keyed.columns(), keyed.operators(), keyed.predicate()));
                } else if (keyed.kind().equals("check constraint")) {
                    effects.add(new Check(table.name(), keyed.name(), checkExpression(keyed.definition())));
                }
            }
        }
        // a partitioned table's rows are its partitions': the same requirement on a partition counts them again
        List<Effect> own = effects.stream()
                .filter(effect -> {
                    Catalog.Table table = after.tables().get(effect.table());
                    String parent = table == null ? null : table.partitionOf();
                    return parent == null
                            || effects.stream()
                                    .noneMatch(other -> other.table().equals(parent)
                                            && other.requirement().equals(effect.requirement()));
                })
                .toList();
        return own;
    }

    /** {@code CHECK ((price > 0))} to {@code (price > 0)}. */
    static String checkExpression(String definition) {
        String text = definition.strip();
        if (text.endsWith(" NOT VALID")) {
            text = text.substring(0, text.length() - " NOT VALID".length());
        }
        if (text.endsWith(" NO INHERIT")) {
            text = text.substring(0, text.length() - " NO INHERIT".length());
        }
        return text.startsWith("CHECK ") ? text.substring("CHECK ".length()) : text;
    }
}
