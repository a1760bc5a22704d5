package io.github.migrationsafety.maven;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The project as a goal bound to {@code validate} sees it: its resource directories as they are in the sources, then
 * its classes directory from an earlier build (a {@code customChange} class, a Flyway Java migration). A resource
 * name found in a resource directory hides the classes directory's copy of it: that copy is older, or the same, and
 * Flyway, which lists a location's files under every URL of its name, would count each migration twice. Java
 * migrations in a location that the resource directories also hold are then not listed.
 */
final class SourcesFirstClassLoader extends URLClassLoader {

    private final URLClassLoader sources;
    private final URLClassLoader classes;

    SourcesFirstClassLoader(List<URL> resourceDirectories, URL classesDirectory, ClassLoader parent) {
        super(
                Stream.concat(resourceDirectories.stream(), Stream.of(classesDirectory))
                        .toArray(URL[]::new),
                parent);
        this.sources = new URLClassLoader(resourceDirectories.toArray(URL[]::new), null);
        this.classes = new URLClassLoader(new URL[] {classesDirectory}, null);
    }

    @Override
    public URL findResource(String name) {
        URL found = sources.findResource(name);
        return found != null ? found : classes.findResource(name);
    }

    @Override
    public Enumeration<URL> findResources(String name) throws IOException {
        Enumeration<URL> found = sources.findResources(name);
        return found.hasMoreElements() ? found : classes.findResources(name);
    }

    @Override
    public void close() throws IOException {
        try (sources;
                classes) {
            super.close();
        }
    }
}
