package io.github.migrationsafety.maven;

import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Redactor;
import org.apache.maven.plugin.logging.Log;

/** Routes engine log lines into the Maven log, masking known secrets on the way. */
final class MavenEngineLog implements EngineLog {

    private final Log log;
    private final Redactor redactor;

    MavenEngineLog(Log log, Redactor redactor) {
        this.log = log;
        this.redactor = redactor;
    }

    @Override
    public void debug(String message) {
        if (log.isDebugEnabled()) {
            log.debug(redactor.redact(message));
        }
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isDebugEnabled();
    }

    @Override
    public void info(String message) {
        log.info(redactor.redact(message));
    }

    @Override
    public void warn(String message) {
        log.warn(redactor.redact(message));
    }

    @Override
    public void error(String message) {
        log.error(redactor.redact(message));
    }
}
