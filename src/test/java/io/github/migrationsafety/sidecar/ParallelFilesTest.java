package io.github.migrationsafety.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.migrationsafety.report.EngineLog;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelFilesTest {

    record Input(String name, long size) {}

    static Progress progress(int files) {
        return new Progress("Checked", files, Duration.ofHours(1), EngineLog.silent());
    }

    @Test
    void startsLargestFirstAndReturnsInInputOrder() throws Exception {
        List<Input> inputs = List.of(
                new Input("a", 10), new Input("b", 30), new Input("c", 10), new Input("d", 0), new Input("z", 2048));
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        List<String> results = ParallelFiles.map(inputs, 1, progress(inputs.size()), Input::size, input -> {
            started.add(input.name());
            return input.name().toUpperCase();
        });
        // equal sizes (a, c) keep their path order
        assertEquals(List.of("z", "b", "a", "c", "d"), started);
        assertEquals(List.of("A", "B", "C", "D", "Z"), results);
    }

    @Test
    void neverRunsMoreTasksThanThreads() throws Exception {
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            inputs.add(new Input("f" + i, i));
        }
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // the first three tasks wait for each other, however late a thread starts: three run at once; a fourth
        // thread would start a fourth task while they wait or sleep
        CountDownLatch threeRunning = new CountDownLatch(3);
        ParallelFiles.map(inputs, 3, progress(inputs.size()), Input::size, input -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            threeRunning.countDown();
            awaitQuietly(threeRunning);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return input.name();
        });
        assertEquals(3, most.get(), "three threads, and 24 sleeping tasks keep all three busy");
    }

    /** Two threads: the big input last in path order still starts at once, next to the small ones. */
    @Test
    void bigInputLastInPathOrderStartsFirst() throws Exception {
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inputs.add(new Input("m" + i, 256));
        }
        inputs.add(new Input("z", 2048));
        CountDownLatch bigStarted = new CountDownLatch(1);
        List<String> results = ParallelFiles.map(inputs, 2, progress(inputs.size()), Input::size, input -> {
            if (input.name().equals("z")) {
                bigStarted.countDown();
            } else if (!awaitQuietly(bigStarted)) {
                throw new IllegalStateException(input.name() + " ran while the big input had not started");
            }
            return input.name();
        });
        assertEquals(inputs.stream().map(Input::name).toList(), results);
    }

    @Test
    void firstFailureSurfacesWithItsMessage() {
        List<Input> inputs = List.of(new Input("a", 1), new Input("b", 2));
        SidecarException e = assertThrows(
                SidecarException.class,
                () -> ParallelFiles.map(inputs, 2, progress(inputs.size()), Input::size, input -> {
                    if (input.name().equals("b")) {
                        throw new AccessDeniedException("/models/b");
                    }
                    return input.name();
                }));
        assertEquals("/models/b", e.getMessage());
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
