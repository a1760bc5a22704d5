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
 * production has and a later change does work that grows with a table's rows ({@link ChangeEffect#worksOnRows}): the
 * lock is held until the commit, so every read and write of the table waits for that work too. Later changes to the
 * catalog alone (another column added, a constraint dropped) hold it for the same few milliseconds at any size and
 * are not reported. The trace sees changes, not the statements inside one {@code <sql>}.
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
                ChangeEffect work = changes.subList(change.position() + 1, changes.size()).stream()
                        .filter(ChangeEffect::worksOnRows)
                        .findFirst()
                        .orElse(null);
                if (work == null) {
                    continue;
                }
                int after = changes.size() - 1 - change.position();
                long millis = (last.endedNanos() - change.endedNanos()) / 1_000_000;
                findings.add(context.warning(
                        ID,
                        "takes AccessExclusiveLock on " + table + " in change " + (change.position() + 1) + " of "
                                + changes.size() + describe(change) + " and holds it while " + after + " more change"
                                + (after == 1 ? "" : "s") + " run (" + millis + " ms here), among them change "
                                + (work.position() + 1) + describe(work) + ", which reads or writes rows: reads and"
                                + " writes of " + table + " wait for it too, longer the larger the table",
                        "put the change that takes AccessExclusiveLock last in its changeset, or in a changeset of its"
                                + " own, so the lock is held only as long as that change runs"));
            }
        }
        return findings;
    }

    private static String describe(ChangeEffect change) {
        return change.change() == null ? "" : " (" + change.change().getSerializedObjectName() + ")";
    }
}
