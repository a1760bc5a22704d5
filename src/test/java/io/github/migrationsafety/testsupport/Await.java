package io.github.migrationsafety.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits until another thread or process has done something, by polling, where a fixed sleep would suit only a
 * machine of one speed: too short on a slow or busy one, wasted time on a fast one.
 */
public final class Await {

    /** How long a condition may take: far longer than it takes on a machine ten times slower; reached only on failure. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final long POLL_MILLIS = 5;

    private Await() {}

    /** Whether {@code condition} became true within {@link #PATIENCE}. */
    public static boolean within(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    /** Returns once {@code condition} is true; fails naming {@code what} when it is not within {@link #PATIENCE}. */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        if (!within(condition)) {
            throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what);
        }
    }
}
