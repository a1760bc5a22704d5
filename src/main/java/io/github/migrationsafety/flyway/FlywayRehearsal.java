package io.github.migrationsafety.flyway;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.rehearsal.MigrationTool;
import io.github.migrationsafety.report.EngineLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
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
    /** The migrations production's history lists, read from the copied history by {@link #pending}. */
    private MigrationInfo[] ran = {};

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
    public List<String> schemas() {
        return List.of(settings.getSchemas());
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
        Flyway flyway = on(copy, schema).callbacks(callback).load();
        try {
            MigrationInfoService info = flyway.info();
            current = info.current() == null ? null : info.current().getVersion();
            ran = info.applied();
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
                            ran,
                            e.getMigration() == null ? null : e.getMigration().getVersion()));
        } catch (FlywayException e) {
            return FlywayMessages.clean(e.getMessage());
        }
        return null;
    }

    /**
     * Production's applied migrations that are no longer among the project's ({@code MISSING_SUCCESS},
     * {@code FUTURE_SUCCESS}), and those whose file changed since they ran (the checksums differ; a repeatable one is
     * then {@code OUTDATED}, pending again).
     */
    @Override
    public List<AppliedGap> gaps() {
        List<AppliedGap> gaps = new ArrayList<>();
        for (MigrationInfo applied : ran) {
            MigrationState state = applied.getState();
            Migration migration = FlywayMigrations.of(source, applied);
            if (gone(applied)) {
                gaps.add(new AppliedGap(
                        migration.key(),
                        applied.getDescription(),
                        String.valueOf(applied.getChecksum()),
                        null,
                        applied.getScript()));
            } else if ((state == MigrationState.SUCCESS
                            || state == MigrationState.OUT_OF_ORDER
                            || state == MigrationState.OUTDATED)
                    && applied.getAppliedChecksum() != null
                    && applied.getResolvedChecksum() != null
                    && !applied.isChecksumMatching()) {
                gaps.add(new AppliedGap(
                        migration.key(),
                        applied.getDescription(),
                        String.valueOf(applied.getAppliedChecksum()),
                        String.valueOf(applied.getResolvedChecksum()),
                        applied.getScript() + "\n" + text(migration)));
            }
        }
        return gaps;
    }

    /** A migration production ran that is no longer among the project's. */
    private static boolean gone(MigrationInfo applied) {
        return applied.getState() == MigrationState.MISSING_SUCCESS
                || applied.getState() == MigrationState.FUTURE_SUCCESS;
    }

    /** The migration's SQL as it is now; empty for a Java migration or one that cannot be read. */
    private String text(Migration migration) {
        try {
            URL url = migration.sql() ? FlywayMigrations.url(source, migration) : null;
            if (url == null) {
                return "";
            }
            try (InputStream in = url.openStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return ""; // its script's name still names what it can
        }
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

    /**
     * Exactly the migrations production ran, when all of them still at hand are SQL files: copies of them in a
     * directory of their own are the rebuild's only location, so a migration production has not run (an out-of-order
     * one still pending) is not rebuilt, nor one no longer in the project. Otherwise every versioned migration up to
     * production's current version.
     */
    @Override
    public String rebuild(ConnectionSettings fresh, String schema) throws IOException {
        Path only = appliedOnly();
        try {
            FluentConfiguration configuration = on(fresh, schema);
            if (only != null) {
                configuration.locations("filesystem:" + only);
            } else {
                // no versioned migration applied in production: none to rebuild (repeatables still run, as there)
                configuration.target(current == null ? MigrationVersion.fromVersion("0") : current);
            }
            configuration.load().migrate();
            return null;
        } catch (FlywayMigrateException e) {
            String key = e.getMigration() == null
                    ? null
                    : only != null
                            ? e.getMigration().getScript()
                            : FlywayMigrations.of(source, e.getMigration()).key();
            return (key == null ? "" : key + ": ") + FlywayMessages.databaseMessage(e);
        } catch (FlywayException e) {
            return FlywayMessages.clean(e.getMessage());
        } finally {
            if (only != null) {
                try (Stream<Path> files = Files.list(only)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(only);
            }
        }
    }

    /** A directory with copies of the SQL migrations production ran, or {@code null} when one is not such a file. */
    private Path appliedOnly() throws IOException {
        Map<String, URL> files = new LinkedHashMap<>();
        for (MigrationInfo applied : ran) {
            if (applied.getState().isFailed() || !applied.getState().isApplied()) {
                continue;
            }
            if (gone(applied)) {
                continue; // gone from the project: nothing rebuilds it, and its drift names it (gaps)
            }
            if (!applied.getState().isResolved()) {
                return null; // a baseline: only the version tells what to rebuild
            }
            Migration migration = FlywayMigrations.of(source, applied);
            URL url = migration.sql() ? FlywayMigrations.url(source, migration) : null;
            if (url == null) {
                return null;
            }
            // a repeatable migration's every run names the same file
            files.putIfAbsent(Path.of(migration.script()).getFileName().toString(), url);
        }
        Path directory = Files.createTempDirectory("migration-safety-applied");
        for (Map.Entry<String, URL> file : files.entrySet()) {
            try (InputStream in = file.getValue().openStream()) {
                Files.copy(in, directory.resolve(file.getKey()));
            }
        }
        return directory;
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
                    String errors = FlywayMessages.statementErrors(context);
                    if (errors != null) {
                        statementError = errors;
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
