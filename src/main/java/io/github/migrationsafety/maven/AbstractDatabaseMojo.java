package io.github.migrationsafety.maven;

import io.github.migrationsafety.db.ConnectionSettings;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that work on one database named by {@code url} ({@code smoke} reads production there, read only); the
 * login comes from {@link AbstractCredentialsMojo}.
 */
public abstract class AbstractDatabaseMojo extends AbstractCredentialsMojo {

    /**
     * JDBC URL of the database, e.g. {@code jdbc:postgresql://localhost:5432/app} or
     * {@code jdbc:h2:file:./target/app}. Drivers for H2 and PostgreSQL are included. {@code smoke} (where it is
     * optional) only reads it, in a read-only transaction that locks nothing stronger than a plain read: the
     * production database whose statistics give the table sizes and whose DATABASECHANGELOG says which changesets
     * are pending, for the production-impact rules and estimate.
     * No default. User property: {@code migration-safety.url}.
     */
    @Parameter(property = "migration-safety.url")
    protected String url;

    /** Resolves {@code url} and the login parameters; the password found is registered as a secret. */
    protected final ConnectionSettings connectionSettings() throws MojoExecutionException {
        return connectionSettings(url);
    }
}
