package io.github.migrationsafety.maven;

import io.github.migrationsafety.flyway.FlywaySource;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;

/**
 * The migration source a changelog goal reads ({@code migrationSource}) and, for Flyway, its locations and settings,
 * shared by {@code smoke} and {@code gate} so both read the same migrations.
 */
final class FlywayParameters {

    /** The two sources a project can keep its migrations in. */
    enum Source {
        LIQUIBASE,
        FLYWAY
    }

    private FlywayParameters() {}

    /**
     * The project's {@code flyway.*} settings, later ones overriding earlier ones, as flyway-maven-plugin reads them:
     * {@code flyway.conf} in the project's directory, the project's {@code flyway.*} properties, the goal's
     * {@code flywayConfiguration}.
     */
    static Map<String, String> settings(MavenProject project, Map<String, String> configured)
            throws MojoExecutionException {
        Map<String, String> settings = new LinkedHashMap<>();
        Path conf = project.getBasedir().toPath().resolve("flyway.conf");
        if (Files.isRegularFile(conf)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(conf, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new MojoExecutionException("Cannot read " + conf + ": " + e.getMessage()
                        + ". Fix the file, or give the settings in 'flywayConfiguration'.");
            }
            properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name)));
        }
        Properties properties = project.getProperties();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("flyway.")) {
                settings.put(name, properties.getProperty(name));
            }
        }
        configured.forEach((key, value) -> settings.put(key.startsWith("flyway.") ? key : "flyway." + key, value));
        return settings;
    }

    /** {@code flywayLocations}, else the settings' {@code flyway.locations}, else Flyway's default. */
    static List<String> locations(String flywayLocations, Map<String, String> settings) {
        String value = flywayLocations != null && !flywayLocations.isBlank()
                ? flywayLocations
                : settings.getOrDefault("flyway.locations", "db/migration");
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    static FlywaySource source(
            MavenProject project, String flywayLocations, Map<String, String> configured, ClassLoader classLoader)
            throws MojoExecutionException {
        Map<String, String> settings = settings(project, configured);
        return new FlywaySource(
                locations(flywayLocations, settings),
                settings,
                classLoader,
                project.getBasedir().toPath());
    }

    /**
     * Which source the goal reads: the one named, or the one that exists. A project with both must name one; with
     * neither, Liquibase (whose missing changelog is then reported as today).
     */
    static Source choose(
            String migrationSource,
            Path changelog,
            MavenProject project,
            List<String> locations,
            ClassLoader classLoader)
            throws MojoExecutionException {
        String value =
                migrationSource == null ? "auto" : migrationSource.strip().toLowerCase(Locale.ROOT);
        switch (value) {
            case "liquibase":
                return Source.LIQUIBASE;
            case "flyway":
                return Source.FLYWAY;
            case "", "auto":
                break;
            default:
                throw new MojoExecutionException("Parameter 'migrationSource': '" + migrationSource
                        + "' is not auto, liquibase or flyway. Use e.g. <migrationSource>flyway</migrationSource>.");
        }
        boolean liquibase = Files.isRegularFile(changelog);
        List<String> flyway = existing(project, locations, classLoader);
        if (liquibase && !flyway.isEmpty()) {
            throw new MojoExecutionException("The project has both a Liquibase changelog (" + changelog
                    + ") and Flyway migrations (" + String.join(", ", flyway) + "). Name the one the application"
                    + " migrates with: <migrationSource>liquibase</migrationSource> or"
                    + " <migrationSource>flyway</migrationSource> (-Dmigration-safety.migrationSource=flyway).");
        }
        return !liquibase && !flyway.isEmpty() ? Source.FLYWAY : Source.LIQUIBASE;
    }

    /** The Flyway locations that exist: in the project's resources or classes, or on disk. */
    private static List<String> existing(MavenProject project, List<String> locations, ClassLoader classLoader) {
        List<String> found = new ArrayList<>();
        for (String location : locations) {
            String lower = location.toLowerCase(Locale.ROOT);
            if (lower.startsWith("filesystem:")) {
                Path path = project.getBasedir().toPath().resolve(location.substring("filesystem:".length()));
                if (Files.isDirectory(path)) {
                    found.add(location);
                }
                continue;
            }
            String path = lower.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
            path = path.startsWith("/") ? path.substring(1) : path;
            boolean inResources = false;
            for (Resource resource : project.getResources()) {
                if (resource.getDirectory() != null
                        && Files.isDirectory(Path.of(resource.getDirectory()).resolve(path))) {
                    inResources = true;
                }
            }
            if (inResources || classLoader.getResource(path) != null) {
                found.add(location);
            }
        }
        return found;
    }
}
