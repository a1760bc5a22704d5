package io.github.migrationsafety.maven;

import io.github.migrationsafety.db.ConnectionSettings;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Login parameters shared by the goals that log in to a database: {@code username}, and the password from the
 * POM, {@code -Dmigration-safety.password}, an environment variable or a {@code <server>} in {@code settings.xml}.
 * The password found is registered as a secret, so it is masked in every log line and report. Which database
 * is the subclass's business: {@link AbstractDatabaseMojo} adds {@code url}, {@code smoke} takes the URL from
 * {@code postgres}.
 */
public abstract class AbstractCredentialsMojo extends AbstractSafetyMojo {

    static final String PASSWORD_PROPERTY = "migration-safety.password";

    /**
     * Database user. When {@code serverId} is given and this is not, the server's username is used.
     * No default. User property: {@code migration-safety.username}.
     */
    @Parameter(property = "migration-safety.username")
    protected String username;

    /**
     * Database password. Prefer {@code passwordEnv} or {@code serverId}: a password written into the POM, also
     * as {@code ${env.X}} or another property, is expanded by Maven into the effective POM, which {@code mvn -X}
     * prints. Takes precedence over both when set. No default.
     * User property: {@code migration-safety.password} (read by the goal itself, so {@code -X} does not print it).
     */
    // No property = "..." here on purpose: Maven logs every parameter value it injects at debug level
    // ("(f) password = ..."), so the user property is looked up in passwordProperty() instead.
    @Parameter
    protected String password;

    /**
     * Name of an environment variable holding the password, e.g. {@code DB_PASSWORD}. Used when
     * {@code password} is not set; takes precedence over the server's password. The build fails when the
     * variable is not set. No default. User property: {@code migration-safety.passwordEnv}.
     */
    @Parameter(property = "migration-safety.passwordEnv")
    protected String passwordEnv;

    /**
     * Id of a {@code <server>} in {@code settings.xml} whose username and password (encrypted passwords are
     * decrypted through Maven's settings decrypter) are used to log in.
     * No default. User property: {@code migration-safety.serverId}.
     */
    @Parameter(property = "migration-safety.serverId")
    protected String serverId;

    @Parameter(defaultValue = "${settings}", readonly = true)
    protected Settings settings;

    @Parameter(defaultValue = "${session}", readonly = true)
    private MavenSession session;

    @Component
    protected SettingsDecrypter settingsDecrypter;

    /**
     * Resolves the login parameters for the database at {@code url}; the password found is registered as a secret.
     * A POM {@code <password>} wins over {@code -Dmigration-safety.password}, which wins over {@code passwordEnv}
     * and {@code serverId}.
     */
    protected final ConnectionSettings connectionSettings(String url) throws MojoExecutionException {
        ConnectionSettings resolved = resolve(
                url,
                username,
                password != null ? password : passwordProperty(),
                passwordEnv,
                serverId,
                settings,
                settingsDecrypter,
                System::getenv);
        addSecret(resolved.password());
        return resolved;
    }

    /**
     * {@code migration-safety.password} looked up the way Maven resolves a parameter's user property: user
     * properties ({@code -D}), then system properties, then the project's {@code <properties>}.
     */
    private String passwordProperty() {
        if (session == null) {
            return null;
        }
        return firstDefined(
                PASSWORD_PROPERTY,
                session.getUserProperties(),
                session.getSystemProperties(),
                session.getCurrentProject() == null
                        ? null
                        : session.getCurrentProject().getProperties());
    }

    /** The value of {@code key} in the first of {@code sources} (null ones skipped) that defines it. */
    static String firstDefined(String key, Properties... sources) {
        for (Properties source : sources) {
            if (source != null && source.getProperty(key) != null) {
                return source.getProperty(key);
            }
        }
        return null;
    }

    static ConnectionSettings resolve(
            String url,
            String username,
            String password,
            String passwordEnv,
            String serverId,
            Settings settings,
            SettingsDecrypter decrypter,
            UnaryOperator<String> environment)
            throws MojoExecutionException {
        if (url == null || url.isBlank()) {
            throw new MojoExecutionException("Parameter 'url' (user property migration-safety.url) is not set."
                    + " Give the JDBC URL of the database, e.g. <url>jdbc:postgresql://localhost:5432/app</url>.");
        }
        String user = blankToNull(username);
        String secret = password;
        if (serverId != null && !serverId.isBlank()) {
            Server server = settings == null ? null : settings.getServer(serverId);
            if (server == null) {
                List<String> known = settings == null
                        ? List.of()
                        : settings.getServers().stream().map(Server::getId).collect(Collectors.toList());
                throw new MojoExecutionException(
                        "Parameter 'serverId': settings.xml has no <server> with id '" + serverId
                                + "'. Known server ids: " + (known.isEmpty() ? "(none)" : String.join(", ", known))
                                + ". Add a <server> with this id to ~/.m2/settings.xml or fix 'serverId'.");
            }
            Server decrypted = decrypt(server, decrypter);
            if (user == null) {
                user = blankToNull(decrypted.getUsername());
            }
            if (secret == null && (passwordEnv == null || passwordEnv.isBlank())) {
                secret = decrypted.getPassword();
            }
        }
        if (secret == null && passwordEnv != null && !passwordEnv.isBlank()) {
            secret = environment.apply(passwordEnv);
            if (secret == null) {
                throw new MojoExecutionException("Parameter 'passwordEnv': the environment variable '" + passwordEnv
                        + "' is not set. Export it before running Maven or give the password another way.");
            }
        }
        return new ConnectionSettings(url.strip(), user, secret);
    }

    private static Server decrypt(Server server, SettingsDecrypter decrypter) throws MojoExecutionException {
        if (decrypter == null) {
            return server;
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new MojoExecutionException("Cannot decrypt the password of <server> '" + server.getId()
                        + "' in settings.xml: " + problem.getMessage()
                        + ". Check ~/.m2/settings-security.xml (mvn --encrypt-master-password).");
            }
        }
        return result.getServer();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
