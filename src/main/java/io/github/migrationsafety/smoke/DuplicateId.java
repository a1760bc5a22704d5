package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import liquibase.GlobalConfiguration;
import liquibase.changelog.ChangeSet;

/** Lint rule {@value #ID}: one update selects two changesets with the same path, id and author. */
final class DuplicateId implements LintRule {

    static final String ID = "smoke.lint.duplicate-id";

    @Override
    public String id() {
        return ID;
    }

    /**
     * Liquibase's validation fails with "changesets had duplicate identifiers" when one update selects two
     * changesets with the same path, id and author (unless {@code allowDuplicatedChangesetIdentifiers} is set, when
     * it runs the first and skips the others). Pairs that no target database runs together (other contexts,
     * labels or a disjoint {@code dbms}) are what Liquibase accepts, and so are not reported. (Liquibase's parser
     * already leaves out changesets whose {@code dbms} excludes the database it parses for, here the dialect.)
     */
    @Override
    public List<Finding> judge(LintContext context) {
        List<Finding> findings = new ArrayList<>();
        if (Boolean.TRUE.equals(GlobalConfiguration.ALLOW_DUPLICATED_CHANGESETS_IDENTIFIERS.getCurrentValue())) {
            return findings;
        }
        Map<String, List<ChangeSet>> byKey = new HashMap<>();
        for (ChangeSet changeSet : context.changeLog().getChangeSets()) {
            String key = ChangesetKey.of(changeSet);
            List<ChangeSet> earlier = byKey.computeIfAbsent(key, k -> new ArrayList<>());
            int occurrence = earlier.size() + 1;
            earlier.add(changeSet);
            if (!context.selection().selected(changeSet)) {
                continue;
            }
            ChangeSet first = earlier.stream()
                    .limit(occurrence - 1L)
                    .filter(e -> !context.selection().together(e, changeSet).isEmpty())
                    .findFirst()
                    .orElse(null);
            if (first == null) {
                continue;
            }
            String message = "the changeset identifier (path, id, author) is used more than once; Liquibase records"
                    + " only one of them as run";
            String hint = "give each changeset a unique id";
            String firstContext = Objects.toString(first.buildFullContext(), "");
            String ownContext = Objects.toString(changeSet.buildFullContext(), "");
            if (context.selection().contexts() == null && !firstContext.equals(ownContext)) {
                message += "; the two differ by context ('" + firstContext + "' and '" + ownContext + "'), and without"
                        + " contexts Liquibase selects both and stops before running anything (duplicate identifiers)";
                hint = "set 'contexts' to the contexts production runs Liquibase with, or give each changeset a"
                        + " unique id";
            }
            findings.add(Finding.error(ID, key, message)
                    .withHint(hint)
                    .at(changeSet.getFilePath(), context.locator().line(changeSet, occurrence)));
        }
        return findings;
    }
}
