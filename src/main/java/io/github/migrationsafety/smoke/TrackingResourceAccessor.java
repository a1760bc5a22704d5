package io.github.migrationsafety.smoke;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

/**
 * A resource accessor rooted at the changelog directory (the application's runtime root, e.g.
 * {@code src/main/resources}) that remembers every file Liquibase looked up: the changelog fingerprint is
 * computed over exactly those files.
 */
final class TrackingResourceAccessor implements ResourceAccessor {

    private final Path root;
    private final DirectoryResourceAccessor delegate;
    private final Set<String> read = new TreeSet<>();

    TrackingResourceAccessor(Path root) throws FileNotFoundException {
        this.root = root.toAbsolutePath().normalize();
        this.delegate = new DirectoryResourceAccessor(this.root);
    }

    Path root() {
        return root;
    }

    /** Paths relative to the root, with forward slashes, sorted. */
    synchronized Set<String> filesRead() {
        return new TreeSet<>(read);
    }

    @Override
    public List<Resource> search(String path, boolean recursive) throws IOException {
        return delegate.search(path, recursive);
    }

    @Override
    public List<Resource> getAll(String path) throws IOException {
        List<Resource> found = delegate.getAll(path);
        if (found != null) {
            for (Resource resource : found) {
                if (resource.exists()) {
                    record(resource);
                }
            }
        }
        return found;
    }

    private synchronized void record(Resource resource) {
        try {
            Path file = Path.of(resource.getUri()).toAbsolutePath().normalize();
            if (file.startsWith(root)) {
                read.add(root.relativize(file).toString().replace('\\', '/'));
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            // not a file on disk (e.g. a classpath resource): not part of the changelog fingerprint
        }
    }

    @Override
    public List<String> describeLocations() {
        return delegate.describeLocations();
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
