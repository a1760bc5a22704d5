package io.github.migrationsafety.smoke;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.OpenOptions;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

/**
 * A resource accessor rooted at the changelog directory (the application's runtime root, e.g.
 * {@code src/main/resources}) that remembers every file Liquibase read: the changelog fingerprint is
 * computed over exactly those files.
 */
public final class TrackingResourceAccessor implements ResourceAccessor {

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
        return track(delegate.search(path, recursive));
    }

    @Override
    public List<Resource> getAll(String path) throws IOException {
        return track(delegate.getAll(path));
    }

    private List<Resource> track(List<Resource> found) {
        return found == null
                ? null
                : found.stream().map(r -> (Resource) new TrackedResource(r)).toList();
    }

    private synchronized void record(Resource resource) {
        try {
            Path file = Path.of(resource.getUri()).toAbsolutePath().normalize();
            if (file.startsWith(root)) {
                read.add(root.relativize(file).toString().replace('\\', '/'));
            }
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            // not a file on disk (e.g. a classpath resource): not part of the changelog fingerprint
        }
    }

    /**
     * Records the file when it is opened for reading. Changes such as {@code sqlFile} with
     * {@code relativeToChangelogFile} reach files through {@link #resolveSibling}, so those are tracked too.
     */
    private final class TrackedResource implements Resource {

        private final Resource resource;

        TrackedResource(Resource resource) {
            this.resource = resource;
        }

        @Override
        public String getPath() {
            return resource.getPath();
        }

        @Override
        public InputStream openInputStream() throws IOException {
            InputStream in = resource.openInputStream();
            record(resource);
            return in;
        }

        @Override
        public boolean isWritable() {
            return resource.isWritable();
        }

        @Override
        public boolean exists() {
            return resource.exists();
        }

        @Override
        public Resource resolve(String other) {
            return new TrackedResource(resource.resolve(other));
        }

        @Override
        public Resource resolveSibling(String other) {
            return new TrackedResource(resource.resolveSibling(other));
        }

        @Override
        public OutputStream openOutputStream(OpenOptions options) throws IOException {
            return resource.openOutputStream(options);
        }

        @Override
        public URI getUri() {
            return resource.getUri();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TrackedResource tracked
                    ? resource.equals(tracked.resource)
                    : resource.equals(other);
        }

        @Override
        public int hashCode() {
            return resource.hashCode();
        }

        @Override
        public String toString() {
            return resource.toString();
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
