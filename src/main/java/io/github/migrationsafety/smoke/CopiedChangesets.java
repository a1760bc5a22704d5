package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.changelog.ChangesetSelection;
import io.github.migrationsafety.changelog.ReleasedChecksums;
import io.github.migrationsafety.report.Finding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;

/**
 * Lint rule {@value #IDENTICAL}: a changeset whose changes (its checksum) equal an earlier changeset's under another
 * id, which would run them twice. Its own class because telling a deliberate repeat from a copy takes most of the
 * rule: the selection, preconditions, queries and an undo between the two.
 */
final class CopiedChangesets implements LintRule {

    static final String ID = "smoke.lint.identical-changesets";
    static final String IDENTICAL = ID;

    private static final Pattern QUERY_SQL = Pattern.compile("(?is)^\\s*select\\b[^;]*;?\\s*$");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> judge(LintContext context) {
        return find(context.selected(), context.offline(), context.selection(), context.locator());
    }

    /**
     * The same changes under another id run twice. Not reported when no database runs both (contexts, labels,
     * {@code dbms}), when either is guarded by a precondition that marks it ran or skips it
     * ({@code onFail="MARK_RAN"} or {@code "CONTINUE"}: repeating it was deliberate), when the changes are
     * only queries ({@code SELECT}, e.g. an idempotent {@code SELECT setval(...)} repeated after data loads), or
     * when a changeset between the two undoes the first (drop a foreign key, change the column, add it again).
     */
    private static List<Finding> find(
            List<ChangeSet> selected, Database offline, ChangesetSelection selection, ChangesetLocator locator) {
        List<Finding> findings = new ArrayList<>();
        Map<String, List<ChangeSet>> byChecksum = new LinkedHashMap<>();
        for (ChangeSet changeSet : selected) {
            if (changeSet.getChanges().isEmpty() || ChangesetSelection.guarded(changeSet) || onlyQueries(changeSet)) {
                continue;
            }
            String checksum = ReleasedChecksums.checksum(changeSet);
            List<ChangeSet> earlier = byChecksum.computeIfAbsent(checksum, k -> new ArrayList<>());
            String key = ChangesetKey.of(changeSet);
            ChangeSet first = earlier.stream()
                    .filter(e -> !ChangesetKey.of(e).equals(key)
                            && !selection.together(e, changeSet).isEmpty())
                    .findFirst()
                    .orElse(null);
            earlier.add(changeSet);
            if (first != null && !undoneBetween(first, changeSet, selected, offline)) {
                findings.add(Finding.warning(
                                IDENTICAL,
                                key,
                                "the changeset has the same changes as " + ChangesetKey.of(first)
                                        + " under a different id; it would run twice")
                        .withHint("remove the copy or change its id back")
                        .at(changeSet.getFilePath(), locator.line(changeSet)));
            }
        }
        return findings;
    }

    /**
     * Whether a changeset between {@code first} and its copy undoes {@code first}: its SQL contains the SQL of
     * {@code first}'s rollback, e.g. a foreign key dropped to change a column's type and then added again by the
     * copy. Running the same changes twice is then the point.
     */
    private static boolean undoneBetween(ChangeSet first, ChangeSet copy, List<ChangeSet> order, Database offline) {
        Set<String> undo = new HashSet<>();
        for (Change change : first.getChanges()) {
            try {
                undo.addAll(sql(change.generateRollbackStatements(offline), offline));
            } catch (Exception | LinkageError e) {
                // no automatic rollback: nothing to look for
            }
        }
        if (undo.isEmpty()) {
            return false;
        }
        int from = order.indexOf(first);
        int to = order.indexOf(copy);
        for (ChangeSet between : order.subList(from + 1, Math.max(from + 1, to))) {
            for (Change change : between.getChanges()) {
                try {
                    if (!Collections.disjoint(undo, sql(change.generateStatements(offline), offline))) {
                        return true;
                    }
                } catch (Exception | LinkageError e) {
                    // a change that cannot be written offline (customChange needing a connection) undoes nothing known
                }
            }
        }
        return false;
    }

    private static List<String> sql(SqlStatement[] statements, Database offline) {
        List<String> sql = new ArrayList<>();
        for (SqlStatement statement : statements == null ? new SqlStatement[0] : statements) {
            for (Sql line : SqlGeneratorFactory.getInstance().generateSql(statement, offline)) {
                sql.add(line.toSql().strip().toLowerCase(Locale.ROOT));
            }
        }
        return sql;
    }

    private static boolean onlyQueries(ChangeSet changeSet) {
        for (Change change : changeSet.getChanges()) {
            if (!(change instanceof AbstractSQLChange sql) || sql.getSql() == null) {
                return false;
            }
            for (String statement : sql.getSql().split(";")) {
                String text = statement.replaceAll("(?m)--.*$", "").strip();
                if (!text.isEmpty() && !QUERY_SQL.matcher(text).matches()) {
                    return false;
                }
            }
        }
        return true;
    }
}
