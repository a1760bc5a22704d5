package io.github.migrationsafety.smoke;

import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.listener.SqlListener;
import liquibase.resource.ResourceAccessor;

/**
 * Liquibase working on one database for one smoke run: updates and rollbacks by count with the configured
 * contexts and labels, every changeset reported to one recorder. An update that fails outside any changeset
 * (Liquibase's own tables, a lock) is a finding here; a changeset's failure is the recorder's.
 */
final class LiquibaseOnDatabase {

    /** An update that failed outside any changeset. */
    static final String UPDATE_FAILED = "smoke.update-failed";

    private final String name;
    private final String changelogFile;
    private final Liquibase liquibase;
    private final ChangesetRecorder recorder;
    private final Contexts contexts;
    private final LabelExpression labels;
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();

    LiquibaseOnDatabase(
            String name,
            DatabaseChangeLog changeLog,
            ResourceAccessor accessor,
            Database database,
            ChangesetRecorder recorder,
            SmokeConfig config) {
        this.name = name;
        this.changelogFile = config.source().file();
        this.liquibase = new Liquibase(changeLog, accessor, database);
        this.recorder = recorder;
        this.contexts = new Contexts(config.contexts());
        this.labels = new LabelExpression(config.labels());
        liquibase.setChangeExecListener(recorder);
        liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
    }

    String name() {
        return name;
    }

    ChangesetRecorder recorder() {
        return recorder;
    }

    Database database() {
        return liquibase.getDatabase();
    }

    /** Why the update stopped outside any changeset (key {@code ""}), and later the explained changeset errors. */
    Map<String, String> errors() {
        return errors;
    }

    List<Finding> findings() {
        return findings;
    }

    /** Updates all pending changesets; false when it stopped at a failure. */
    boolean updateAll() {
        return update(-1);
    }

    /** Updates the next {@code count} changesets; false when it stopped at a failure. */
    boolean update(int count) {
        try {
            SqlListener statements = recorder.statements();
            if (statements == null) {
                runUpdate(count);
            } else {
                Scope.child(statements, () -> runUpdate(count));
            }
            return true;
        } catch (Exception e) {
            if (!recorder.anyFailed()) {
                String message = Failures.changesetError(e);
                errors.put("", message);
                findings.add(
                        Finding.error(UPDATE_FAILED, changelogFile, "the update on " + name + " failed: " + message)
                                .withHint("fix the changelog or the changeset named in the message; the"
                                        + " SQL it runs is in the report and in the generated SQL file"));
            }
            return false;
        }
    }

    private void runUpdate(int count) throws Exception {
        if (count < 0) {
            liquibase.update(contexts, labels);
        } else {
            liquibase.update(count, contexts, labels);
        }
    }

    void rollback(int count) throws Exception {
        liquibase.rollback(count, contexts, labels);
    }
}
