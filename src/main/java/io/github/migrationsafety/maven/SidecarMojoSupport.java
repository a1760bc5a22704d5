package io.github.migrationsafety.maven;

import io.github.migrationsafety.sidecar.SigningKey;
import java.util.function.Consumer;
import org.apache.maven.plugin.MojoExecutionException;

/** The one step {@code sidecars} and {@code sign} share on the Maven side: reading the key, as a secret. */
final class SidecarMojoSupport {

    private SidecarMojoSupport() {}

    /** Reads the key from the environment and registers its value with the redactor before anything logs. */
    static SigningKey signingKey(String variable, Consumer<String> addSecret) throws MojoExecutionException {
        if (variable == null || variable.isBlank()) {
            throw new MojoExecutionException("Parameter 'signingKeyEnv' is empty; name the environment variable that"
                    + " holds the signing key (default MODEL_ARTIFACT_SIGNING_KEY).");
        }
        String value = System.getenv(variable);
        // Masking a 1-3 character key would replace those letters everywhere in the log and make it unreadable;
        // such a key is reported as too short, and the engine never prints a key in the first place.
        if (value != null && value.length() >= 4) {
            addSecret.accept(value);
        }
        return SigningKey.fromEnvironment(variable, System::getenv);
    }
}
