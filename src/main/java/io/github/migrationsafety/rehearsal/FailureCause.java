package io.github.migrationsafety.rehearsal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import liquibase.change.Change;
import liquibase.change.core.AddForeignKeyConstraintChange;
import liquibase.change.core.DropColumnChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.RenameColumnChange;
import liquibase.change.core.RenameTableChange;
import liquibase.changelog.ChangeSet;

/**
 * Why a pending changeset failed on production's schema, and what to do.
 *
 * @param general no drift and no merge order explain it: production's schema in general
 */
record FailureCause(String text, String hint, boolean general) {

    FailureCause(String text, String hint) {
        this(text, hint, false);
    }

    /**
     * Whether {@code error} is PostgreSQL's for a row that breaks a constraint (SQLSTATE class 23: not-null, foreign
     * key, unique, check, exclusion), as the smoke's PostgreSQL words it.
     */
    static boolean rowBreaksConstraint(String error) {
        String lower = error == null ? "" : error.toLowerCase(Locale.ROOT);
        return lower.contains(" violates ") && lower.contains(" constraint");
    }

    /**
     * Merge order when production already ran a changeset that comes after it in the changelog and works on one of
     * its tables (on an empty database it ran before that one); else drift on one of its tables (or named in the
     * error); else production's schema in general.
     */
    /** @param failed the changeset; {@code null} for another tool's migration (no merge order, its own wording) */
    static FailureCause of(
            ChangelogOnCopy.Update update, ChangeSet failed, List<Drift> drifts, String error, Terms terms) {
        Set<String> tables = failed == null ? Set.of() : tables(failed);
        List<ChangeSet> changeSets =
                update.changeLog() == null ? List.of() : update.changeLog().getChangeSets();
        int position = failed == null ? -1 : changeSets.indexOf(failed);
        List<ChangeSet> ran = update.ranChangeSets();
        for (int i = position + 1; position >= 0 && i < changeSets.size(); i++) {
            ChangeSet later = changeSets.get(i);
            if (!ran.contains(later)) {
                continue;
            }
            Set<String> shared = new HashSet<>(tables(later));
            shared.retainAll(tables);
            if (!shared.isEmpty()) {
                String what = describe(later);
                return new FailureCause(
                        "merge order: it comes before " + later.toString(false) + " in the changelog, which"
                                + " production already ran" + (what == null ? "" : " (it " + what + ")")
                                + "; an empty database runs it before that changeset, production after it",
                        "move the changeset after " + later.toString(false) + " in the changelog and write it"
                                + " against the schema that changeset leaves");
            }
        }
        String lower = error == null ? "" : error.toLowerCase(Locale.ROOT);
        List<String> named = new ArrayList<>();
        for (Drift drift : drifts) {
            String name = drift.object()
                    .substring(drift.object().lastIndexOf(' ') + 1)
                    .toLowerCase(Locale.ROOT);
            boolean mentioned = lower.contains(name)
                    || drift.column() != null
                            && lower.contains("\"" + drift.column().toLowerCase(Locale.ROOT) + "\"")
                    || objectName(drift) != null && lower.contains(objectName(drift));
            // a change names its table without the schema a drift of another schema shows ("app.thing")
            String table = drift.table().toLowerCase(Locale.ROOT);
            if (tables.contains(table) || tables.contains(table.substring(table.lastIndexOf('.') + 1)) || mentioned) {
                named.add(drift.object() + " " + drift.verb(terms) + " (expected " + drift.expected() + ", production "
                        + drift.actual() + ")");
            }
        }
        if (!named.isEmpty()) {
            return new FailureCause(
                    "production's schema drifted: " + String.join("; ", named.subList(0, Math.min(3, named.size())))
                            + (named.size() > 3 ? "; and " + (named.size() - 3) + " more" : ""),
                    "reconcile production's schema with " + terms.source() + " (the drift findings list both sides),"
                            + (failed == null
                                    ? " or record the hand-made change " + terms.record() + " before this one"
                                    : " or make the changeset tolerate it with a precondition"));
        }
        return new FailureCause(
                "production's schema is not what " + terms.makes() + " (see the drift findings, if any)",
                "run the " + terms.unit() + "'s SQL (in the report) against a copy of production to see why",
                true);
    }

    /**
     * Merge order for another tool's migration that production runs after migrations it already ran ({@code outOfOrder}
     * in Flyway), where an empty database ran it before them.
     */
    static FailureCause ranLater(List<String> ranLater) {
        String named = String.join(", ", ranLater.subList(0, Math.min(3, ranLater.size())))
                + (ranLater.size() > 3 ? " and " + (ranLater.size() - 3) + " more" : "");
        return new FailureCause(
                "merge order: it comes before " + named + ", which production already ran; an empty database runs"
                        + " it before " + (ranLater.size() == 1 ? "that migration" : "them") + ", production after",
                "give it a version above production's current one and write it against the schema " + named + " leave"
                        + (ranLater.size() == 1 ? "s" : ""));
    }

    /** The name of an index or constraint drift ({@code index idx_name on t} to {@code idx_name}). */
    private static String objectName(Drift drift) {
        String[] words = drift.object().split(" ");
        int on = List.of(words).indexOf("on");
        return on > 0 ? words[on - 1].toLowerCase(Locale.ROOT) : null;
    }

    /** The tables (lower case) a changeset's changes work on, renamed and referenced ones included. */
    private static Set<String> tables(ChangeSet changeSet) {
        Set<String> tables = new HashSet<>();
        for (Change change : changeSet.getChanges()) {
            String table = ChangeTables.table(change);
            if (table != null) {
                tables.add(table.toLowerCase(Locale.ROOT));
            }
            if (change instanceof RenameTableChange rename && rename.getNewTableName() != null) {
                tables.add(rename.getNewTableName().toLowerCase(Locale.ROOT));
            }
            if (change instanceof AddForeignKeyConstraintChange fk && fk.getReferencedTableName() != null) {
                tables.add(fk.getReferencedTableName().toLowerCase(Locale.ROOT));
            }
        }
        return tables;
    }

    /** "renames column t.a to b" for a changeset with a rename or drop, else {@code null}. */
    private static String describe(ChangeSet changeSet) {
        for (Change change : changeSet.getChanges()) {
            if (change instanceof RenameColumnChange
                    || change instanceof RenameTableChange
                    || change instanceof DropColumnChange
                    || change instanceof DropTableChange) {
                return ChangeTables.describe(change);
            }
        }
        return null;
    }
}
