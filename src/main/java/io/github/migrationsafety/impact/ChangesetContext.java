package io.github.migrationsafety.impact;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.impact.Catalog.Table;
import io.github.migrationsafety.report.Finding;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.changelog.ChangeSet;

/**
 * What a rule judges: one changeset or Flyway migration, what the trace saw it do ({@code trace} is {@code null} for a
 * changeset that did not run, which only the static rules judge), and which tables count as production's.
 *
 * @param key                   the changeset's key ({@code path::id::author}) or the migration's
 *                              ({@code db/migration/V2__add_index.sql})
 * @param file                  the file the findings point to
 * @param line                  their line there
 * @param changeSet             the Liquibase changeset, or {@code null} for a Flyway migration: then the hints are
 *                              SQL for a migration of its own
 * @param productionTables      the tables that exist in production (lower case), or {@code null} when unknown:
 *                              then every table that existed before the changeset counts
 * @param productionLockTimeout the lock_timeout production's sessions start with (its role's and database's
 *                              settings), or {@code null} when not known
 */
public record ChangesetContext(
        String key,
        String file,
        int line,
        ChangeSet changeSet,
        ChangesetTrace trace,
        Set<String> productionTables,
        String productionLockTimeout) {

    private static final Pattern SQL = Pattern.compile("<sql>(.*?)</sql>", Pattern.DOTALL);
    private static final Pattern CHANGESET = Pattern.compile("\\bchangeset\\b");
    private static final Pattern UNIT_SQL = Pattern.compile("<sql>(.*?)</sql></changeSet>", Pattern.DOTALL);
    /** {@link #changeSetTag}'s output, as formatted SQL spells it. */
    private static final Pattern CHANGESET_TAG =
            Pattern.compile("<changeSet id=\"([^\"]*)\" author=\"([^\"]*)\"( runInTransaction=\"false\")?>");

    /** A Liquibase changeset, located in its changelog. */
    public static ChangesetContext of(
            ChangeSet changeSet,
            ChangesetTrace trace,
            ChangesetLocator locator,
            Set<String> productionTables,
            String productionLockTimeout) {
        return new ChangesetContext(
                ChangesetKey.of(changeSet),
                changeSet.getFilePath(),
                locator.line(changeSet),
                changeSet,
                trace,
                productionTables,
                productionLockTimeout);
    }

    /** A Flyway migration: its key, its file (the findings point to line 1) and its trace. */
    public static ChangesetContext migration(
            String key, String file, ChangesetTrace trace, Set<String> productionTables, String productionLockTimeout) {
        return new ChangesetContext(key, file, 1, null, trace, productionTables, productionLockTimeout);
    }

    /** Whether this is a Flyway migration rather than a Liquibase changeset. */
    public boolean migration() {
        return changeSet == null;
    }

    /** Whether this is a changeset of a changelog in formatted SQL ({@code --liquibase formatted sql}). */
    private boolean formattedSql() {
        return changeSet != null
                && changeSet.getFilePath() != null
                && changeSet.getFilePath().toLowerCase(Locale.ROOT).endsWith(".sql");
    }

    /** What each change did, in order; empty without a complete trace. */
    public List<ChangeEffect> changes() {
        return trace == null ? List.of() : trace.changes();
    }

    /** Whether production has the table, so that live clients use it while the changeset runs. */
    public boolean inProduction(String table) {
        if (trace == null || table == null) {
            return false;
        }
        String name = table.toLowerCase(Locale.ROOT);
        return productionTables == null ? trace.tablesBefore().contains(name) : productionTables.contains(name);
    }

    /**
     * Whether production has the table as the change found it: it existed before the change (by oid; a table created
     * and renamed in the same changeset is new) and production has it under the name it had then.
     */
    public boolean inProduction(ChangeEffect change, Table table) {
        Table before = change.tableBefore(table.oid());
        return before != null && inProduction(before.name());
    }

    /** Whether the table (by oid) still exists when the changeset ends: a rewrite of a table it drops is moot. */
    public boolean survives(Table table) {
        List<ChangeEffect> changes = changes();
        return !changes.isEmpty()
                && changes.get(changes.size() - 1).after().tables().containsKey(table.oid());
    }

    /** The changeset's impact on the table (strongest lock, rewrite, scan), or {@code null}. */
    public TableImpact impact(String table) {
        if (trace == null) {
            return null;
        }
        for (TableImpact impact : trace.tables()) {
            if (impact.table().equalsIgnoreCase(table)) {
                return impact;
            }
        }
        return null;
    }

    /** " (AccessExclusiveLock, blocks reads and writes, held 31 ms here)", or empty without a lock on the table. */
    public String held(String table) {
        TableImpact impact = impact(table);
        return impact == null || impact.lock() == null
                ? ""
                : " (" + impact.lock().pgName() + ", blocks " + impact.lock().blocks() + ", held " + impact.heldMillis()
                        + " ms here)";
    }

    public Finding warning(String rule, String message, String hint) {
        return Finding.warning(rule, key, message).withHint(hint(hint)).at(file, line);
    }

    public Finding error(String rule, String message, String hint) {
        return Finding.error(rule, key, message).withHint(hint(hint)).at(file, line);
    }

    /**
     * A rule's hint as the author writes it: for a migration, its {@code <sql>} elements are plain SQL; for a
     * changeset in formatted SQL, a changeset of its own is a {@code --changeset author:id} line and its statements.
     */
    private String hint(String hint) {
        if (hint == null) {
            return null;
        }
        if (formattedSql()) {
            String changesets = CHANGESET_TAG
                    .matcher(hint)
                    .replaceAll(r -> Matcher.quoteReplacement("--changeset " + r.group(2) + ":" + r.group(1)
                            + (r.group(3) == null ? "" : " runInTransaction:false") + " "));
            // a changeset's statements end with a semicolon, SQL quoted in a sentence does not
            String bodies = UNIT_SQL.matcher(changesets).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + ";"));
            return SQL.matcher(bodies.replace("</changeSet>", ""))
                    .replaceAll(r -> Matcher.quoteReplacement(r.group(1)))
                    .replace("  ", " ");
        }
        if (!migration()) {
            return hint;
        }
        String sql = SQL.matcher(hint).replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
        return CHANGESET.matcher(sql).replaceAll("migration").replace("first change", "first statement");
    }

    /**
     * The statement in a unit of its own, as a hint writes it: a changeset ({@code <changeSet id="…" author="…">}
     * with the changeset's own id and a suffix, {@code runInTransaction="false"} unless {@code runInTransaction}), or
     * for a Flyway migration, a new migration (which Flyway runs outside a transaction when its statement needs it,
     * once its transactional lock is off).
     */
    public String ownUnit(String idSuffix, boolean runInTransaction, String sql) {
        if (migration()) {
            return "a migration of its own"
                    + (runInTransaction
                            ? ""
                            : " (Flyway runs it outside a transaction; needs"
                                    + " flyway.postgresql.transactional.lock=false)")
                    + ": " + sql + ";";
        }
        return changeSetTag(idSuffix, runInTransaction) + "<sql>" + sql + "</sql></changeSet>";
    }

    /** {@code <changeSet id="…" author="…"} with the changeset's own id (and a suffix), for a hint. */
    public String changeSetTag(String idSuffix, boolean runInTransaction) {
        return "<changeSet id=\"" + changeSet.getId() + idSuffix + "\" author=\"" + changeSet.getAuthor() + "\""
                + (runInTransaction ? "" : " runInTransaction=\"false\"") + ">";
    }
}
