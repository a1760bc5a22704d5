package io.github.migrationsafety.sidecar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

/**
 * Runs one task per artifact on a bounded pool of {@code threads} daemon threads, while the calling thread
 * logs progress. Results come back in input order so reports are stable. The first I/O failure stops the
 * run and surfaces as the task's {@link SidecarException}.
 *
 * <p>Tasks start largest first. In path order a big model sorted last starts when the other threads are
 * almost done and then runs alone (2 threads, eight 256 MiB files and one 2 GiB file named last: the run takes
 * the eight files' time plus the big file's; largest first, only the big file's).
 */
final class ParallelFiles {

    /** Work on one artifact. */
    @FunctionalInterface
    interface Task<I, O> {
        O run(I input) throws IOException, SidecarException;
    }

    private ParallelFiles() {}

    /** @param cost how long an input will take, roughly (its size); only the order in which tasks start */
    static <I, O> List<O> map(List<I> inputs, int threads, Progress progress, ToLongFunction<I> cost, Task<I, O> task)
            throws SidecarException {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "migration-safety-sidecar-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, inputs.size())), factory);
        try {
            ExecutorCompletionService<O> completion = new ExecutorCompletionService<>(pool);
            List<Future<O>> futures = new ArrayList<>(Collections.nCopies(inputs.size(), null));
            // a fixed pool takes queued tasks in submission order; the sort is stable, so equal costs keep path order
            List<Integer> order = IntStream.range(0, inputs.size())
                    .boxed()
                    .sorted(Comparator.comparingLong((Integer i) -> cost.applyAsLong(inputs.get(i)))
                            .reversed())
                    .toList();
            for (int index : order) {
                I input = inputs.get(index);
                futures.set(index, completion.submit(() -> {
                    try {
                        return task.run(input);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        progress.fileDone();
                    }
                }));
            }
            for (int done = 0; done < inputs.size(); ) {
                Future<O> finished = completion.poll(250, TimeUnit.MILLISECONDS);
                if (finished != null) {
                    done++;
                    get(finished);
                }
                progress.maybeLog();
            }
            List<O> results = new ArrayList<>(inputs.size());
            for (Future<O> future : futures) {
                results.add(get(future));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SidecarException(
                    "Interrupted while checking artifacts (the build" + " was stopped). Run the goal again.", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <O> O get(Future<O> future) throws SidecarException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SidecarException sidecar) {
                throw sidecar;
            }
            if (cause instanceof UncheckedIOException io) {
                throw new SidecarException(io.getCause().getMessage(), io.getCause());
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }
}
