package io.github.migrationsafety.sidecar;

import io.github.migrationsafety.report.EngineLog;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts files and bytes as worker threads hash them, and lets the coordinating thread log a progress line
 * (files, MiB, MiB/s) every {@code interval} on long runs. Workers only touch the atomic counters.
 */
final class Progress {

    private static final double MIB = 1024.0 * 1024.0;

    private final String verb;
    private final int totalFiles;
    private final Duration interval;
    private final EngineLog log;
    private final long startNanos = System.nanoTime();
    private final AtomicInteger files = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private long lastLogNanos = startNanos;

    Progress(String verb, int totalFiles, Duration interval, EngineLog log) {
        this.verb = verb;
        this.totalFiles = totalFiles;
        this.interval = interval;
        this.log = log;
    }

    void addBytes(long count) {
        bytes.addAndGet(count);
    }

    void fileDone() {
        files.incrementAndGet();
    }

    long bytes() {
        return bytes.get();
    }

    int files() {
        return files.get();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Called by the coordinating thread only. */
    void maybeLog() {
        long now = System.nanoTime();
        if (now - lastLogNanos >= interval.toNanos()) {
            lastLogNanos = now;
            log.info(line());
        }
    }

    String line() {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        double mib = bytes.get() / MIB;
        return String.format(Locale.ROOT, "%s %d/%d files, %.1f MiB, %.1f MiB/s", verb, files.get(), totalFiles, mib,
                mib / seconds);
    }

    /** Throughput over the whole run, for the report summary. */
    String throughput() {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return String.format(Locale.ROOT, "%.1f MiB/s", bytes.get() / MIB / seconds);
    }
}
