package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.changelog.LiquibaseMessages;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.smoke.Failures;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.lockservice.LockServiceFactory;
import liquibase.structure.core.Schema;

/**
 * Liquibase's own update on a database: the pending changesets on the copy of production's schema, in Liquibase's
 * order and by its history, each one's effect on production's tables read from the catalog after it ran; or, on a
 * fresh database, only the changesets production applied, in its ORDEREXECUTED order. Runs inside the smoke's
 * Liquibase session.
 */
final class ChangelogOnCopy {

    /**
     * One changeset's (or migration's) outcome: {@code passed}, {@code failed} or {@code not run}, the error, its
     * effects.
     *
     * @param key       its name in the smoke's report
     * @param file      the file the findings point to
     * @param changeSet the Liquibase changeset, or {@code null} for another tool's migration
     * @param ranLater  for another tool's failed migration, the migrations production already ran that come after it
     *                  in the tool's order (it runs after them there, before them on an empty database)
     */
    record Outcome(
            String key,
            String file,
            ChangeSet changeSet,
            String status,
            String error,
            List<Effect> effects,
            List<String> ranLater) {

        Outcome(ChangeSet changeSet, String status, String error, List<Effect> effects) {
            this(changeSet.toString(false), changeSet.getFilePath(), changeSet, status, error, effects, List.of());
        }
    }

    /**
     * What the update did.
     *
     * @param changeLog the changelog as parsed for this database; {@code null} for another tool's migrations
     * @param ran       the changesets production's history lists, as Liquibase reads them (none for another tool)
     * @param pending    the changesets Liquibase would run, in its order, with their outcomes
     * @param refused    why Liquibase refused the whole update (its validation), or {@code null}
     * @param production the copy's catalog before the update: production's schema, in the schemas the migrations
     *                   work in
     * @param onRebuild  the changesets judged on the applied changesets' rebuild instead of the copy
     *                   ({@link #continuedOn})
     * @param gaps       where production's history and the changelog differ ({@link HistoryGaps})
     */
    record Update(
            DatabaseChangeLog changeLog,
            List<RanChangeSet> ran,
            List<Outcome> pending,
            String refused,
            Catalog production,
            Set<String> onRebuild,
            HistoryGaps gaps) {

        Update(
                DatabaseChangeLog changeLog,
                List<RanChangeSet> ran,
                List<Outcome> pending,
                String refused,
                Catalog production) {
            this(changeLog, ran, pending, refused, production, Set.of(), HistoryGaps.NONE);
        }

        /**
         * This update up to {@code from}, then the outcomes of {@code rest} (the same pending changesets run on the
         * applied changesets' rebuild) from {@code from} on.
         */
        Update continuedOn(Update rest, String from) {
            Map<String, Outcome> later = new LinkedHashMap<>();
            rest.pending().forEach(o -> later.put(o.key(), o));
            List<Outcome> merged = new ArrayList<>();
            Set<String> judged = new LinkedHashSet<>();
            boolean switched = false;
            for (Outcome outcome : pending) {
                switched |= outcome.key().equals(from);
                if (switched && later.containsKey(outcome.key())) {
                    merged.add(later.get(outcome.key()));
                    judged.add(outcome.key());
                } else {
                    merged.add(outcome);
                }
            }
            return new Update(changeLog, ran, List.copyOf(merged), refused, production, Set.copyOf(judged), gaps);
        }

        /** The ran changesets of the changelog, by key, in changelog order. */
        List<ChangeSet> ranChangeSets() {
            List<ChangeSet> list = new ArrayList<>();
            if (changeLog == null) {
                return list;
            }
            for (ChangeSet changeSet : changeLog.getChangeSets()) {
                if (ran.stream().anyMatch(r -> r.isSameAs(changeSet))) {
                    list.add(changeSet);
                }
            }
            return list;
        }
    }

    private ChangelogOnCopy() {}

    /**
     * Runs the pending changesets on {@code connection} (the copy); their effects are judged on the tables production
     * has, in {@code schema} and every other schema the changelog's changes name.
     */
    static Update pending(
            Connection connection,
            String schema,
            String historyTable,
            ChangelogSource source,
            TrackingResourceAccessor accessor)
            throws Exception {
        Database database = fresh(connection, schema);
        DatabaseChangeLog changeLog = ChangelogReader.parse(source, accessor, database);
        List<String> schemas = schemas(schema, changeLog, database);
        Catalog production = Catalog.read(connection, schema, schemas, historyTable);
        Set<String> existing = production.tables().keySet();
        Liquibase liquibase = new Liquibase(changeLog, accessor, database);
        liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
        Contexts contexts = new Contexts(source.contexts());
        LabelExpression labels = new LabelExpression(source.labels());
        List<RanChangeSet> ran = database.getRanChangeSetList();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        String refused = null;
        List<ChangeSet> unrun;
        try {
            unrun = liquibase.listUnrunChangeSets(contexts, labels);
        } catch (LiquibaseException e) {
            return new Update(
                    changeLog,
                    ran,
                    List.of(),
                    LiquibaseMessages.rootMessage(e),
                    production,
                    Set.of(),
                    HistoryGaps.of(changeLog, ran, database));
        }
        for (ChangeSet changeSet : unrun) {
            outcomes.put(changeSet.toString(false), new Outcome(changeSet, "not run", null, List.of()));
        }
        Catalog[] last = {production};
        liquibase.setChangeExecListener(new AbstractChangeExecListener() {
            @Override
            public void ran(ChangeSet changeSet, DatabaseChangeLog log, Database db, ChangeSet.ExecType execType) {
                List<Effect> effects = List.of();
                if (execType == ChangeSet.ExecType.EXECUTED || execType == ChangeSet.ExecType.RERAN) {
                    try {
                        Catalog after = Catalog.read(connection, schema, schemas, historyTable);
                        effects = Effect.between(last[0], after, existing);
                        last[0] = after;
                    } catch (SQLException e) {
                        throw new IllegalStateException(
                                "the rehearsal could not read the copy's catalog after " + changeSet.toString(false)
                                        + ": " + e.getMessage(),
                                e);
                    }
                }
                outcomes.put(changeSet.toString(false), new Outcome(changeSet, "passed", null, effects));
            }

            @Override
            public void runFailed(ChangeSet changeSet, DatabaseChangeLog log, Database db, Exception exception) {
                outcomes.put(
                        changeSet.toString(false),
                        new Outcome(changeSet, "failed", Failures.changesetError(exception), List.of()));
            }
        });
        try {
            liquibase.update(contexts, labels);
        } catch (LiquibaseException e) {
            if (outcomes.values().stream().noneMatch(o -> o.status().equals("failed"))) {
                refused = LiquibaseMessages.rootMessage(e);
            }
        }
        // after the update: each changeset holds the checksum Liquibase's validation computed for it
        return new Update(
                changeLog,
                ran,
                List.copyOf(outcomes.values()),
                refused,
                production,
                Set.of(),
                HistoryGaps.of(changeLog, ran, database));
    }

    /**
     * {@code schema} and every other schema a change of the changelog names ({@code schemaName},
     * {@code baseTableSchemaName}, {@code referencedTableSchemaName}, ...), in PostgreSQL's spelling: the schemas the
     * migrations work in, where drift is looked for and production's rows are counted. A schema only raw SQL names is
     * not among them.
     */
    static List<String> schemas(String schema, DatabaseChangeLog changeLog, Database database) {
        ChangeFactory factory = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
        Set<String> schemas = new LinkedHashSet<>(List.of(schema));
        Set<String> named = new TreeSet<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            for (Change change : changeSet.getChanges()) {
                for (Map.Entry<String, Object> parameter :
                        factory.getParameters(change).entrySet()) {
                    if (parameter.getKey().toLowerCase(Locale.ROOT).endsWith("schemaname")
                            && parameter.getValue() instanceof String name
                            && !name.isBlank()) {
                        named.add(database.correctObjectName(name.trim(), Schema.class));
                    }
                }
            }
        }
        schemas.addAll(named);
        return List.copyOf(schemas);
    }

    /**
     * Applies to {@code connection} (a fresh database) only the changesets production's history lists as executed,
     * in its ORDEREXECUTED order: the schema production should have. Changesets production marked ran without
     * running them ({@code MARK_RAN}) are left out, as are history rows the changelog no longer has.
     *
     * @return the failure that stopped it, or {@code null}
     */
    static String rebuild(
            Connection connection,
            String schema,
            ChangelogSource source,
            TrackingResourceAccessor accessor,
            List<RanChangeSet> ran)
            throws Exception {
        Database database = fresh(connection, schema);
        DatabaseChangeLog changeLog = ChangelogReader.parse(source, accessor, database);
        DatabaseChangeLog applied = new DatabaseChangeLog(changeLog.getPhysicalFilePath());
        applied.setChangeLogParameters(changeLog.getChangeLogParameters());
        List<RanChangeSet> ordered = new ArrayList<>(ran);
        ordered.sort(
                Comparator.comparing(RanChangeSet::getOrderExecuted, Comparator.nullsLast(Comparator.naturalOrder())));
        for (RanChangeSet row : ordered) {
            ChangeSet changeSet = executed(row) ? changeSetOf(changeLog, row) : null;
            if (changeSet != null) {
                applied.addChangeSet(changeSet);
            }
        }
        Liquibase liquibase = new Liquibase(applied, accessor, database);
        liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
        String[] failed = {null};
        liquibase.setChangeExecListener(new AbstractChangeExecListener() {
            @Override
            public void runFailed(ChangeSet changeSet, DatabaseChangeLog log, Database db, Exception exception) {
                failed[0] = changeSet.toString(false) + ": " + Failures.changesetError(exception);
            }
        });
        try {
            liquibase.update(new Contexts(), new LabelExpression());
        } catch (LiquibaseException e) {
            return failed[0] != null ? failed[0] : LiquibaseMessages.rootMessage(e);
        }
        return null;
    }

    /** Whether production's history row stands for a run: not {@code MARK_RAN} or {@code SKIPPED}, which ran nothing. */
    static boolean executed(RanChangeSet row) {
        return row.getExecType() != ChangeSet.ExecType.MARK_RAN && row.getExecType() != ChangeSet.ExecType.SKIPPED;
    }

    /** The changeset of {@code changeLog} that history row {@code row} stands for, as Liquibase matches them, or null. */
    static ChangeSet changeSetOf(DatabaseChangeLog changeLog, RanChangeSet row) {
        return changeLog.getChangeSets().stream()
                .filter(row::isSameAs)
                .findFirst()
                .orElse(null);
    }

    /**
     * Liquibase's view of {@code connection}. Liquibase caches history and lock services per database in JVM-wide
     * singletons: reset them, or it would see another run's history.
     */
    private static Database fresh(Connection connection, String schema) throws LiquibaseException {
        ChangeLogHistoryServiceFactory.getInstance().resetAll();
        LockServiceFactory.getInstance().resetAll();
        Database database =
                DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        database.setDefaultSchemaName(schema);
        return database;
    }
}
