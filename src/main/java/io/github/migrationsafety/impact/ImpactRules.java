package io.github.migrationsafety.impact;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import liquibase.change.Change;
import liquibase.change.core.AddColumnChange;
import liquibase.change.core.AddForeignKeyConstraintChange;
import liquibase.change.core.AddNotNullConstraintChange;
import liquibase.change.core.AddPrimaryKeyChange;
import liquibase.change.core.AddUniqueConstraintChange;
import liquibase.change.core.CreateIndexChange;
import liquibase.change.core.DropColumnChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.ModifyDataTypeChange;
import liquibase.change.core.RenameColumnChange;
import liquibase.change.core.RenameTableChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;

/**
 * The production-impact hazard rules. Each starts from what a change says it does and is confirmed or cleared
 * by what PostgreSQL really did in the trace: an index is flagged only when its build held a lock that blocks
 * writes, a type change only when the table was rewritten (so varchar to text is not), NOT NULL only when the
 * table was scanned. Only tables that exist in production are judged: a table created by a pending changeset
 * has no live clients yet.
 */
public final class ImpactRules {

    public static final String INDEX = "smoke.impact.index-not-concurrent";
    public static final String UNIQUE = "smoke.impact.unique-constraint-lock";
    public static final String NOT_NULL = "smoke.impact.not-null-scan";
    public static final String VALIDATED = "smoke.impact.constraint-validated";
    public static final String TYPE_REWRITE = "smoke.impact.type-change-rewrite";
    public static final String VOLATILE_DEFAULT = "smoke.impact.volatile-default-rewrite";
    public static final String REWRITE = "smoke.impact.rewrite";
    public static final String BREAKING = "smoke.impact.breaking-rename-or-drop";
    public static final String NO_LOCK_TIMEOUT = "smoke.impact.no-lock-timeout";
    public static final String CONCURRENTLY_IN_TRANSACTION = "smoke.impact.concurrently-in-transaction";
    public static final String INVALID_INDEX = "smoke.impact.invalid-index";

    private static final Pattern CONCURRENTLY = Pattern.compile("(?i)\\bconcurrently\\b");

    private final ChangesetLocator locator;
    private final Set<String> productionTables;
    private final String productionLockTimeout;

    /**
     * @param productionTables the tables that exist in production (lower case), or {@code null} when unknown:
     *                         then every table that existed before the changeset counts
     */
    public ImpactRules(ChangesetLocator locator, Set<String> productionTables) {
        this(locator, productionTables, null);
    }

    /**
     * @param productionLockTimeout the lock_timeout production's sessions start with (its role's and database's
     *                              settings), or {@code null} when not known: when it is not {@code 0}, a lock
     *                              taken without a lock_timeout of the changeset's own still times out there
     */
    public ImpactRules(ChangesetLocator locator, Set<String> productionTables, String productionLockTimeout) {
        this.locator = locator;
        this.productionTables = productionTables;
        this.productionLockTimeout = productionLockTimeout;
    }

    public List<Finding> judge(DatabaseChangeLog changeLog, List<ImpactTracer.ChangesetTrace> traces) {
        Map<String, ChangeSet> byKey = new HashMap<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            byKey.put(ChangesetKey.of(changeSet), changeSet);
        }
        List<Finding> findings = new ArrayList<>();
        for (ImpactTracer.ChangesetTrace trace : traces) {
            ChangeSet changeSet = byKey.get(trace.changeset());
            if (changeSet != null) {
                findings.addAll(judge(changeSet, trace));
            }
        }
        return findings;
    }

    /** Static: PostgreSQL refuses CONCURRENTLY in a transaction block, so the changeset would fail in production. */
    public List<Finding> concurrentlyInTransaction(DatabaseChangeLog changeLog) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            if (!changeSet.isRunInTransaction()) {
                continue;
            }
            for (Change change : changeSet.getChanges()) {
                String sql = ChangeTargets.sql(change);
                if (sql != null && CONCURRENTLY.matcher(sql).find()) {
                    findings.add(finding(
                            Finding.error(
                                    CONCURRENTLY_IN_TRANSACTION,
                                    ChangesetKey.of(changeSet),
                                    "runs CONCURRENTLY inside the changeset's transaction; PostgreSQL refuses it (\"cannot run"
                                            + " inside a transaction block\")"),
                            changeSet,
                            "<changeSet id=\"" + changeSet.getId() + "\" author=\"" + changeSet.getAuthor()
                                    + "\" runInTransaction=\"false\"> with the CONCURRENTLY statement alone in it"));
                    break;
                }
            }
        }
        return findings;
    }

    private List<Finding> judge(ChangeSet changeSet, ImpactTracer.ChangesetTrace trace) {
        List<Finding> findings = new ArrayList<>();
        Map<String, TableImpact> tables = new HashMap<>();
        for (TableImpact impact : trace.tables()) {
            tables.put(impact.table().toLowerCase(Locale.ROOT), impact);
        }
        for (String index : trace.invalidIndexes()) {
            findings.add(finding(
                    Finding.error(
                            INVALID_INDEX,
                            ChangesetKey.of(changeSet),
                            "left index " + index
                                    + " INVALID: a concurrent build failed, and PostgreSQL keeps the index, unused, but updated on"
                                    + " every write"),
                    changeSet,
                    "<sql>DROP INDEX CONCURRENTLY " + index + "</sql> in a"
                            + " runInTransaction=\"false\" changeset, fix the cause (often duplicate rows for a unique index),"
                            + " then build it again"));
        }
        Set<String> rewriteExplained = new HashSet<>();
        for (Change change : changeSet.getChanges()) {
            String table = ChangeTargets.table(change);
            if (table == null || !inProduction(table, trace)) {
                continue;
            }
            TableImpact impact = tables.get(table.toLowerCase(Locale.ROOT));
            Finding found = rule(change, table, impact, changeSet);
            if (found != null) {
                findings.add(found);
                if (found.rule().equals(TYPE_REWRITE) || found.rule().equals(VOLATILE_DEFAULT)) {
                    rewriteExplained.add(table.toLowerCase(Locale.ROOT));
                }
            }
        }
        for (TableImpact impact : trace.tables()) {
            // a rewrite that no change above explains (SQL, a customChange) is still a rewrite: reported once, on
            // the table, not pinned on another change of the changeset (a drop next to a volatile default)
            if (impact.rewrite()
                    && inProduction(impact.table(), trace)
                    && !rewriteExplained.contains(impact.table().toLowerCase(Locale.ROOT))) {
                findings.add(finding(
                        Finding.warning(
                                REWRITE,
                                ChangesetKey.of(changeSet),
                                "rewrites the whole" + " table " + impact.table() + held(impact)),
                        changeSet,
                        "split the change so the table is"
                                + " not rewritten under lock: new column, batched backfill, switch"));
            }
        }
        for (TableImpact impact : trace.tables()) {
            if (impact.lock() != null
                    && impact.lock().blocksWrites()
                    && "0".equals(trace.lockTimeout())
                    && (productionLockTimeout == null || "0".equals(productionLockTimeout))
                    && inProduction(impact.table(), trace)) {
                findings.add(finding(
                        Finding.warning(
                                NO_LOCK_TIMEOUT,
                                ChangesetKey.of(changeSet),
                                "takes "
                                        + impact.lock().pgName() + " on " + impact.table()
                                        + " with no lock_timeout: behind a long"
                                        + " transaction it waits, and every "
                                        + (impact.lock().blocksReads() ? "read and write" : "write") + " of "
                                        + impact.table() + " queues behind it"),
                        changeSet,
                        "make the"
                                + " changeset's first change <sql>SET LOCAL lock_timeout = '5s'</sql> and retry the migration"
                                + " when it times out"));
                break;
            }
        }
        return findings;
    }

    private static String held(TableImpact impact) {
        return impact == null || impact.lock() == null
                ? ""
                : " (" + impact.lock().pgName() + ", blocks " + impact.lock().blocks() + ", held " + impact.heldMillis()
                        + " ms here)";
    }

    private Finding rule(Change change, String table, TableImpact impact, ChangeSet changeSet) {
        String key = ChangesetKey.of(changeSet);
        String held = held(impact);
        if (change instanceof CreateIndexChange index
                && impact != null
                && impact.lock() != null
                && impact.lock().blocksWrites()) {
            String columns = String.join(
                    ", ", index.getColumns().stream().map(c -> c.getName()).toList());
            return finding(
                    Finding.warning(
                            INDEX,
                            key,
                            "builds index " + index.getIndexName() + " on existing table " + table
                                    + " without CONCURRENTLY" + held + ": writes to " + table
                                    + " wait for the whole build"),
                    changeSet,
                    "<changeSet id=\"" + changeSet.getId() + "\" author=\"" + changeSet.getAuthor()
                            + "\" runInTransaction=\"false\"><sql>CREATE "
                            + (Boolean.TRUE.equals(index.isUnique()) ? "UNIQUE " : "") + "INDEX CONCURRENTLY "
                            + index.getIndexName() + " ON " + table + " ("
                            + columns + ")</sql></changeSet>");
        }
        if ((change instanceof AddUniqueConstraintChange || change instanceof AddPrimaryKeyChange)
                && impact != null
                && impact.lock() == LockMode.ACCESS_EXCLUSIVE) {
            boolean unique = change instanceof AddUniqueConstraintChange;
            String columns = unique
                    ? ((AddUniqueConstraintChange) change).getColumnNames()
                    : ((AddPrimaryKeyChange) change).getColumnNames();
            String name = unique
                    ? ((AddUniqueConstraintChange) change).getConstraintName()
                    : ((AddPrimaryKeyChange) change).getConstraintName();
            name = name == null ? table + "_key" : name;
            return finding(
                    Finding.warning(
                            UNIQUE,
                            key,
                            "adds " + (unique ? "a unique constraint" : "a primary key")
                                    + " on " + table + "(" + columns
                                    + ") and builds its index under AccessExclusiveLock" + held
                                    + ": reads and writes of " + table + " stop for the whole build"),
                    changeSet,
                    "build the index first, concurrently, then attach it: <changeSet id=\"" + changeSet.getId()
                            + "-index\" author=\"" + changeSet.getAuthor() + "\" runInTransaction=\"false\"><sql>CREATE"
                            + " UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (" + columns + ")</sql>"
                            + "</changeSet> <changeSet id=\"" + changeSet.getId() + "\" author=\""
                            + changeSet.getAuthor() + "\"><sql>ALTER TABLE " + table + " ADD CONSTRAINT " + name
                            + (unique ? " UNIQUE" : " PRIMARY KEY") + " USING INDEX " + name + "</sql></changeSet>");
        }
        if (change instanceof AddNotNullConstraintChange notNull && impact != null && impact.scanned()) {
            String column = notNull.getColumnName();
            return finding(
                    Finding.warning(
                            NOT_NULL,
                            key,
                            "sets " + table + "." + column + " NOT NULL by reading" + " every row" + held),
                    changeSet,
                    "<sql>ALTER TABLE " + table + " ADD CONSTRAINT " + column
                            + "_not_null CHECK (" + column + " IS NOT NULL) NOT VALID</sql>, then in a later changeset"
                            + " <sql>ALTER TABLE " + table + " VALIDATE CONSTRAINT " + column + "_not_null</sql>; then"
                            + " <addNotNullConstraint> no longer scans (PostgreSQL 12+) and the check can be dropped");
        }
        if (change instanceof AddForeignKeyConstraintChange fk
                && !Boolean.FALSE.equals(fk.getValidate())
                && impact != null
                && impact.scanned()) {
            return finding(
                    Finding.warning(
                            VALIDATED,
                            key,
                            "adds foreign key " + fk.getConstraintName() + " on " + table
                                    + " and validates it in the same transaction" + held + ", reading every row"),
                    changeSet,
                    "<addForeignKeyConstraint ... validate=\"false\"/>, then in a later changeset <sql>ALTER TABLE "
                            + table + " VALIDATE CONSTRAINT " + fk.getConstraintName() + "</sql> (it takes only"
                            + " ShareUpdateExclusiveLock)");
        }
        if (impact != null && impact.rewrite()) {
            if (change instanceof ModifyDataTypeChange type) {
                return finding(
                        Finding.warning(
                                TYPE_REWRITE,
                                key,
                                "changes " + table + "." + type.getColumnName() + " to " + type.getNewDataType()
                                        + ", which rewrites the whole table" + held),
                        changeSet,
                        "add a new column of the new type, backfill it in batches, switch the application, then drop"
                                + " the old column in a later release");
            }
            if (change instanceof AddColumnChange add && perRowDefault(add)) {
                return finding(
                        Finding.warning(
                                VOLATILE_DEFAULT,
                                key,
                                "adds a column to " + table + " whose default"
                                        + " is computed per row, which rewrites the whole table" + held),
                        changeSet,
                        "add the column without a default (or with a constant one), then backfill in batches and"
                                + " set the default afterwards");
            }
        }
        if (change instanceof RenameTableChange
                || change instanceof RenameColumnChange
                || change instanceof DropTableChange
                || change instanceof DropColumnChange) {
            return finding(
                    Finding.warning(
                            BREAKING,
                            key,
                            ChangeTargets.describe(change) + ": the application version still"
                                    + " running during a rolling deploy uses the old name"),
                    changeSet,
                    "expand and contract: add the"
                            + " new table or column, deploy code that uses both, and drop or rename the old one in a later"
                            + " release");
        }
        return null;
    }

    /** Whether a column it adds gets a value computed per row: a computed default, a sequence, a serial type. */
    private static boolean perRowDefault(AddColumnChange add) {
        return add.getColumns().stream()
                .anyMatch(c -> c.getDefaultValueComputed() != null
                        || c.getDefaultValueSequenceNext() != null
                        || Boolean.TRUE.equals(c.isAutoIncrement())
                        || c.getType() != null
                                && c.getType().toLowerCase(Locale.ROOT).contains("serial"));
    }

    private boolean inProduction(String table, ImpactTracer.ChangesetTrace trace) {
        String name = table.toLowerCase(Locale.ROOT);
        return productionTables == null ? trace.tablesBefore().contains(name) : productionTables.contains(name);
    }

    private Finding finding(Finding finding, ChangeSet changeSet, String hint) {
        return finding.withHint(hint).at(changeSet.getFilePath(), locator.line(changeSet));
    }
}
