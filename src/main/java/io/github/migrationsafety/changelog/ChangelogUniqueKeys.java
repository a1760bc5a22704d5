package io.github.migrationsafety.changelog;

import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.db.TableRef;
import io.github.migrationsafety.report.EngineLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.RanChangeSet;
import liquibase.database.Database;

/**
 * The unique keys a Liquibase changelog adds, with the changeset that adds each, so {@code dedupe} can look for
 * rows that would make that changeset fail. The changelog is read exactly as the smoke reads it, with the same
 * parameters and class loader, and what is pending is decided by the smoke's {@link PendingChangesets}.
 */
public final class ChangelogUniqueKeys {

    /**
     * @param all     the keys every changeset of the files adds
     * @param pending the keys of the changesets an update would run, in changelog order
     */
    public record Keys(List<UniqueKey> all, List<UniqueKey> pending) {}

    private ChangelogUniqueKeys() {}

    /**
     * The changelog as {@code keysFromChangelog} reads it for one database: its dialect replaced by that database's
     * when it is H2 or PostgreSQL, so database-specific changelog properties resolve as they will there, and what is
     * pending decided by that database's DATABASECHANGELOG.
     */
    public static MigrationKeys of(ChangelogSource source) {
        return new MigrationKeys() {
            @Override
            public String tool() {
                return "liquibase";
            }

            @Override
            public String label() {
                return source.file();
            }

            @Override
            public Keys read(Connection connection, EngineLog log) throws ChangelogException, DatabaseException {
                return pending(forDatabase(source, connection), history(connection), log);
            }
        };
    }

    /** The database's Liquibase history, empty when Liquibase never ran there (every changeset is then pending). */
    private static List<RanChangeSet> history(Connection connection) throws DatabaseException {
        TableRef table;
        try {
            table = SchemaCatalog.of(connection).table("databasechangelog", "keysFromChangelog");
        } catch (DatabaseException noChangelogTable) {
            return List.of();
        }
        try {
            return ChangelogHistory.read(connection, table.sql());
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Cannot read " + table.display() + " to find the changesets that already ran: " + e.getMessage()
                            + ".",
                    e);
        }
    }

    private static ChangelogSource forDatabase(ChangelogSource source, Connection connection) throws DatabaseException {
        Dialect dialect;
        try {
            dialect = Dialect.of(connection);
        } catch (SQLException e) {
            throw new DatabaseException("Cannot read the database's product name: " + e.getMessage() + ".", e);
        }
        String name = switch (dialect) {
            case H2 -> "h2";
            case POSTGRESQL -> "postgresql";
            case GENERIC -> source.dialect();
        };
        return source.withDialect(name);
    }

    /**
     * The unique keys the changelog adds, and those of the changesets a Liquibase update of a database with history {@code ran} would run:
     * selected by the source's contexts, labels and dialect, and matched to the history as {@link
     * PendingChangesets} matches them ({@code isSameAs}, {@code runAlways}, {@code runOnChange}).
     *
     * @param ran the database's history rows ({@link ChangelogHistory}); empty when Liquibase never ran there
     */
    public static Keys pending(ChangelogSource source, List<RanChangeSet> ran, EngineLog log)
            throws ChangelogException {
        try (TrackingResourceAccessor accessor = ChangelogReader.accessor(source)) {
            return LiquibaseSession.run(log, accessor, source.classLoader(), () -> {
                ChangelogReader.Result parsed = ChangelogReader.read(source, accessor);
                if (!parsed.parsed()) {
                    throw new ChangelogException(
                            "Parameter 'changeLogFile': " + parsed.parseError().describe());
                }
                Database kind = ChangelogReader.offlineDatabase(source.dialect(), accessor);
                Set<String> pending = PendingChangesets.of(
                                parsed.changeLog(),
                                ran,
                                new ChangesetSelection(source.contexts(), source.labels(), List.of(kind)),
                                kind,
                                new ChangesetLocator(source.directory()))
                        .pending();
                List<UniqueKey> all = new ArrayList<>();
                List<UniqueKey> toRun = new ArrayList<>();
                for (ChangeSet changeSet : parsed.changeLog().getChangeSets()) {
                    List<UniqueKey> added = UniqueKey.addedBy(changeSet);
                    all.addAll(added);
                    if (pending.contains(ChangesetKey.of(changeSet))) {
                        toRun.addAll(added);
                    }
                }
                return new Keys(all, toRun);
            });
        } catch (ChangelogException e) {
            throw e;
        } catch (Exception e) {
            throw new ChangelogException(
                    "Cannot read the changelog " + source.file() + ": " + LiquibaseMessages.rootMessage(e), e);
        }
    }
}
