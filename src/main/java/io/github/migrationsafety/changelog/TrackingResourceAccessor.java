package io.github.migrationsafety.changelog;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.OpenOptions;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;
import liquibase.resource.URIResource;

/**
 * A resource accessor rooted at the changelog directory (the application's runtime root, e.g.
 * {@code src/main/resources}) that remembers every file Liquibase read: the changelog fingerprint is
 * computed over exactly those files.
 *
 * <p>It also answers for a changelog schema newer than the Liquibase the plugin runs ({@code dbchangelog-5.0.xsd},
 * which a project on Liquibase 5 names): Liquibase looks a schema up in its own jar first and asks this accessor only
 * when the jar has none, and then gets the jar's {@code dbchangelog-latest.xsd}. Without it every file that names
 * such a schema fails to parse; with it, a file that uses only what this Liquibase knows parses, and one that uses a
 * newer change type fails on that element. {@link #newerSchemas()} lists what was answered so, for the warning.
 */
public final class TrackingResourceAccessor implements ResourceAccessor {

    /** A changelog schema's path as Liquibase looks it up, with its version. */
    private static final Pattern CHANGELOG_SCHEMA =
            Pattern.compile("www\\.liquibase\\.org/xml/ns/dbchangelog/(dbchangelog-\\d+\\.\\d+\\.xsd)");

    private static final String LATEST_SCHEMA = "www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd";

    private final Path root;
    private final DirectoryResourceAccessor delegate;
    private final Set<String> read = new TreeSet<>();
    private final Set<String> newerSchemas = new TreeSet<>();

    public TrackingResourceAccessor(Path root) throws FileNotFoundException {
        this.root = root.toAbsolutePath().normalize();
        this.delegate = new DirectoryResourceAccessor(this.root);
    }

    public Path root() {
        return root;
    }

    /** Paths relative to the root, with forward slashes, sorted. */
    public synchronized Set<String> filesRead() {
        return new TreeSet<>(read);
    }

    @Override
    public List<Resource> search(String path, boolean recursive) throws IOException {
        return track(delegate.search(path, recursive));
    }

    /**
     * The changelog schemas (file names such as {@code dbchangelog-5.0.xsd}) that Liquibase's jar does not have and
     * that were answered with its latest one.
     */
    public synchronized Set<String> newerSchemas() {
        return new TreeSet<>(newerSchemas);
    }

    @Override
    public List<Resource> getAll(String path) throws IOException {
        List<Resource> found = delegate.getAll(path);
        if (found == null || found.isEmpty()) {
            Resource latest = latestSchemaFor(path);
            if (latest != null) {
                return List.of(latest);
            }
        }
        return track(found);
    }

    /** Liquibase's latest changelog schema when {@code path} is a changelog schema its jar lacks, else {@code null}. */
    private Resource latestSchemaFor(String path) {
        Matcher schema = CHANGELOG_SCHEMA.matcher(path);
        if (!schema.matches()) {
            return null;
        }
        ClassLoader liquibase = DirectoryResourceAccessor.class.getClassLoader();
        URL latest = liquibase.getResource(LATEST_SCHEMA);
        if (latest == null || liquibase.getResource(path) != null) { // the jar's own schema is no newer one
            return null;
        }
        synchronized (this) {
            newerSchemas.add(schema.group(1));
        }
        try {
            return new URIResource(path, latest.toURI());
        } catch (URISyntaxException e) {
            return null;
        }
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

        public TrackedResource(Resource resource) {
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
