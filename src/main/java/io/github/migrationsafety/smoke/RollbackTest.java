package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.change.Change;
import liquibase.change.core.CreateTableChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;

/**
 * The rollback round trip on one database, in either mode: {@link #allAtOnce} after a whole update, or
 * {@link #perChangeset}, which is itself the update. Collects its own findings and checks.
 */
final class RollbackTest {

    private final LiquibaseOnDatabase run;
    private final Connection connection;
    private final EngineLog log;
    private final List<Finding> findings = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();

    RollbackTest(LiquibaseOnDatabase run, Connection connection, EngineLog log) {
        this.run = run;
        this.connection = connection;
        this.log = log;
    }

    List<Finding> findings() {
        return findings;
    }

    List<Check> checks() {
        return checks;
    }

    /**
     * Rolls back everything the update recorded, checking each changeset's step (see {@link RollbackSteps}), then
     * updates again and compares with the migrated schema.
     */
    void allAtOnce(RollbackSteps steps, SchemaSnapshot start, SchemaSnapshot migrated, DatabaseChangeLog changeLog)
            throws SQLException {
        String name = run.name();
        ChangesetRecorder recorder = run.recorder();
        String subject = "all " + recorder.ranOrder().size() + " changesets";
        long started = System.nanoTime();
        steps.stopRecording();
        Exception failure = null;
        try {
            rollBackRecorded(steps);
        } catch (Exception e) {
            failure = e;
        }
        for (RollbackSteps.Mismatch mismatch : steps.mismatches()) {
            failed(
                    mismatch.changeset(),
                    "its rollback does not restore the schema it started from on " + name + ": "
                            + SchemaSnapshot.describe(mismatch.differences(), 10),
                    started);
        }
        if (failure != null) {
            failed(subject, "rollback failed on " + name + ": " + rollbackFailure(failure), started);
            return;
        }
        if (!steps.mismatches().isEmpty()) {
            return;
        }
        List<String> differences = SchemaSnapshot.of(connection).differencesFrom(start);
        if (!differences.isEmpty()) {
            failed(
                    subject,
                    "rolling back " + subject + " on " + name + " does not restore the empty start: "
                            + SchemaSnapshot.describe(
                                    differences.stream()
                                            .map(d -> d + creator(d, changeLog))
                                            .toList(),
                                    10),
                    started);
            return;
        }
        recorder.recordTimes(false);
        if (!run.updateAll()) {
            failed(subject, "updating again after the rollback failed on " + name, started);
            return;
        }
        if (!sameSchema(
                migrated, subject, "updating again after the rollback gives a different schema on " + name, started)) {
            return;
        }
        checks.add(Check.passed("rollback." + name.toLowerCase(Locale.ROOT), subject, elapsed(started)));
        log.info(name + ": rollback of " + subject + " and update again give the same schema ("
                + elapsed(started).toMillis() + " ms)");
    }

    /**
     * Rolls back everything the update recorded. A changeset only marked ran here (its precondition failed on this
     * database, typically a dbms precondition on H2) changed nothing, yet Liquibase would run its rollback, which
     * then fails on objects that were never created. On the database it targets the changeset executes and its
     * rollback means something; here its record is removed instead, and the changesets around it are rolled
     * back by Liquibase.
     */
    private void rollBackRecorded(RollbackSteps steps) throws Exception {
        int pending = 0;
        for (RollbackSteps.Recorded recorded : steps.newestFirst()) {
            if (!recorded.markedRan()) {
                pending++;
                continue;
            }
            if (pending > 0) {
                run.rollback(pending);
                pending = 0;
            }
            run.database().removeRanStatus(recorded.changeSet());
            run.database().commit();
        }
        if (pending > 0) {
            run.rollback(pending);
        }
    }

    /**
     * Applies the changesets one at a time; after each, rolls it back, compares with the schema before it and
     * applies it again. Returns false when the update stopped at a failure.
     */
    boolean perChangeset(SchemaSnapshot start) throws SQLException {
        String name = run.name();
        ChangesetRecorder recorder = run.recorder();
        SchemaSnapshot before = start;
        while (true) {
            int ran = recorder.ranOrder().size();
            recorder.recordTimes(true);
            if (!run.update(1)) {
                return false;
            }
            if (recorder.ranOrder().size() == ran) {
                return true;
            }
            String changeset = recorder.lastRan();
            if (recorder.lastFailureIgnored()) {
                // failOnError="false" let it fail, and Liquibase recorded no row for it: the next update by count
                // would run it again, and this loop would never end. The rest is applied at once, without a round trip
                log.info(name + ": " + changeset + " failed and failOnError=\"false\" let the update go on;"
                        + " Liquibase records no row for it, so the changesets after it are applied at once,"
                        + " without a rollback round trip each");
                recorder.recordTimes(true);
                return run.updateAll();
            }
            if (!recorder.lastExecuted()) {
                continue; // only marked ran (see rollBackRecorded): nothing of it to roll back here
            }
            SchemaSnapshot after = SchemaSnapshot.of(connection);
            long started = System.nanoTime();
            try {
                run.rollback(1);
            } catch (Exception e) {
                failed(changeset, "rollback failed on " + name + ": " + rollbackFailure(e), started);
                return true;
            }
            if (!sameSchema(
                    before,
                    changeset,
                    "its rollback does not restore the schema it started from on " + name,
                    started)) {
                return true;
            }
            recorder.recordTimes(false);
            if (!run.update(1)) {
                failed(
                        changeset,
                        "applying it again after its rollback failed on " + name + ": "
                                + run.errors().getOrDefault("", "see the changeset failure"),
                        started);
                return false;
            }
            if (!sameSchema(
                    after,
                    changeset,
                    "applying it again after its rollback gives a different schema on " + name,
                    started)) {
                return true;
            }
            checks.add(Check.passed("rollback." + name.toLowerCase(Locale.ROOT), changeset, elapsed(started)));
            before = after;
        }
    }

    /**
     * Whether the schema is now {@code expected}; when it is not, {@code changeset} fails with {@code what} and the
     * first differences.
     */
    private boolean sameSchema(SchemaSnapshot expected, String changeset, String what, long started)
            throws SQLException {
        List<String> differences = SchemaSnapshot.of(connection).differencesFrom(expected);
        if (differences.isEmpty()) {
            return true;
        }
        failed(changeset, what + ": " + SchemaSnapshot.describe(differences, 10), started);
        return false;
    }

    /** The failing changeset's own error when Liquibase reported one, else the exception's. */
    private String rollbackFailure(Exception failure) {
        ChangesetRecorder recorder = run.recorder();
        return recorder.rollbackFailure() != null ? recorder.rollbackFailure() : Failures.changesetError(failure);
    }

    private void failed(String changeset, String message, long started) {
        checks.add(Check.failed("rollback", changeset, elapsed(started), message));
        findings.add(Finding.error("smoke.rollback", changeset, message)
                .withHint("fix the changeset's <rollback> so it undoes exactly what the changeset does"));
    }

    /** " (created by changeset …)" for a left-over table, so the user knows whose rollback to fix. */
    private static String creator(String difference, DatabaseChangeLog changeLog) {
        Matcher m = Pattern.compile("^\\+ (?:table|column) (\\w+)").matcher(difference);
        if (!m.find()) {
            return "";
        }
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            for (Change change : changeSet.getChanges()) {
                if (change instanceof CreateTableChange create && m.group(1).equalsIgnoreCase(create.getTableName())) {
                    return difference.startsWith("+ table") ? " (created by " + ChangesetKey.of(changeSet) + ")" : "";
                }
            }
        }
        return "";
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
