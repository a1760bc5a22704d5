package io.github.migrationsafety.smoke;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A cluster fresh from initdb, kept under the temporary directory for the next embedded server of the same binaries
 * and locale: copying its files (about 38 MB, some 0.05 s) replaces initdb (about 0.6 CPU-seconds) for every embedded
 * PostgreSQL after the first on a machine. The first server's initdb output is saved before its postmaster starts, so
 * the template holds nothing any smoke wrote.
 *
 * <p>A template is complete once its manifest (every file with its size) is there: it is written last, in a directory
 * of its own that is then renamed into place, so builds running at once never copy a half-saved one. A copy whose
 * files differ from the manifest is not used. A cluster that does not start from the copy (binaries of another
 * PostgreSQL major, which refuses the files, say) discards the template, and initdb runs ({@link #start}). Public for
 * the tests' own servers, which start the same way as the plugin's ({@link EmbeddedPostgresServer}).
 */
public final class ClusterTemplate {

    private static final String MANIFEST = "migration-safety-template.txt";
    /** zonky's lock file, made in the data directory before the customizer runs: the server's, not the cluster's. */
    private static final String LOCK_FILE = "epg-lock";
    /** How many templates (binaries locations and locales) are kept: the ones used last. */
    static final int KEPT = 4;

    private final Path directory;
    private final Duration startupWait;

    /**
     * @param startupWait how long a server started from a copy is waited for before the copy is taken for refused,
     *                    or {@code null} for the library's own wait (10 s): a refused copy is only seen by the wait
     */
    ClusterTemplate(Path directory, Duration startupWait) {
        this.directory = directory;
        this.startupWait = startupWait;
    }

    /**
     * The template for {@code binaries} (a jar of zonky's PostgreSQL binaries, or {@code null} for those on
     * {@code loader}'s classpath) under the locale initdb would take from this process's environment, in
     * {@code java.io.tmpdir}.
     */
    public static ClusterTemplate of(Path binaries, ClassLoader loader) {
        StringBuilder key = new StringBuilder();
        if (binaries != null) {
            Path jar = binaries.toAbsolutePath().normalize();
            key.append(jar);
            try {
                key.append(':').append(Files.size(jar)).append(':').append(Files.getLastModifiedTime(jar));
            } catch (IOException e) {
                key.append(":unreadable");
            }
        } else {
            URL resource = loader.getResource("postgres-" + system() + "-" + hardware() + ".txz");
            key.append(resource == null ? "classpath" : resource.toString());
        }
        for (String variable : List.of("LC_ALL", "LC_COLLATE", "LC_CTYPE", "LC_MESSAGES", "LANG")) {
            key.append('\n').append(variable).append('=').append(System.getenv(variable));
        }
        return new ClusterTemplate(
                Path.of(System.getProperty("java.io.tmpdir"), "migration-safety-pg-templates")
                        .resolve(sha256(key.toString()).substring(0, 24)),
                null);
    }

    Path directory() {
        return directory;
    }

    Duration startupWait() {
        return startupWait;
    }

    /** A server {@link #start} started, and the data directory it runs in: the caller's to remove once it stops it. */
    public record Started(EmbeddedPostgres server, Path dataDirectory) {}

    /**
     * Starts a server in {@code dataDirectory} (empty) from a copy of this template; when there is none, or the server
     * refuses the copy, from initdb, whose output then becomes the template. A refused copy is discarded with the
     * template, {@code refused} hears why, and initdb runs in a new directory beside it: a start that timed out may
     * leave a postmaster on the old one. On failure no directory it used is left.
     *
     * @param builder a builder for a server whose data are in the given directory
     */
    public Started start(
            Path dataDirectory, Function<Path, EmbeddedPostgres.Builder> builder, Consumer<Exception> refused)
            throws IOException {
        Path directory = dataDirectory;
        try {
            if (copyTo(directory)) {
                EmbeddedPostgres.Builder fromCopy = builder.apply(directory);
                if (startupWait != null) {
                    fromCopy.setPGStartupWait(startupWait);
                }
                try {
                    return new Started(fromCopy.start(), directory);
                } catch (IOException | RuntimeException e) {
                    refused.accept(e);
                    discard();
                    deleteQuietly(directory);
                    directory =
                            Files.createTempDirectory(directory.toAbsolutePath().getParent(), "migration-safety-pg");
                }
            }
            EmbeddedPostgres.Builder fromInitdb =
                    builder.apply(directory).setDataDirectoryCustomizer(cluster -> save(cluster.toPath()));
            return new Started(fromInitdb.start(), directory);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(directory);
            throw e;
        }
    }

    /**
     * Copies the template's files into {@code dataDirectory} (empty). {@code false} when there is no complete template
     * or the copy does not match its manifest; {@code dataDirectory} is then empty again.
     */
    public boolean copyTo(Path dataDirectory) throws IOException {
        if (!ownedLike(directory.getParent(), dataDirectory) || !ownedLike(directory, dataDirectory)) {
            return false;
        }
        Path manifest = directory.resolve(MANIFEST);
        List<String> entries;
        try {
            entries = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return false; // none yet, or being discarded
        }
        try {
            for (String entry : entries) {
                // "d <path>" or "f <size> <path>"
                if (entry.startsWith("d ")) {
                    Files.createDirectories(inside(dataDirectory, entry.substring(2)));
                    continue;
                }
                int space = entry.indexOf(' ', 2);
                long size = Long.parseLong(entry.substring(2, space));
                String name = entry.substring(space + 1);
                Path target = inside(dataDirectory, name);
                Files.copy(directory.resolve(name), target, StandardCopyOption.COPY_ATTRIBUTES);
                if (Files.size(target) != size) {
                    throw new IOException(name + " is " + Files.size(target) + " bytes, the manifest says " + size);
                }
            }
            touch(manifest);
            return true;
        } catch (IOException | RuntimeException e) {
            // a template removed or damaged meanwhile: the caller runs initdb in the emptied directory
            emptyDirectory(dataDirectory);
            return false;
        }
    }

    /** Marks the template used now, so that {@link #discardAllButNewest} keeps it; a template others own stays as it is. */
    private static void touch(Path manifest) {
        try {
            Files.setLastModifiedTime(manifest, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // not ours to touch: it is only kept as long as its own time says
        }
    }

    /** {@code name} in {@code root}; a manifest's path that leads out of it is a damaged manifest. */
    private static Path inside(Path root, String name) throws IOException {
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root.normalize()) || path.equals(root.normalize())) {
            throw new IOException("the manifest names " + name + ", outside the data directory");
        }
        return path;
    }

    /**
     * Saves {@code cluster} (fresh from initdb, its postmaster not started) as the template, unless another build saved
     * one first. A template that cannot be saved (a full disk, say) only costs the next server its initdb.
     */
    public boolean save(Path cluster) {
        Path staging = directory.resolveSibling(directory.getFileName() + ".saving-" + UUID.randomUUID());
        try {
            Path root = directory.getParent();
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root.getParent());
                createPrivateDirectory(root);
            }
            if (!ownedLike(root, cluster)) {
                return false;
            }
            createPrivateDirectory(staging);
            List<String> manifest = new ArrayList<>();
            try (Stream<Path> paths = Files.walk(cluster)) {
                for (Path path : paths.sorted().toList()) {
                    String name = cluster.relativize(path).toString().replace('\\', '/');
                    if (name.isEmpty() || name.equals(LOCK_FILE)) {
                        continue;
                    }
                    Path target = staging.resolve(name);
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(target);
                        manifest.add("d " + name);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                        manifest.add("f " + Files.size(target) + " " + name);
                    }
                }
            }
            Files.write(staging.resolve(MANIFEST), manifest, StandardCharsets.UTF_8);
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && !Files.exists(directory.resolve(MANIFEST))) {
                // what is left of one without its manifest (a cleaner of old temporary files took it, say): never
                // copied, and in the way of this one
                discard();
            }
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
            discardAllButNewest(root);
            return true;
        } catch (IOException | RuntimeException e) {
            // another build saved its template first (the same initdb's output), or none can be saved here
            return false;
        } finally {
            deleteQuietly(staging);
        }
    }

    /**
     * Whether {@code path} is this user's own (the owner of {@code ours}, a directory this process made) and nobody
     * else may write in it: the server runs whatever a data directory's {@code postgresql.conf} says, so a template
     * someone else could have placed in a shared temporary directory is never used.
     */
    private static boolean ownedLike(Path path, Path ours) {
        try {
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                    || !Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(ours))) {
                return false;
            }
            if (!Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
                return true;
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            return !permissions.contains(PosixFilePermission.GROUP_WRITE)
                    && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** A directory only its owner may read and write, where the file system knows POSIX permissions. */
    private static void createPrivateDirectory(Path path) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectory(
                    path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(path);
        }
    }

    /**
     * Keeps the {@link #KEPT} templates used last under {@code root} and discards the others: one is kept per binaries
     * location and locale, and a machine that builds from many local repositories (a new clone with a new Maven home
     * each time) would otherwise collect one of about 38 MB per repository. A build copying one of those meanwhile sees
     * it damaged and runs initdb ({@link #copyTo}). A template that cannot be listed or removed stays, and the next
     * save tries again: the template just saved is saved either way.
     */
    private static void discardAllButNewest(Path root) {
        record Used(Path template, FileTime at) {}
        try (Stream<Path> templates = Files.list(root)) {
            templates
                    .map(t -> new Used(t, lastUsed(t)))
                    .filter(u -> u.at() != null)
                    .sorted(Comparator.comparing(Used::at).reversed())
                    .skip(KEPT)
                    .forEach(u -> new ClusterTemplate(u.template(), null).discard());
        } catch (IOException | UncheckedIOException e) {
            // left for the next save
        }
    }

    /**
     * When the template was last saved or copied: its manifest's time ({@link #copyTo} touches it); {@code null} for
     * one without a manifest, being saved or discarded by another build.
     */
    private static FileTime lastUsed(Path template) {
        try {
            return Files.getLastModifiedTime(template.resolve(MANIFEST));
        } catch (IOException e) {
            return null;
        }
    }

    /** Removes the template, its manifest first, so that no build starts copying it meanwhile. */
    public void discard() {
        try {
            Files.deleteIfExists(directory.resolve(MANIFEST));
        } catch (IOException e) {
            // another build is discarding it too
        }
        deleteQuietly(directory);
    }

    /** Removes {@code root} and everything in it, as far as it can. */
    public static void deleteQuietly(Path root) {
        try {
            emptyDirectory(root);
            Files.deleteIfExists(root);
        } catch (IOException | UncheckedIOException e) {
            // what is left lies under the temporary directory
        }
    }

    private static void emptyDirectory(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(root)) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** The operating system as zonky names its binaries ({@code postgres-linux-x86_64.txz}). */
    private static String system() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return "darwin";
        }
        return name.startsWith("windows") ? "windows" : "linux";
    }

    /** The hardware as zonky names its binaries. */
    private static String hardware() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
