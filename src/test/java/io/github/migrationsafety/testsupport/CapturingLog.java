package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.report.EngineLog;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/** Keeps every line the engine logs, prefixed with its level, so tests can assert what a user would see. */
public final class CapturingLog implements EngineLog {

    /** {@code -DcapturingLog.echo=true} also prints every line with the time, to see where a test spends it. */
    private static final boolean ECHO = Boolean.getBoolean("capturingLog.echo");

    private final List<String> lines = new ArrayList<>();

    private void add(String line) {
        lines.add(line);
        if (ECHO) {
            System.out.println(LocalTime.now() + " " + line);
        }
    }

    @Override
    public synchronized void debug(String message) {
        add("[DEBUG] " + message);
    }

    @Override
    public synchronized void info(String message) {
        add("[INFO] " + message);
    }

    @Override
    public synchronized void warn(String message) {
        add("[WARNING] " + message);
    }

    @Override
    public synchronized void error(String message) {
        add("[ERROR] " + message);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized String text() {
        return String.join("\n", lines);
    }
}
