package io.github.migrationsafety.maven;

import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.flyway.FlywaySource;
import java.io.File;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;

/**
 * The parameters that say where the project's migrations are and how the application reads them, which {@code smoke}
 * and {@code gate} declare alike, and the one place that turns them into what the engines read: the Flyway
 * migrations, which source the project uses, and the Liquibase changelog.
 *
 * <p>The declarations themselves stay in each mojo: Maven binds a POM's top-level {@code <changeLogFile>} and the
 * user property {@code migration-safety.changeLogFile} only to a field (or setter) of the mojo's class or one of its
 * superclasses, and {@code gate} does not share {@code smoke}'s database superclass (see docs/ARCHITECTURE.md).
 * {@code SharedParameterDescriptionTest} keeps their descriptions the same.
 */
record MigrationParameters(
        File changeLogDirectory,
        String changeLogFile,
        String migrationSource,
        String flywayLocations,
        Map<String, String> flywayConfiguration,
        String contexts,
        String labels,
        Map<String, String> changelogParameters,
        String dialect) {

    /** The Flyway migrations at {@code flywayLocations}, read with the project's Flyway settings. */
    FlywaySource flyway(MavenProject project, ClassLoader classLoader) throws MojoExecutionException {
        return FlywayParameters.source(project, flywayLocations, flywayConfiguration, classLoader);
    }

    /** Whether the project's migrations are {@code flyway}'s rather than the changelog ({@code migrationSource}). */
    boolean usesFlyway(MavenProject project, FlywaySource flyway, ClassLoader classLoader)
            throws MojoExecutionException {
        return FlywayParameters.choose(
                        migrationSource,
                        changeLogDirectory.toPath().resolve(changeLogFile),
                        project,
                        flyway.locations(),
                        classLoader)
                == FlywayParameters.Source.FLYWAY;
    }

    /** The Liquibase changelog as the application's update reads it. */
    ChangelogSource changelog(ClassLoader classLoader) {
        return new ChangelogSource(
                changeLogDirectory.toPath(),
                changeLogFile,
                changelogParameters,
                contexts,
                labels,
                dialect,
                classLoader);
    }
}
