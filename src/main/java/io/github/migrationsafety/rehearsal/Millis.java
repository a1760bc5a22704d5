package io.github.migrationsafety.rehearsal;

/** The rehearsal times its steps in whole milliseconds, for the log lines and the summary's {@code millis}. */
final class Millis {

    private Millis() {}

    /** Milliseconds since {@code started}, a {@link System#nanoTime()} reading. */
    static long since(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
