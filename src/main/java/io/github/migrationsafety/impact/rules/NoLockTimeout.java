package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Finding;
import java.util.List;

/**
 * {@value #ID}: a lock that blocks writes was taken on a table production has while {@code lock_timeout} was 0, and
 * production's role and database set none either: behind a long transaction it waits, and every client queues
 * behind it. Reported once per changeset.
 */
public final class NoLockTimeout implements ImpactRule {

    public static final String ID = "smoke.impact.no-lock-timeout";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        if (context.trace() == null || !"0".equals(context.trace().lockTimeout())) {
            return List.of();
        }
        if (context.productionLockTimeout() != null && !"0".equals(context.productionLockTimeout())) {
            return List.of(); // production's role or database sets one: the lock times out there all the same
        }
        for (TableImpact impact : context.trace().tables()) {
            if (impact.lock() != null && impact.lock().blocksWrites() && context.inProduction(impact.table())) {
                return List.of(context.warning(
                        ID,
                        "takes " + impact.lock().pgName() + " on " + impact.table() + " with no lock_timeout: behind a"
                                + " long transaction it waits, and every "
                                + (impact.lock().blocksReads() ? "read and write" : "write") + " of " + impact.table()
                                + " queues behind it",
                        "make the changeset's first change <sql>SET LOCAL lock_timeout = '5s'</sql> and retry the"
                                + " migration when it times out"));
            }
        }
        return List.of();
    }
}
