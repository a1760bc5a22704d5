package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.changelog.ChangeSet;

/**
 * Checks a whole-changelog rollback one changeset at a time. During the update it records the schema each
 * changeset started from; during the rollback it compares the schema after each changeset's rollback with that
 * record.
 *
 * <p>Why not compare only the end of the rollback with the empty start: the usual changelog creates a table and
 * then changes it, and rolling back the table's creation drops whatever a later changeset's no-op rollback left
 * on it (an index, a constraint), so the end looks right. Checking after each step names the changeset whose
 * rollback is wrong, in one rollback pass instead of a rollback and a re-apply per changeset.
 */
final class RollbackSteps {

    /** A changeset whose rollback left the schema different from the one it started from. */
    record Mismatch(String changeset, List<String> differences) {}

    /** A changeset the update recorded in DATABASECHANGELOG, and whether it really ran or was only marked ran. */
    record Recorded(ChangeSet changeSet, boolean markedRan) {}

    private final Connection connection;
    private final Map<String, SchemaSnapshot> startedFrom = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private final List<Recorded> recorded = new ArrayList<>();
    private final List<Mismatch> mismatches = new ArrayList<>();
    private SchemaSnapshot current;
    private boolean recording = true;

    RollbackSteps(Connection connection, SchemaSnapshot start) {
        this.connection = connection;
        this.current = start;
    }

    /** Called after a changeset ran during the first update. */
    void ran(ChangeSet changeSet, ChangeSet.ExecType execType) throws SQLException {
        if (!recording) {
            return;
        }
        boolean executed = execType == ChangeSet.ExecType.EXECUTED || execType == ChangeSet.ExecType.RERAN;
        if (executed || execType == ChangeSet.ExecType.MARK_RAN) {
            recorded.add(new Recorded(changeSet, !executed));
        }
        startedFrom.put(ChangesetKey.of(changeSet), current);
        if (executed) {
            current = SchemaSnapshot.of(connection);
        }
    }

    /** What the update recorded, newest first: the order a rollback undoes it in. */
    List<Recorded> newestFirst() {
        List<Recorded> list = new ArrayList<>(recorded);
        Collections.reverse(list);
        return list;
    }

    /** Stops recording: later updates (the re-apply after the rollback) are checked otherwise. */
    void stopRecording() {
        recording = false;
    }

    /** Called after a changeset's rollback ran, before it commits. */
    void rolledBack(String changeset) throws SQLException {
        SchemaSnapshot expected = startedFrom.get(changeset);
        if (expected == null) {
            return;
        }
        List<String> differences = SchemaSnapshot.of(connection).differencesFrom(expected);
        // a difference already blamed on a later changeset is still there, not this changeset's doing
        List<String> own =
                differences.stream().filter(d -> !reported.contains(d)).toList();
        reported.addAll(differences);
        if (!own.isEmpty()) {
            mismatches.add(new Mismatch(changeset, own));
        }
    }

    List<Mismatch> mismatches() {
        return mismatches;
    }
}
