package io.github.migrationsafety.flyway;

import io.github.migrationsafety.changelog.ChangelogException;
import io.github.migrationsafety.changelog.ChangelogUniqueKeys;
import io.github.migrationsafety.changelog.MigrationKeys;
import io.github.migrationsafety.changelog.UniqueKey;
import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.report.EngineLog;
import java.io.IOException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.database.DatabaseTypeRegister;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatement;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;

/**
 * The unique keys a project's Flyway migrations add, for {@code dedupe}'s {@code keysFromChangelog}: Flyway's own
 * {@code info}, in a read-only session on the dedupe target, says which migrations are pending there (the smoke's
 * answer too); each SQL migration's text, placeholders replaced by Flyway's replacing reader, is split into
 * statements by Flyway's parser for that database; {@link UniqueKeyStatement} recognizes the keys among them. A Java
 * migration's SQL is known only when it runs: it is named in an info line.
 */
public final class FlywayUniqueKeys implements MigrationKeys {

    private final FlywaySource source;
    private final ConnectionSource connections;

    /**
     * @param source      the migrations, with the project's Flyway settings
     * @param connections new connections to the dedupe target, for Flyway (it closes what it opens)
     */
    public FlywayUniqueKeys(FlywaySource source, ConnectionSource connections) {
        this.source = source;
        this.connections = connections;
    }

    @Override
    public String tool() {
        return "flyway";
    }

    @Override
    public String label() {
        return source.label();
    }

    @Override
    public ChangelogUniqueKeys.Keys read(Connection connection, EngineLog log) throws ChangelogException {
        Flyway flyway = source.configure()
                .dataSource(new ReadOnlyDataSource(connections))
                .load();
        MigrationInfoService info;
        try {
            info = flyway.info();
        } catch (FlywayException e) {
            throw new ChangelogException("Flyway cannot read the migrations at " + source.label()
                    + " or the schema history " + flyway.getConfiguration().getTable() + " of the database: "
                    + FlywayMessages.databaseMessage(e) + ". Check 'flywayLocations' and 'flywayConfiguration'.");
        }
        Set<String> pending = new LinkedHashSet<>();
        for (MigrationInfo migration : info.pending()) {
            pending.add(FlywayMigrations.of(source, migration).key());
        }
        Configuration configuration = flyway.getConfiguration();
        Parser parser = parser(connection);
        List<UniqueKey> all = new ArrayList<>();
        List<UniqueKey> toRun = new ArrayList<>();
        for (MigrationInfo resolved : info.all()) {
            if (!resolved.getState().isResolved()) {
                continue; // applied, but its file is gone: nothing to read
            }
            Migration migration = FlywayMigrations.of(source, resolved);
            boolean runs = pending.contains(migration.key());
            if (!migration.sql()) {
                if (runs) {
                    log.info("Flyway migration " + migration.key() + " is a Java migration: its SQL is known only"
                            + " when it runs, so the unique keys it adds are not checked; check them with 'table'"
                            + " and 'keyColumns'");
                }
                continue;
            }
            for (UniqueKey key : keys(configuration, parser, migration, runs, log)) {
                all.add(key);
                if (runs) {
                    toRun.add(key);
                }
            }
        }
        return new ChangelogUniqueKeys.Keys(all, toRun);
    }

    /** The unique keys one SQL migration adds, statement by statement as Flyway splits it. */
    private List<UniqueKey> keys(
            Configuration configuration, Parser parser, Migration migration, boolean runs, EngineLog log)
            throws ChangelogException {
        String sql;
        try {
            sql = FlywayOfflineSql.replaced(configuration, migration, FlywayMigrations.url(source, migration));
        } catch (IOException e) {
            throw new ChangelogException(
                    "Cannot read the Flyway migration " + migration.key() + ": " + e.getMessage() + ".", e);
        } catch (FlywayOfflineSql.PlaceholderException e) {
            throw new ChangelogException("Flyway migration " + migration.key() + ": " + e.getMessage()
                    + ". Give the placeholder a value in 'flywayConfiguration'"
                    + " (<placeholders.name>value</placeholders.name>) or the project's flyway.placeholders.*"
                    + " properties, as the application's Flyway configuration does.");
        }
        List<UniqueKey> keys = new ArrayList<>();
        try (SqlStatementIterator statements = parser.parse(new StringResource(sql))) {
            while (statements.hasNext()) {
                SqlStatement statement = statements.next();
                for (UniqueKeyStatement.Key key : UniqueKeyStatement.keys(statement.getSql())) {
                    if (key.skipped() != null) {
                        if (runs) {
                            log.info("Flyway migration " + migration.key() + " line " + statement.getLineNumber()
                                    + " adds a unique key on " + key.table() + " that is not checked: "
                                    + key.skipped());
                        }
                        continue;
                    }
                    keys.add(new UniqueKey(
                            UniqueKey.MIGRATION,
                            migration.key(),
                            key.table(),
                            key.columns(),
                            key.change(),
                            migration.file(),
                            statement.getLineNumber(),
                            key.nullsNotDistinct()));
                }
            }
        } catch (FlywayException e) {
            throw new ChangelogException("Flyway cannot parse the migration " + migration.key() + ": "
                    + FlywayMessages.clean(e.getMessage()) + ".");
        }
        return keys;
    }

    /**
     * Flyway's parser for the database at {@code connection}: its statement splitting (delimiters, dollar quotes,
     * blocks) is the one its migrate uses there. The text it parses has its placeholders replaced already.
     */
    private Parser parser(Connection connection) throws ChangelogException {
        Configuration parsing = source.configure().placeholderReplacement(false);
        try {
            return DatabaseTypeRegister.getDatabaseTypeForConnection(connection, parsing)
                    .createParser(parsing, null, new ParsingContext());
        } catch (FlywayException e) {
            throw new ChangelogException(
                    "Flyway does not support the database of 'url': " + FlywayMessages.clean(e.getMessage()) + ".");
        }
    }
}
