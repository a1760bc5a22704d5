package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.ChangeTargets;
import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.report.Finding;
import java.util.List;
import java.util.regex.Pattern;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;

/**
 * {@value #ID} (error), judged on the changelog, without a trace: SQL with {@code CONCURRENTLY} in a changeset that
 * runs in a transaction. PostgreSQL refuses it ("cannot run inside a transaction block"), so the changeset fails in
 * production, and in the smoke.
 */
public final class ConcurrentlyInTransaction implements ImpactRule {

    public static final String ID = "smoke.impact.concurrently-in-transaction";

    private static final Pattern CONCURRENTLY = Pattern.compile("(?i)\\bconcurrently\\b");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        ChangeSet changeSet = context.changeSet();
        if (changeSet == null || !changeSet.isRunInTransaction()) {
            return List.of();
        }
        for (Change change : changeSet.getChanges()) {
            String sql = ChangeTargets.sql(change);
            if (sql != null && CONCURRENTLY.matcher(sql).find()) {
                return List.of(context.error(
                        ID,
                        "runs CONCURRENTLY inside the changeset's transaction; PostgreSQL refuses it (\"cannot run"
                                + " inside a transaction block\")",
                        context.changeSetTag("", false) + " with the CONCURRENTLY statement alone in it"));
            }
        }
        return List.of();
    }
}
