package io.github.migrationsafety.impact;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.impact.rules.BreakingRenameOrDrop;
import io.github.migrationsafety.impact.rules.CheckValidated;
import io.github.migrationsafety.impact.rules.ConcurrentlyInTransaction;
import io.github.migrationsafety.impact.rules.ConstraintValidated;
import io.github.migrationsafety.impact.rules.DropIndexNotConcurrent;
import io.github.migrationsafety.impact.rules.EnumValueRenamed;
import io.github.migrationsafety.impact.rules.ExclusionConstraint;
import io.github.migrationsafety.impact.rules.ForeignKeyWithoutIndex;
import io.github.migrationsafety.impact.rules.GeneratedColumnRewrite;
import io.github.migrationsafety.impact.rules.IndexNotConcurrent;
import io.github.migrationsafety.impact.rules.InvalidIndex;
import io.github.migrationsafety.impact.rules.LockHeldAcrossChanges;
import io.github.migrationsafety.impact.rules.NoLockTimeout;
import io.github.migrationsafety.impact.rules.NotNullScan;
import io.github.migrationsafety.impact.rules.ReindexNotConcurrent;
import io.github.migrationsafety.impact.rules.Rewrite;
import io.github.migrationsafety.impact.rules.TypeChangeRewrite;
import io.github.migrationsafety.impact.rules.UniqueConstraintLock;
import io.github.migrationsafety.impact.rules.VolatileDefaultRewrite;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;

/**
 * The production-impact rules, run over each traced changeset. Each rule ({@link ImpactRule}, one class in
 * {@code impact.rules}) decides by what PostgreSQL did, as the trace saw it: the catalog before and after each change
 * (a new index and the lock it was built under, a constraint added and whether it was validated, a column's type,
 * NOT NULL, a rename or drop by oid and attnum), rewrites and scans. So {@code <sql>}, {@code sqlFile}, a
 * formatted-SQL changelog, a {@code customChange} and a Liquibase change type that do the same draw the same finding.
 * Only tables that exist in production are judged: a table created by a pending changeset has no live clients yet.
 */
public final class ImpactRules {

    public static final String INDEX = IndexNotConcurrent.ID;
    public static final String UNIQUE = UniqueConstraintLock.ID;
    public static final String NOT_NULL = NotNullScan.ID;
    public static final String VALIDATED = ConstraintValidated.ID;
    public static final String TYPE_REWRITE = TypeChangeRewrite.ID;
    public static final String VOLATILE_DEFAULT = VolatileDefaultRewrite.ID;
    public static final String REWRITE = Rewrite.ID;
    public static final String BREAKING = BreakingRenameOrDrop.ID;
    public static final String NO_LOCK_TIMEOUT = NoLockTimeout.ID;
    public static final String CONCURRENTLY_IN_TRANSACTION = ConcurrentlyInTransaction.ID;
    public static final String INVALID_INDEX = InvalidIndex.ID;

    /** The rules that judge a traced changeset, in the order their findings are reported. */
    public static final List<ImpactRule> RULES = List.of(
            new InvalidIndex(),
            new IndexNotConcurrent(),
            new UniqueConstraintLock(),
            new ExclusionConstraint(),
            new NotNullScan(),
            new ConstraintValidated(),
            new CheckValidated(),
            new ForeignKeyWithoutIndex(),
            new TypeChangeRewrite(),
            new VolatileDefaultRewrite(),
            new GeneratedColumnRewrite(),
            new Rewrite(),
            new BreakingRenameOrDrop(),
            new EnumValueRenamed(),
            new DropIndexNotConcurrent(),
            new ReindexNotConcurrent(),
            new LockHeldAcrossChanges(),
            new NoLockTimeout());

    private final ChangesetLocator locator;
    private final Set<String> productionTables;
    private final String productionLockTimeout;

    /**
     * @param locator          where changesets start in their files; {@code null} when only Flyway migrations are
     *                         judged
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

    public List<Finding> judge(DatabaseChangeLog changeLog, List<ChangesetTrace> traces) {
        Map<String, ChangeSet> byKey = new HashMap<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            byKey.put(ChangesetKey.of(changeSet), changeSet);
        }
        List<Finding> findings = new ArrayList<>();
        for (ChangesetTrace trace : traces) {
            ChangeSet changeSet = byKey.get(trace.changeset());
            if (changeSet != null) {
                ChangesetContext context =
                        ChangesetContext.of(changeSet, trace, locator, productionTables, productionLockTimeout);
                for (ImpactRule rule : RULES) {
                    findings.addAll(rule.judge(context));
                }
            }
        }
        return findings;
    }

    /**
     * The findings on one Flyway migration, by its trace: the same rules, pointing to the migration's file (line 1),
     * with hints written as SQL.
     */
    public List<Finding> judgeMigration(String key, String file, ChangesetTrace trace) {
        ChangesetContext context =
                ChangesetContext.migration(key, file, trace, productionTables, productionLockTimeout);
        List<Finding> findings = new ArrayList<>();
        for (ImpactRule rule : RULES) {
            findings.addAll(rule.judge(context));
        }
        return findings;
    }

    /** Static: PostgreSQL refuses CONCURRENTLY in a transaction block, so the changeset would fail in production. */
    public List<Finding> concurrentlyInTransaction(DatabaseChangeLog changeLog) {
        ImpactRule rule = new ConcurrentlyInTransaction();
        List<Finding> findings = new ArrayList<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            findings.addAll(
                    rule.judge(ChangesetContext.of(changeSet, null, locator, productionTables, productionLockTimeout)));
        }
        return findings;
    }
}
