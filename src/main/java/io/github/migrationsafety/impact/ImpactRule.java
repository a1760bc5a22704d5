package io.github.migrationsafety.impact;

import io.github.migrationsafety.report.Finding;
import java.util.List;

/**
 * One production-impact rule: it judges one changeset by what the trace saw it do ({@link ChangesetContext}), so the
 * same effect draws the same finding whatever spelled it. Adding a rule is a class in {@code impact.rules}, its entry
 * in {@link ImpactRules#RULES}, a test against a real PostgreSQL and a row in {@code docs/goals/smoke.md}.
 */
public interface ImpactRule {

    /** The stable id, {@code smoke.impact.<name>}: what a user looks up in the docs and names to suppress it. */
    String id();

    /** The findings on this changeset; none when the trace contradicts the hazard. */
    List<Finding> judge(ChangesetContext context);
}
