package io.github.migrationsafety.flyway;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.rehearsal.MigrationTool;
import io.github.migrationsafety.report.EngineLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Error;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * Flyway's side of the rehearsal on production's schema: on the copy of production's schema and
 * {@code flyway_schema_history} rows, Flyway's own migrate runs exactly what that history leaves pending (Flyway
 * decides, validating the copied history as it would production's); the drift check's rebuild is Flyway's migrate
 * with {@code target} = production's current version on an empty database.
 */
public final class FlywayRehearsal implements MigrationTool {

    private final FlywaySource source;
    private final Configuration settings;
    /** Production's current version, read from the copied history by {@link #pending}; {@code null}: none. */
    private MigrationVersion current;

    public FlywayRehearsal(FlywaySource source) {
        this.source = source;
        this.settings = source.configure().load().getConfiguration();
    }

    @Override
    public String name() {
        return "Flyway";
    }

    @Override
    public String label() {
        return source.label();
    }

    @Override
    public String historyTable() {
        return settings.getTable();
    }

    @Override
    public String historySchema() {
        if (settings.getDefaultSchema() != null) {
            return settings.getDefaultSchema();
        }
        return settings.getSchemas().length > 0 ? settings.getSchemas()[0] : null;
    }

    @Override
    public String historyOrder() {
        return "installed_rank";
    }

    @Override
    public <T> T session(EngineLog log, Callable<T> body) throws Exception {
        synchronized (FlywaySmoke.class) { // Flyway's log creator is JVM-wide, as in the smoke
            FlywayLog.routeTo(log);
            return body.call();
        }
    }

    @Override
    public String pending(ConnectionSettings copy, String schema, Listener listener) {
        PerMigration callback = new PerMigration(listener);
        MigrationInfo[] applied = {};
        Flyway flyway = on(copy, schema).callbacks(callback).load();
        try {
            MigrationInfoService info = flyway.info();
            current = info.current() == null ? null : info.current().getVersion();
            applied = info.applied();
            for (MigrationInfo pending : info.pending()) {
                Migration migration = FlywayMigrations.of(source, pending);
                listener.pending(migration.key(), migration.file());
            }
            flyway.migrate();
        } catch (FlywayMigrateException e) {
            String key = callback.current != null
                    ? callback.current
                    : e.getMigration() == null
                            ? null
                            : FlywayMigrations.of(source, e.getMigration()).key();
            if (key == null) {
                return FlywayMessages.clean(e.getMessage());
            }
            String error = FlywayMessages.databaseMessage(e);
            if (error.equals("unknown error") && callback.statementError != null) {
                error = callback.statementError;
            }
            listener.failed(
                    key,
                    error + (e.getLineNumber() > 0 ? " (line " + e.getLineNumber() + ")" : ""),
                    ranLater(
                            applied,
                            e.getMigration() == null ? null : e.getMigration().getVersion()));
        } catch (FlywayException e) {
            return FlywayMessages.clean(e.getMessage());
        }
        return null;
    }

    /** The versioned migrations production ran whose version is above {@code version}, in version order. */
    private List<String> ranLater(MigrationInfo[] applied, MigrationVersion version) {
        List<String> later = new ArrayList<>();
        if (version == null) {
            return later;
        }
        for (MigrationInfo ran : applied) {
            if (ran.getVersion() != null
                    && ran.getVersion().compareTo(version) > 0
                    && ran.getState().isApplied()
                    && ran.getState().isResolved()) {
                later.add(FlywayMigrations.of(source, ran).key());
            }
        }
        return later;
    }

    @Override
    public String rebuild(ConnectionSettings fresh, String schema) {
        // no versioned migration applied in production: none to rebuild (repeatables still run, as there)
        MigrationVersion target = current == null ? MigrationVersion.fromVersion("0") : current;
        try {
            on(fresh, schema).target(target).load().migrate();
            return null;
        } catch (FlywayMigrateException e) {
            String key = e.getMigration() == null
                    ? null
                    : FlywayMigrations.of(source, e.getMigration()).key();
            return (key == null ? "" : key + ": ") + FlywayMessages.databaseMessage(e);
        } catch (FlywayException e) {
            return FlywayMessages.clean(e.getMessage());
        }
    }

    /** The project's Flyway settings on a rehearsal database, in production's schema unless they name one. */
    private FluentConfiguration on(ConnectionSettings database, String schema) {
        FluentConfiguration configuration =
                source.configure().dataSource(database.url(), database.username(), database.password());
        if (settings.getDefaultSchema() == null && settings.getSchemas().length == 0) {
            configuration.defaultSchema(schema);
        }
        return configuration;
    }

    /** Tells the rehearsal about each migration of the run on the copy; tells nothing to Flyway. */
    private final class PerMigration implements Callback {

        private final Listener listener;
        private String current;
        private String statementError;

        PerMigration(Listener listener) {
            this.listener = listener;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE
                    || event == Event.AFTER_EACH_MIGRATE
                    || event == Event.AFTER_EACH_MIGRATE_STATEMENT_ERROR;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            switch (event) {
                case BEFORE_EACH_MIGRATE -> {
                    current = FlywayMigrations.of(source, context.getMigrationInfo())
                            .key();
                    statementError = null;
                }
                case AFTER_EACH_MIGRATE -> {
                    listener.passed(current, context.getConnection());
                    current = null;
                }
                case AFTER_EACH_MIGRATE_STATEMENT_ERROR -> {
                    if (context.getStatement() != null) {
                        List<String> messages = new ArrayList<>();
                        for (Error error : context.getStatement().getErrors()) {
                            messages.add(FlywayMessages.clean(error.getMessage()));
                        }
                        statementError = String.join("; ", messages);
                    }
                }
                default -> {}
            }
        }

        @Override
        public String getCallbackName() {
            return "migration-safety-rehearsal";
        }
    }
}
