package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.ChangesetSelection;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.core.CreateProcedureChange;
import liquibase.change.core.CreateViewChange;
import liquibase.changelog.ChangeSet;

/** Lint rule {@value #ID}: runOnChange or runAlways on a changeset with DDL. */
final class RerunDdl implements LintRule {

    static final String ID = "smoke.lint.rerun-ddl";

    private static final Pattern DDL_SQL = Pattern.compile("(?is)^\\s*(create|alter|drop|truncate|rename)\\b.*");
    private static final Pattern IDEMPOTENT_SQL = Pattern.compile(
            "(?is)^\\s*(create\\s+or\\s+replace\\b|create\\b[^;]*?\\bif\\s+not\\s+exists\\b|(drop|alter)\\b[^;]*?\\bif\\s+exists\\b).*");

    @Override
    public String id() {
        return ID;
    }

    /**
     * DDL in a changeset that runs again. Not reported for a changeset whose precondition decides whether it runs
     * ({@code onFail="MARK_RAN"}/{@code "CONTINUE"}), nor for DDL written to be repeated: {@code CREATE OR
     * REPLACE}, {@code IF [NOT] EXISTS}, {@code createView}/{@code createProcedure} with {@code replaceIfExists}
     * (Liquibase's own advice for views and procedures is runOnChange).
     */
    @Override
    public List<Finding> judge(LintContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ChangeSet changeSet : context.selected()) {
            if (!changeSet.isRunOnChange() && !changeSet.isAlwaysRun() || ChangesetSelection.guarded(changeSet)) {
                continue;
            }
            for (Change change : changeSet.getChanges()) {
                if (isDdl(change) && !repeatable(change)) {
                    String attribute = changeSet.isAlwaysRun() ? "runAlways" : "runOnChange";
                    findings.add(context.at(
                            Finding.warning(
                                            ID,
                                            ChangesetKey.of(changeSet),
                                            attribute
                                                    + " is set on a changeset with DDL ('"
                                                    + change.getSerializedObjectName()
                                                    + "'); running it again fails or changes the schema twice")
                                    .withHint("remove " + attribute + " and put schema changes into new changesets"),
                            changeSet));
                    break;
                }
            }
        }
        return findings;
    }

    static boolean isDdl(Change change) {
        if (change instanceof AbstractSQLChange sql) {
            String text = sql.getSql();
            return text != null && DDL_SQL.matcher(text).matches();
        }
        String name = change.getSerializedObjectName().toLowerCase(Locale.ROOT);
        return name.startsWith("create")
                || name.startsWith("add")
                || name.startsWith("drop")
                || name.startsWith("rename")
                || name.startsWith("modify")
                || name.startsWith("alter");
    }

    static boolean repeatable(Change change) {
        if (change instanceof AbstractSQLChange sql) {
            String text = sql.getSql();
            return text != null && IDEMPOTENT_SQL.matcher(text).matches();
        }
        if (change instanceof CreateViewChange view) {
            return Boolean.TRUE.equals(view.getReplaceIfExists());
        }
        if (change instanceof CreateProcedureChange procedure) {
            return Boolean.TRUE.equals(procedure.getReplaceIfExists());
        }
        return false;
    }
}
