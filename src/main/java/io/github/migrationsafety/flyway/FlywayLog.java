package io.github.migrationsafety.flyway;

import io.github.migrationsafety.report.EngineLog;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.flywaydb.core.api.logging.LogFactory;

/**
 * Flyway's own log lines ("Migrating schema ... to version 1", "Successfully applied 3 migrations") go to the Maven
 * debug log, its warnings to the Maven log as warnings: the smoke says per migration what happened. Flyway creates its
 * log creator by class name ({@code flyway.loggers}, set by {@link FlywaySource}) and keeps it in a JVM-wide static, so
 * the target log is a static too, set by each run while it holds the smoke's lock.
 */
public final class FlywayLog implements LogCreator {

    private static volatile EngineLog target = EngineLog.silent();

    /** Created by Flyway, by name. */
    public FlywayLog() {}

    static void routeTo(EngineLog log) {
        target = log;
        LogFactory.setLogCreator(new FlywayLog());
    }

    @Override
    public Log createLogger(Class<?> type) {
        EngineLog log = target;
        return new Log() {
            @Override
            public boolean isDebugEnabled() {
                return log.isDebugEnabled();
            }

            @Override
            public void debug(String message) {
                log.debug("Flyway: " + message);
            }

            @Override
            public void info(String message) {
                log.debug("Flyway: " + message);
            }

            @Override
            public void warn(String message) {
                log.warn("Flyway: " + message);
            }

            @Override
            public void error(String message) {
                // a failing migration is reported by the smoke with its verdict; Flyway's own error text goes to -X
                log.debug("Flyway: " + message);
            }

            @Override
            public void error(String message, Exception e) {
                log.debug("Flyway: " + message + ": " + e);
            }

            @Override
            public void notice(String message) {
                log.debug("Flyway: " + message);
            }
        };
    }
}
