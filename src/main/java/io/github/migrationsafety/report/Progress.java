package io.github.migrationsafety.report;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress lines of one long step: rows done, rows per second and, when the total is known, the time left; at most
 * one line per interval, so a fast step says nothing and a slow one says something every few seconds.
 */
public final class Progress {

    /** The default interval between two lines. */
    public static final long EVERY_NANOS = 5_000_000_000L;

    private final EngineLog log;
    private final String step;
    private final long total;
    private final String unit;
    private final long everyNanos;
    private final LongSupplier clock;
    private final long started;
    private long lastLine;

    /** {@code total} &lt; 0: unknown, no time left is shown. */
    public Progress(EngineLog log, String step, long total) {
        this(log, step, total, "rows", EVERY_NANOS, System::nanoTime);
    }

    /** As {@link #Progress(EngineLog, String, long)}, counting {@code unit} (e.g. "bytes") instead of rows. */
    public Progress(EngineLog log, String step, long total, String unit) {
        this(log, step, total, unit, EVERY_NANOS, System::nanoTime);
    }

    Progress(EngineLog log, String step, long total, String unit, long everyNanos, LongSupplier clock) {
        this.log = log;
        this.step = step;
        this.total = total;
        this.unit = unit;
        this.everyNanos = everyNanos;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastLine = started;
    }

    /** Reports {@code done} rows so far, if the interval has passed since the last line. */
    public void at(long done) {
        at(done, "");
    }

    /** As {@link #at(long)}, with {@code detail} (e.g. "batch 12") after the counts. */
    public void at(long done, String detail) {
        long now = clock.getAsLong();
        if (now - lastLine < everyNanos) {
            return;
        }
        lastLine = now;
        log.info(line(done, now, detail));
    }

    String line(long done, long now, String detail) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        double rate = done / seconds;
        StringBuilder line = new StringBuilder(step).append(": ").append(String.format(Locale.ROOT, "%,d", done));
        if (total >= 0) {
            line.append(String.format(Locale.ROOT, " of %,d", total));
        }
        line.append(' ').append(unit);
        if (!detail.isEmpty()) {
            line.append(" (").append(detail).append(')');
        }
        line.append(String.format(Locale.ROOT, ", %,.0f %s/s", rate, unit));
        if (total >= 0 && rate > 0) {
            line.append(", about ").append(duration((total - done) / rate)).append(" left");
        }
        return line.toString();
    }

    private static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
