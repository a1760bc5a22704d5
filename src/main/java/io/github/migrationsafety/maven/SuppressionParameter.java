package io.github.migrationsafety.maven;

/**
 * One {@code <suppression>} of the smoke goal's {@code suppressions}: the findings of one rule on the changesets it
 * names are accepted, for a reason.
 * <pre>{@code
 * <suppression>
 *   <changeset>db/changelog/db.changelog-master.xml::add-stage-index::bob</changeset>  <!-- or an id: add-stage-* -->
 *   <rule>smoke.impact.index-not-concurrent</rule>
 *   <reason>model_stage has 200 rows; the build takes milliseconds</reason>
 * </suppression>
 * }</pre>
 */
public class SuppressionParameter {

    /**
     * The changeset: its key {@code path::id::author} as the build log shows it, or its id; {@code *} matches any
     * characters. Required.
     */
    private String changeset;

    /** The rule id the build log shows in brackets, e.g. {@code smoke.impact.index-not-concurrent}. Required. */
    private String rule;

    /** Why the finding is accepted; shown with it in every report. Required. */
    private String reason;

    public String getChangeset() {
        return changeset;
    }

    public String getRule() {
        return rule;
    }

    public String getReason() {
        return reason;
    }
}
