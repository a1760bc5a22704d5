package io.github.migrationsafety.sidecar;

import io.github.migrationsafety.report.EngineLog;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts files and bytes as worker threads hash them, and lets the coordinating thread log a progress line
 * (files, MiB, MiB/s) every {@code interval} on long runs. Workers only touch the atomic counters.
 *
 * <p>It also keeps the hashing window: from the first artifact opened for hashing to the last one hashed, on
 * any thread. Bytes over that window is the verification throughput itself, without the directory scan, the
 * sidecar parsing before the first artifact, JVM or Maven start-up, so it can be set against {@code openssl
 * dgst} and compared between {@code threads} settings.
 */
final class Progress {

    private static final double MIB = 1024.0 * 1024.0;

    private final String verb;
    private final int totalFiles;
    private final Duration interval;
    private final EngineLog log;
    private final LongSupplier clock;
    private final long startNanos;
    private final AtomicInteger files = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger filesHashed = new AtomicInteger();
    private final AtomicLong firstHashStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastHashEnd = new AtomicLong(Long.MIN_VALUE);
    private long lastLogNanos;

    Progress(String verb, int totalFiles, Duration interval, EngineLog log) {
        this(verb, totalFiles, interval, log, System::nanoTime);
    }

    /** @param clock nanosecond ticks, as {@link System#nanoTime()}; tests pass their own to check the window */
    Progress(String verb, int totalFiles, Duration interval, EngineLog log, LongSupplier clock) {
        this.verb = verb;
        this.totalFiles = totalFiles;
        this.interval = interval;
        this.log = log;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.lastLogNanos = startNanos;
    }

    void addBytes(long count) {
        bytes.addAndGet(count);
    }

    void fileDone() {
        files.incrementAndGet();
    }

    /** An artifact was opened and its first byte is about to be read. */
    void hashStarted() {
        long now = clock.getAsLong();
        // one read of a volatile per file; the update is needed only by the very first file(s)
        if (now < firstHashStart.get()) {
            firstHashStart.accumulateAndGet(now, Math::min);
        }
    }

    /** An artifact's HMAC is complete. */
    void hashFinished() {
        filesHashed.incrementAndGet();
        lastHashEnd.accumulateAndGet(clock.getAsLong(), Math::max);
    }

    long bytes() {
        return bytes.get();
    }

    int files() {
        return files.get();
    }

    int filesHashed() {
        return filesHashed.get();
    }

    /** Wall time from the first artifact opened for hashing to the last one hashed; zero when none was. */
    long hashingNanos() {
        long start = firstHashStart.get();
        long end = lastHashEnd.get();
        return filesHashed.get() == 0 || end < start ? 0 : end - start;
    }

    /** Bytes hashed per second of the hashing window, in MiB/s; zero when nothing was hashed. */
    double hashingMiBPerSecond() {
        long nanos = hashingNanos();
        return nanos == 0 ? 0 : bytes.get() / MIB / (nanos / 1e9);
    }

    Duration elapsed() {
        return Duration.ofNanos(clock.getAsLong() - startNanos);
    }

    /** Called by the coordinating thread only. */
    void maybeLog() {
        long now = clock.getAsLong();
        if (now - lastLogNanos >= interval.toNanos()) {
            lastLogNanos = now;
            log.info(line());
        }
    }

    String line() {
        double seconds = Math.max(1e-9, (clock.getAsLong() - startNanos) / 1e9);
        double mib = bytes.get() / MIB;
        return String.format(
                Locale.ROOT, "%s %d/%d files, %.1f MiB, %.1f MiB/s", verb, files.get(), totalFiles, mib, mib / seconds);
    }

    /** For the goal's last log line, e.g. {@code 8 file(s), 2048.0 MiB hashed in 1.843 s, 1111.2 MiB/s}. */
    String hashingLine() {
        return String.format(
                Locale.ROOT,
                "%d file(s), %.1f MiB hashed in %.3f s, %.1f MiB/s",
                filesHashed.get(),
                bytes.get() / MIB,
                hashingNanos() / 1e9,
                hashingMiBPerSecond());
    }

    /** Throughput from the start of the check phase (after the directory scan) to now. */
    String throughput() {
        double seconds = Math.max(1e-9, (clock.getAsLong() - startNanos) / 1e9);
        return String.format(Locale.ROOT, "%.1f MiB/s", bytes.get() / MIB / seconds);
    }

    /**
     * The report's hashing figures: {@code bytesHashed}, {@code filesHashed}, {@code hashingNanos} (the window),
     * {@code hashingMiBPerSecond} (bytes over the window) and {@code throughput} (bytes over the whole check
     * phase, which also counts sidecar parsing before the first and after the last artifact).
     */
    void summarize(Map<String, Object> summary) {
        summary.put("bytesHashed", bytes.get());
        summary.put("filesHashed", filesHashed.get());
        summary.put("hashingNanos", hashingNanos());
        summary.put("hashingMiBPerSecond", Math.round(hashingMiBPerSecond() * 10) / 10.0);
        summary.put("throughput", throughput());
    }
}
