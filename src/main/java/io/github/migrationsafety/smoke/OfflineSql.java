package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.LiquibaseMessages;
import java.util.LinkedHashMap;
import java.util.Map;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.change.Change;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.database.Database;
import liquibase.sql.Sql;
import liquibase.sql.visitor.SqlVisitor;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;

/**
 * The update SQL for a dialect, generated without any database by Liquibase's own SQL generators against an
 * offline database of that dialect.
 *
 * <p>Why not Liquibase's {@code updateSql} with an {@code offline:} URL: it keeps the offline history in a CSV
 * file that it re-reads and rewrites for every changeset, which took 21 s for 500 changesets where applying
 * them to H2 took 4 s. Generating changeset by changeset gives the same statements in linear time; only
 * Liquibase's own DATABASECHANGELOG bookkeeping statements are left out, which reviewers do not need.
 */
final class OfflineSql {

    /** The whole script and the SQL of each changeset, keyed by {@code path::id::author}. */
    record Script(String text, Map<String, String> perChangeset) {}

    /** A changeset whose SQL cannot be generated for the dialect. */
    static final class GenerationException extends Exception {
        final String changeset;

        GenerationException(String changeset, String message) {
            super(message);
            this.changeset = changeset;
        }
    }

    private OfflineSql() {}

    static Script generate(
            DatabaseChangeLog changeLog, Database offline, Contexts contexts, LabelExpression labels, String header)
            throws GenerationException {
        ContextChangeSetFilter contextFilter = new ContextChangeSetFilter(contexts);
        LabelChangeSetFilter labelFilter = new LabelChangeSetFilter(labels);
        DbmsChangeSetFilter dbmsFilter = new DbmsChangeSetFilter(offline);
        SqlGeneratorFactory generators = SqlGeneratorFactory.getInstance();
        StringBuilder script = new StringBuilder(header).append('\n');
        Map<String, String> perChangeset = new LinkedHashMap<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            if (changeSet.isIgnore()
                    || !contextFilter.accepts(changeSet).isAccepted()
                    || !labelFilter.accepts(changeSet).isAccepted()
                    || !dbmsFilter.accepts(changeSet).isAccepted()) {
                continue;
            }
            String key = ChangesetKey.of(changeSet);
            StringBuilder sql = new StringBuilder();
            try {
                for (Change change : changeSet.getChanges()) {
                    SqlStatement[] statements;
                    try {
                        statements = change.generateStatements(offline);
                    } catch (RuntimeException | LinkageError e) {
                        if (!(change instanceof CustomChangeWrapper custom)) {
                            throw e;
                        }
                        // a customChange that needs a live connection to decide its SQL (Liquibase's updateSql
                        // cannot show it either); it runs on the databases below like any other change
                        sql.append("-- customChange ")
                                .append(custom.getClassName())
                                .append(": its SQL depends on the database and is produced when it runs\n");
                        continue;
                    }
                    for (Sql generated : generators.generateSql(statements, offline)) {
                        String text = generated.toSql();
                        for (SqlVisitor visitor : changeSet.getSqlVisitors()) {
                            if (applies(visitor, offline)) {
                                text = visitor.modifySql(text, offline);
                            }
                        }
                        String delimiter = generated.getEndDelimiter() == null ? ";" : generated.getEndDelimiter();
                        sql.append(text)
                                .append(text.endsWith(delimiter) ? "" : delimiter)
                                .append('\n');
                    }
                }
            } catch (Exception e) {
                throw new GenerationException(key, LiquibaseMessages.rootMessage(e));
            }
            String text = sql.toString().strip();
            perChangeset.put(key, text);
            script.append("\n-- Changeset ")
                    .append(key)
                    .append('\n')
                    .append(text)
                    .append(text.isEmpty() ? "" : "\n");
        }
        return new Script(script.toString(), perChangeset);
    }

    private static boolean applies(SqlVisitor visitor, Database database) {
        return visitor.getApplicableDbms() == null
                || visitor.getApplicableDbms().isEmpty()
                || visitor.getApplicableDbms().contains(database.getShortName())
                || visitor.getApplicableDbms().contains("all");
    }
}
