package io.github.migrationsafety.smoke;

import io.github.migrationsafety.report.EngineLog;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import liquibase.Scope;
import liquibase.logging.Logger;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Runs Liquibase work inside its own {@link Scope} child so nothing reaches the console directly: Liquibase's
 * log and UI output go to the {@link EngineLog} (so the Maven log), analytics are off, and a lock left behind
 * by a crashed run on a throw-away database never makes us wait.
 */
public final class LiquibaseSession {

    /** Work that runs inside the scope. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    private LiquibaseSession() {}

    public static <T> T run(EngineLog log, ResourceAccessor accessor, ClassLoader classLoader, Work<T> work)
            throws Exception {
        Map<String, Object> values = new HashMap<>();
        values.put(Scope.Attr.logService.name(), new EngineLogService(log));
        values.put(Scope.Attr.ui.name(), new LoggerUIService());
        values.put(Scope.Attr.resourceAccessor.name(), accessor);
        values.put(Scope.Attr.classLoader.name(), classLoader);
        // configuration values are looked up in the scope by their full key
        values.put("liquibase.analytics.enabled", false);
        values.put("liquibase.changelogLockWaitTimeInMinutes", 0L);
        values.put("liquibase.changelogLockPollRate", 1L);
        values.put("liquibase.command.showSummaryOutput", "LOG");
        values.put("liquibase.command.update.showSummaryOutput", "LOG");
        values.put("liquibase.showBanner", false);
        values.put("liquibase.shouldRun", true);
        return Scope.child(values, work::run);
    }

    /** Liquibase's log service, writing to the engine log. Chatty levels go to debug. */
    static final class EngineLogService extends AbstractLogService {

        private final EngineLog log;

        EngineLogService(EngineLog log) {
            this.log = log;
        }

        @Override
        public int getPriority() {
            return Integer.MAX_VALUE;
        }

        @Override
        public Logger getLog(Class clazz) {
            return new EngineLogger(log);
        }
    }

    /**
     * Liquibase's warnings are shown as warnings; everything else, including its own SEVERE lines about a
     * failed changeset (which the smoke reports itself, with the changeset named), is debug output.
     */
    static final class EngineLogger extends AbstractLogger {

        private final EngineLog log;

        EngineLogger(EngineLog log) {
            this.log = log;
        }

        @Override
        public void log(Level level, String message, Throwable e) {
            if (message == null) {
                return;
            }
            if (level == Level.WARNING) {
                log.warn("Liquibase: " + message);
            } else {
                log.debug("Liquibase: " + message);
            }
        }
    }
}
