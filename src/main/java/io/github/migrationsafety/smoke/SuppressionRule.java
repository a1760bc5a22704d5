package io.github.migrationsafety.smoke;

import java.util.Objects;

/**
 * One entry of the POM's {@code suppressions}: the findings of {@code rule} on the changesets {@code changeset}
 * names are accepted, for {@code reason}.
 *
 * @param changeset a changeset key {@code path::id::author}, or a changeset id; {@code *} matches any characters
 *                  in either ({@code db/changelog/legacy/*::*::*}, {@code add-index-*}); for a Flyway migration its
 *                  key ({@code db/migration/V2__add_index.sql}) or file name ({@code V2__*})
 * @param rule      a rule id, e.g. {@code smoke.impact.index-not-concurrent}; {@code *} matches any characters
 * @param reason    why the team accepts it, never blank
 */
public record SuppressionRule(String changeset, String rule, String reason) {

    public SuppressionRule {
        Objects.requireNonNull(changeset, "changeset");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        if (changeset.isBlank() || rule.isBlank() || reason.isBlank()) {
            throw new IllegalArgumentException("a suppression needs a changeset, a rule and a reason");
        }
    }
}
