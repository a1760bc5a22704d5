package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import liquibase.change.custom.CustomTaskChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandInsTest {

    @Test
    void aStandInHasTheNamedClassAndDoesNothing(@TempDir Path directory) throws Exception {
        Path classes = StandIns.compile(
                List.of("org.example.migration.PasswordTask", "org.example.other.RowTask"), directory.resolve("out"));

        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            for (String name : List.of("org.example.migration.PasswordTask", "org.example.other.RowTask")) {
                Object instance =
                        Class.forName(name, true, loader).getConstructor().newInstance();
                CustomTaskChange task = (CustomTaskChange) instance;
                task.setUp();
                task.execute(null);
                assertTrue(task.validate(null).getErrorMessages().isEmpty());
                assertEquals(
                        "stand-in " + name.substring(name.lastIndexOf('.') + 1) + ": did nothing",
                        task.getConfirmationMessage());
            }
        }
    }

    @Test
    void noClassesNoDirectory(@TempDir Path directory) throws Exception {
        assertNull(StandIns.compile(List.of(), directory.resolve("out")));
    }
}
