package io.github.migrationsafety.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.migrationsafety.testsupport.CapturingLog;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void atMostOneLinePerIntervalWithRateAndTimeLeft() {
        AtomicLong now = new AtomicLong();
        CapturingLog log = new CapturingLog();
        Progress progress = new Progress(log, "dedupe: online delete", 200_000, "rows", 5_000_000_000L, now::get);
        now.set(1_000_000_000L);
        progress.at(10_000);
        now.set(5_000_000_000L);
        progress.at(100_000, "batch 10");
        now.set(6_000_000_000L);
        progress.at(120_000);
        now.set(20_000_000_000L);
        progress.at(150_000);
        assertEquals(
                List.of(
                        "[INFO] dedupe: online delete: 100,000 of 200,000 rows (batch 10), 20,000 rows/s, about 5 s left",
                        "[INFO] dedupe: online delete: 150,000 of 200,000 rows, 7,500 rows/s, about 7 s left"),
                log.lines());
    }

    @Test
    void unknownTotalHasNoTimeLeftAndLongTimesReadAsMinutesAndHours() {
        Progress progress = new Progress(new CapturingLog(), "scan", -1, "bytes", 1, () -> 0L);
        assertEquals("scan: 5,000 bytes, 1,000 bytes/s", progress.line(5_000, 5_000_000_000L, ""));
        Progress slow = new Progress(new CapturingLog(), "restore", 10_000_000, "rows", 1, () -> 0L);
        assertEquals(
                "restore: 1,000 of 10,000,000 rows, 10 rows/s, about 277 h 45 min left",
                slow.line(1_000, 100_000_000_000L, ""));
        assertEquals(
                "restore: 9,000,000 of 10,000,000 rows, 90,000 rows/s, about 11 s left",
                slow.line(9_000_000, 100_000_000_000L, ""));
    }
}
