package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.ReleasedChecksums;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import liquibase.change.CheckSum;
import liquibase.changelog.ChangeSet;

/** Lint rule {@value #ID}: a released changeset was edited (its checksum changed), or removed ({@link #REMOVED}). */
final class ReleasedChecksum implements LintRule {

    static final String ID = "smoke.lint.released-changeset-edited";

    static final String REMOVED = "smoke.lint.released-changeset-removed";

    @Override
    public String id() {
        return ID;
    }

    /**
     * Liquibase compares stored checksums only for the changesets an update selects; a context.released() changeset that
     * is in the changelog but not selected is neither checked nor "removed".
     */
    @Override
    public List<Finding> judge(LintContext context) {
        List<Finding> findings = new ArrayList<>();
        if (context.released().isEmpty()) {
            return findings;
        }
        Set<String> present = new HashSet<>();
        for (ChangeSet changeSet : context.changeLog().getChangeSets()) {
            String key = ChangesetKey.of(changeSet);
            present.add(key);
            if (!context.selection().selected(changeSet)) {
                continue;
            }
            String expected = context.released().get(key);
            if (expected != null && !changeSet.isRunOnChange()) {
                String actual = ReleasedChecksums.checksum(changeSet);
                // a <validCheckSum> naming the context.released() checksum (or ANY) is Liquibase's way to accept an
                // edit
                if (!expected.equals(actual) && !changeSet.isCheckSumValid(CheckSum.parse(expected))) {
                    findings.add(context.at(
                            Finding.error(
                                            ID,
                                            key,
                                            "the changeset was released but has been"
                                                    + " edited since; Liquibase will refuse to start in production (checksum validation)")
                                    .withExpectation(expected, actual)
                                    .withHint("undo the edit and put the change into a new changeset"),
                            changeSet));
                }
            }
        }
        for (String key : context.released().keySet()) {
            if (!present.contains(key)) {
                findings.add(Finding.warning(
                                REMOVED, key, "the changeset was released but is no longer in" + " the changelog")
                        .withHint("put it back; production has already run it"));
            }
        }
        return findings;
    }
}
