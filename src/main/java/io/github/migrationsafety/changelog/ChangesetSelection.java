package io.github.migrationsafety.changelog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.database.Database;
import liquibase.precondition.core.PreconditionContainer;
import liquibase.sql.visitor.SqlVisitor;

/**
 * Which changesets a Liquibase update selects on each database the smoke targets, with the configured contexts
 * and labels: the lint judges what runs, not every changeset in the files. It asks Liquibase's own filters
 * ({@link ContextChangeSetFilter}, {@link LabelChangeSetFilter}, {@link DbmsChangeSetFilter}), the ones
 * Liquibase's validation and update apply. Those filters also remove a changeset's {@code modifySql} visitors
 * for other databases and contexts; that is put back here, because the same parsed changelog is applied later.
 */
public final class ChangesetSelection {

    private final Contexts contexts;
    private final LabelExpression labels;
    private final String contextText;
    private final String labelText;
    private final Map<String, Database> targets = new LinkedHashMap<>();
    private final Map<ChangeSet, Set<String>> cache = new IdentityHashMap<>();

    /**
     * @param contexts the context expression the update runs with, or {@code null} for none (Liquibase then
     *                 selects every changeset, whatever its context)
     * @param labels   the label expression, or {@code null} for none
     * @param targets  the databases the changelog is applied to or generated for (offline databases will do:
     *                 only their short name is read)
     */
    public ChangesetSelection(String contexts, String labels, List<Database> targets) {
        this.contextText = blankToNull(contexts);
        this.labelText = blankToNull(labels);
        this.contexts = new Contexts(contextText);
        this.labels = new LabelExpression(labelText);
        for (Database target : targets) {
            this.targets.putIfAbsent(target.getShortName(), target);
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** The configured context expression, or {@code null}. */
    public String contexts() {
        return contextText;
    }

    /** The configured label expression, or {@code null}. */
    public String labels() {
        return labelText;
    }

    /** Short names of the target databases, in order. */
    public Set<String> targetNames() {
        return targets.keySet();
    }

    /** The target databases (short names) on which an update runs this changeset; empty when none. */
    public Set<String> targets(ChangeSet changeSet) {
        return cache.computeIfAbsent(changeSet, this::evaluate);
    }

    public boolean selected(ChangeSet changeSet) {
        return !targets(changeSet).isEmpty();
    }

    /** The target databases on which an update runs both changesets. */
    public Set<String> together(ChangeSet a, ChangeSet b) {
        Set<String> both = new LinkedHashSet<>(targets(a));
        both.retainAll(targets(b));
        return both;
    }

    private Set<String> evaluate(ChangeSet changeSet) {
        if (changeSet.isIgnore() || changeSet.isInheritableIgnore()) {
            return Set.of();
        }
        List<SqlVisitor> visitors = new ArrayList<>(changeSet.getSqlVisitors());
        try {
            if (!new ContextChangeSetFilter(contexts).accepts(changeSet).isAccepted()
                    || !new LabelChangeSetFilter(labels).accepts(changeSet).isAccepted()) {
                return Set.of();
            }
            Set<String> on = new LinkedHashSet<>();
            for (Map.Entry<String, Database> target : targets.entrySet()) {
                if (new DbmsChangeSetFilter(target.getValue())
                        .accepts(changeSet)
                        .isAccepted()) {
                    on.add(target.getKey());
                }
            }
            return Collections.unmodifiableSet(on);
        } finally {
            changeSet.getSqlVisitors().clear();
            changeSet.getSqlVisitors().addAll(visitors);
        }
    }

    /**
     * Whether the changeset's own preconditions decide whether it runs: when they fail, Liquibase marks it ran
     * ({@code onFail="MARK_RAN"}) or skips it for now ({@code onFail="CONTINUE"}) instead of stopping.
     */
    public static boolean guarded(ChangeSet changeSet) {
        PreconditionContainer preconditions = changeSet.getPreconditions();
        if (preconditions == null || preconditions.getNestedPreconditions().isEmpty()) {
            return false;
        }
        PreconditionContainer.FailOption onFail = preconditions.getOnFail();
        return onFail == PreconditionContainer.FailOption.MARK_RAN
                || onFail == PreconditionContainer.FailOption.CONTINUE;
    }
}
