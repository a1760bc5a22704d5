package io.github.migrationsafety.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.migrationsafety.report.EngineLog;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hashing window and its throughput, on a clock the test moves by hand. */
class ProgressTest {

    private static final long MIB = 1024 * 1024;

    long now = 1_000_000_000L;

    Progress progress() {
        return new Progress("Checked", 3, Duration.ofHours(1), EngineLog.silent(), () -> now);
    }

    @Test
    void windowRunsFromFirstStartToLastFinishAcrossThreads() {
        Progress progress = progress();
        now += 700_000_000L; // scan and sidecar parsing before the first artifact: not part of the window
        progress.hashStarted(); // thread 1, file a
        now += 100_000_000L;
        progress.hashStarted(); // thread 2, file b
        progress.addBytes(300 * MIB);
        now += 400_000_000L;
        progress.hashFinished(); // a
        progress.hashStarted(); // thread 1, file c
        progress.addBytes(100 * MIB);
        now += 500_000_000L;
        progress.hashFinished(); // c, which finishes before b
        progress.addBytes(100 * MIB);
        now += 250_000_000L;
        progress.hashFinished(); // b
        now += 900_000_000L; // reports and logging after the last artifact: not part of it either

        assertEquals(1_250_000_000L, progress.hashingNanos());
        assertEquals(500 * MIB, progress.bytes());
        assertEquals(3, progress.filesHashed());
        assertEquals(400.0, progress.hashingMiBPerSecond(), 1e-9);
        assertEquals("3 file(s), 500.0 MiB hashed in 1.250 s, 400.0 MiB/s", progress.hashingLine());
        Map<String, Object> summary = new LinkedHashMap<>();
        progress.summarize(summary);
        assertEquals(
                List.of("bytesHashed", "filesHashed", "hashingNanos", "hashingMiBPerSecond", "throughput"),
                List.copyOf(summary.keySet()));
        assertEquals(500 * MIB, summary.get("bytesHashed"));
        assertEquals(3, summary.get("filesHashed"));
        assertEquals(1_250_000_000L, summary.get("hashingNanos"));
        assertEquals(400.0, summary.get("hashingMiBPerSecond"));
        // the whole check phase, 2.85 s, for comparison
        assertEquals("175.4 MiB/s", summary.get("throughput"));
    }

    @Test
    void laterStartOnAnotherThreadDoesNotMoveTheStart() {
        Progress progress = progress();
        long first = now;
        progress.hashStarted();
        now -= 5; // a second thread that read the clock earlier but reports later keeps the earliest start
        progress.hashStarted();
        now = first + 2_000_000_000L;
        progress.addBytes(MIB);
        progress.hashFinished();
        assertEquals(2_000_000_005L, progress.hashingNanos());
    }

    @Test
    void nothingHashedIsZeroNotNaN() {
        Progress progress = progress();
        now += 3_000_000_000L;
        Map<String, Object> summary = new LinkedHashMap<>();
        progress.summarize(summary);
        assertEquals(0L, summary.get("bytesHashed"));
        assertEquals(0, summary.get("filesHashed"));
        assertEquals(0L, summary.get("hashingNanos"));
        assertEquals(0.0, summary.get("hashingMiBPerSecond"));
    }
}
