package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.ChangeEffect;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.impact.LockMode;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@value #ID}: in a changeset that runs in one transaction, a change takes {@code AccessExclusiveLock} on a table
 * production has and more changes run after it: the lock is held until the commit, so every read and write of the
 * table waits for them too. The trace sees changes, not the statements inside one {@code <sql>}.
 */
public final class LockHeldAcrossChanges implements ImpactRule {

    public static final String ID = "smoke.impact.lock-held-across-changes";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        List<ChangeEffect> changes = context.changes();
        if (context.trace() == null || !context.trace().inTransaction() || changes.size() < 2) {
            return findings;
        }
        ChangeEffect last = changes.get(changes.size() - 1);
        Set<Long> reported = new HashSet<>();
        for (ChangeEffect change : changes.subList(0, changes.size() - 1)) {
            for (Map.Entry<Long, LockMode> taken : change.taken().entrySet()) {
                String table = change.tableName(taken.getKey());
                if (taken.getValue() != LockMode.ACCESS_EXCLUSIVE
                        || table == null
                        || change.tableBefore(taken.getKey()) == null
                        || !context.inProduction(
                                change.tableBefore(taken.getKey()).name())
                        || !reported.add(taken.getKey())) {
                    continue;
                }
                int after = changes.size() - 1 - change.position();
                long millis = (last.endedNanos() - change.endedNanos()) / 1_000_000;
                findings.add(context.warning(
                        ID,
                        "takes AccessExclusiveLock on " + table + " in change " + (change.position() + 1) + " of "
                                + changes.size()
                                + (change.change() == null
                                        ? ""
                                        : " (" + change.change().getSerializedObjectName() + ")")
                                + " and holds it"
                                + " while " + after + " more change" + (after == 1 ? "" : "s") + " run (" + millis
                                + " ms here): reads and writes of " + table + " wait for them too",
                        "put the change that takes AccessExclusiveLock last in its changeset, or in a changeset of its"
                                + " own, so the lock is held only as long as that change runs"));
            }
        }
        return findings;
    }
}
