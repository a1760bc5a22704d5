package io.github.migrationsafety.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.flyway.FlywayMigrations;
import io.github.migrationsafety.flyway.FlywaySource;
import io.github.migrationsafety.flyway.Migration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dedupe at validate: Flyway reads the migrations in the sources, not an earlier build's copies beside them. */
class SourcesFirstClassLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theSourcesHideTheClassesDirectorysCopies() throws Exception {
        Path resources = dir.resolve("src/main/resources/db/migration");
        Path classes = dir.resolve("target/classes/db/migration");
        Files.createDirectories(resources);
        Files.createDirectories(classes);
        Files.writeString(resources.resolve("V1__create.sql"), "CREATE TABLE t (a INT);\n");
        Files.writeString(resources.resolve("V2__new.sql"), "ALTER TABLE t ADD UNIQUE (a);\n");
        Files.writeString(classes.resolve("V1__create.sql"), "CREATE TABLE t (a INT);\n");
        Files.createDirectories(dir.resolve("target/classes/other"));
        Files.writeString(dir.resolve("target/classes/other/only-here.txt"), "x");
        try (SourcesFirstClassLoader loader = new SourcesFirstClassLoader(
                List.of(dir.resolve("src/main/resources").toUri().toURL()),
                dir.resolve("target/classes").toUri().toURL(),
                getClass().getClassLoader())) {
            FlywayMigrations.Resolved resolved =
                    FlywayMigrations.read(new FlywaySource(List.of("db/migration"), Map.of(), loader));
            assertTrue(resolved.ok(), resolved.error());
            assertEquals(
                    List.of("db/migration/V1__create.sql", "db/migration/V2__new.sql"),
                    resolved.migrations().stream().map(Migration::key).toList());
            assertTrue(
                    resolved.migrations().get(0).physical().contains("src/main/resources"),
                    resolved.migrations().get(0).physical());
            assertTrue(loader.getResource("other/only-here.txt") != null, "what the sources lack comes from classes");
        }
    }
}
