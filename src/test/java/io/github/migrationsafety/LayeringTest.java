package io.github.migrationsafety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the engine Maven-free: only the {@code maven} package may import Maven, and nothing may import
 * the {@code maven} package. Reads the sources, so it also catches fully-qualified references.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/io/github/migrationsafety");

    @Test
    void engineDoesNotDependOnMaven() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String packageDir = SOURCES.relativize(file).getName(0).toString();
                if (packageDir.equals("maven")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.contains("org.apache.maven") || line.contains("org.codehaus.plexus")
                            || line.contains("io.github.migrationsafety.maven")) {
                        violations.add(file + ":" + (i + 1) + ": " + line.strip());
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "engine classes must not use Maven");
    }

    @Test
    void everyEnginePackageExists() {
        for (String name : List.of("db", "report", "dedupe", "backup", "smoke", "sidecar", "maven")) {
            assertTrue(Files.isDirectory(SOURCES.resolve(name)), name);
        }
    }
}
