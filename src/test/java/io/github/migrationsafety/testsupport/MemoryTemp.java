package io.github.migrationsafety.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests put files that many of them create and delete: {@code /dev/shm} (tmpfs) when the machine has one
 * the tests may write, else the JVM's temporary directory. An embedded PostgreSQL's data directory is the case in
 * point: each {@code CREATE DATABASE} writes some three hundred files and {@code DROP DATABASE} unlinks them, and on
 * ext4 a new file's inode is searched for past recently deleted ones ({@code find_inode_bit}, {@code
 * recently_deleted}): about a seventh of all CPU in a run of {@code RehearsalTest} (perf, all processes). On tmpfs
 * the same files cost no block lookups; the unit tests took 136-137 s there against 167-193 s on the disk (run in
 * turn). A crash drill loses nothing it would keep on disk: it kills PostgreSQL, not the machine.
 */
public final class MemoryTemp {

    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    private MemoryTemp() {}

    /** {@code /dev/shm} when it is a directory the tests may write, else {@code java.io.tmpdir}. */
    public static Path root() {
        if (Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY)) {
            return SHARED_MEMORY;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }
}
