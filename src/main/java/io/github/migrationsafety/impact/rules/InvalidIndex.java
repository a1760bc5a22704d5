package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.ChangesetContext;
import io.github.migrationsafety.impact.ImpactRule;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;

/** {@value #ID} (error): the changeset left an index INVALID ({@code pg_index.indisvalid}), a failed concurrent build. */
public final class InvalidIndex implements ImpactRule {

    public static final String ID = "smoke.impact.invalid-index";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(ChangesetContext context) {
        List<Finding> findings = new ArrayList<>();
        if (context.trace() == null) {
            return findings;
        }
        for (String index : context.trace().invalidIndexes()) {
            findings.add(context.error(
                    ID,
                    "left index " + index + " INVALID: a concurrent build failed, and PostgreSQL keeps the index,"
                            + " unused, but updated on every write",
                    context.ownUnit("-drop-invalid", false, "DROP INDEX CONCURRENTLY " + index)
                            + " then fix the cause (often duplicate rows for a unique index) and build it again"));
        }
        return findings;
    }
}
