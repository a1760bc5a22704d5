package io.github.migrationsafety.flyway;

import io.github.migrationsafety.report.EngineLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The lines of a database run that goes alongside another, kept to be written after both, in the order a run one
 * after the other would have written them.
 */
final class BufferedLog implements EngineLog {

    private final boolean debugEnabled;
    private final List<Line> lines = new ArrayList<>();

    private record Line(BiConsumer<EngineLog, String> level, String message) {}

    BufferedLog(boolean debugEnabled) {
        this.debugEnabled = debugEnabled;
    }

    @Override
    public synchronized void debug(String message) {
        if (debugEnabled) {
            lines.add(new Line(EngineLog::debug, message));
        }
    }

    @Override
    public synchronized void info(String message) {
        lines.add(new Line(EngineLog::info, message));
    }

    @Override
    public synchronized void warn(String message) {
        lines.add(new Line(EngineLog::warn, message));
    }

    @Override
    public synchronized void error(String message) {
        lines.add(new Line(EngineLog::error, message));
    }

    @Override
    public boolean isDebugEnabled() {
        return debugEnabled;
    }

    synchronized void writeTo(EngineLog log) {
        lines.forEach(line -> line.level().accept(log, line.message()));
        lines.clear();
    }
}
