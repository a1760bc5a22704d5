package io.github.migrationsafety.report;

/**
 * Where engine code reports progress. The Maven goals pass an adapter onto the Maven log; tests pass a
 * capturing implementation. Engine code never logs secrets; the Maven adapter redacts them anyway.
 */
public interface EngineLog {

    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message);

    /** Whether debug lines are kept; lets callers skip building debug output nobody reads. */
    default boolean isDebugEnabled() {
        return true;
    }

    /** A log that discards everything. */
    static EngineLog silent() {
        return new EngineLog() {
            @Override
            public void debug(String message) {}

            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {}

            @Override
            public void error(String message) {}
        };
    }
}
