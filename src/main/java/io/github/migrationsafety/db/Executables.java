package io.github.migrationsafety.db;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the client programs the goals run (pg_dump, pg_restore) as the shell would. */
public final class Executables {

    private Executables() {}

    /**
     * @param name a program name, looked up on the {@code PATH}, or a path to it
     * @return the executable, or {@code null} when there is none
     */
    public static Path find(String name) {
        Path given = Path.of(name);
        if (given.isAbsolute() || name.contains(File.separator)) {
            return Files.isExecutable(given) ? given : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry).resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
