package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.report.EngineLog;
import java.util.ArrayList;
import java.util.List;

/** Keeps every line the engine logs, prefixed with its level, so tests can assert what a user would see. */
public final class CapturingLog implements EngineLog {

    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void debug(String message) {
        lines.add("[DEBUG] " + message);
    }

    @Override
    public synchronized void info(String message) {
        lines.add("[INFO] " + message);
    }

    @Override
    public synchronized void warn(String message) {
        lines.add("[WARNING] " + message);
    }

    @Override
    public synchronized void error(String message) {
        lines.add("[ERROR] " + message);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized String text() {
        return String.join("\n", lines);
    }
}
