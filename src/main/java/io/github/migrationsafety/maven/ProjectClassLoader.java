package io.github.migrationsafety.maven;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;

/**
 * A class loader over the project's compile classpath (its classes and dependencies) with the plugin's
 * loader as parent, so Liquibase finds {@code customChange} classes while sharing the plugin's Liquibase.
 */
final class ProjectClassLoader {

    private ProjectClassLoader() {}

    static URLClassLoader of(MavenProject project) throws MojoExecutionException {
        List<URL> urls = new ArrayList<>();
        try {
            for (String element : project.getCompileClasspathElements()) {
                urls.add(new File(element).toURI().toURL());
            }
        } catch (DependencyResolutionRequiredException | MalformedURLException e) {
            throw new MojoExecutionException("Cannot build the project's compile classpath for customChange classes: "
                    + e.getMessage()
                    + ". Run the goal in a phase after compile (e.g. verify) so the project's classes and"
                    + " dependencies are resolved.");
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ProjectClassLoader.class.getClassLoader());
    }
}
