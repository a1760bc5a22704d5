package io.github.migrationsafety.maven;

import io.github.migrationsafety.sidecar.SidecarConfig;
import io.github.migrationsafety.sidecar.SidecarException;
import io.github.migrationsafety.sidecar.SidecarSigner;
import io.github.migrationsafety.sidecar.SignConfig;
import io.github.migrationsafety.sidecar.SigningKey;
import io.github.migrationsafety.sidecar.SigningMode;
import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes or refreshes {@code feature_list_checksum} and, when the key variable is set, {@code artifact_sig} in the
 * sidecars of the artifacts a module produces. Only those two values change: every other key, the key order, the
 * indentation and the number spelling stay as they were. A sidecar without {@code feature_list} is refused, and if
 * any sidecar is refused nothing is written. Not bound to a phase: bind it after the artifacts are built, or run it
 * from the command line.
 */
@Mojo(name = "sign", threadSafe = true)
public class SignMojo extends AbstractSafetyMojo {

    /**
     * Directory holding the model artifacts and their sidecars. Required. User property:
     * {@code migration-safety.modelsDirectory}.
     * <pre>{@code <modelsDirectory>src/main/models</modelsDirectory>}</pre>
     */
    @Parameter(property = "migration-safety.modelsDirectory", required = true)
    private File modelsDirectory;

    /**
     * Globs of artifact files, relative to {@code modelsDirectory}; {@code **}{@code /} also matches the top level.
     * {@code ..} segments and absolute patterns are refused. Default:
     * {@code **}{@code /*.pkl, **}{@code /*.joblib, **}{@code /*.onnx, **}{@code /*.pt, **}{@code /*.safetensors,
     * **}{@code /*.bin}. User property: {@code migration-safety.includes} (comma-separated).
     * <pre>{@code <includes><include>versions/}{@code **}{@code /*.pkl</include></includes>}</pre>
     */
    @Parameter(property = "migration-safety.includes")
    private List<String> includes = new ArrayList<>();

    /**
     * Globs of artifacts (and stray sidecars) to ignore, relative to {@code modelsDirectory}. Default: none.
     * User property: {@code migration-safety.excludes} (comma-separated).
     */
    @Parameter(property = "migration-safety.excludes")
    private List<String> excludes = new ArrayList<>();

    /**
     * Replaces the artifact's last extension to name its sidecar: {@code model.pkl} → {@code model_metadata.json}.
     * Default: {@code _metadata.json}. User property: {@code migration-safety.sidecarSuffix}.
     */
    @Parameter(property = "migration-safety.sidecarSuffix", defaultValue = SidecarConfig.DEFAULT_SUFFIX)
    private String sidecarSuffix;

    /**
     * {@code auto}: verify ({@code sidecars}) or write ({@code sign}) {@code artifact_sig} when the key variable is
     * set; {@code required}: the key must be set (the goal fails before reading anything otherwise), and
     * {@code sidecars} also requires every checked artifact to carry a valid signature; {@code off}: signatures are
     * neither checked nor written, only checksums. Default: {@code auto}. User property: {@code migration-safety.signing}.
     */
    // String, parsed once by SigningMode.parse: Maven binds an enum parameter by Enum.valueOf on the exact
    // constant name, which refuses the spellings users write (auto, required, off) and Maven's message would replace
    // ours.
    @Parameter(property = "migration-safety.signing", defaultValue = "auto")
    private String signing;

    /**
     * Name of the environment variable holding the HMAC key (its UTF-8 bytes are the key). The key itself is never a
     * parameter, so it cannot leak through the POM. Default: {@code MODEL_ARTIFACT_SIGNING_KEY}.
     * User property: {@code migration-safety.signingKeyEnv}.
     */
    @Parameter(property = "migration-safety.signingKeyEnv", defaultValue = SidecarConfig.DEFAULT_KEY_ENV)
    private String signingKeyEnv;

    /**
     * Artifacts hashed in parallel. Default: the number of available processors.
     * User property: {@code migration-safety.threads}.
     */
    @Parameter(property = "migration-safety.threads")
    private Integer threads;

    /**
     * Dry run: list the sidecars that would change and the fields, write nothing. Default: {@code false}.
     * User property: {@code migration-safety.check}.
     */
    @Parameter(property = "migration-safety.check", defaultValue = "false")
    private boolean check;

    /**
     * Skips this goal only. Default: {@code false}. User property: {@code migration-safety.sign.skip}.
     */
    @Parameter(property = "migration-safety.sign.skip", defaultValue = "false")
    private boolean skipSign;

    @Override
    protected String goal() {
        return SidecarSigner.GOAL;
    }

    @Override
    protected boolean goalSkipped() {
        return skipSign;
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Instant started = Instant.now();
        SigningKey key = SidecarMojoSupport.signingKey(signingKeyEnv, this::addSecret);
        try {
            SignConfig config = new SignConfig(
                    modelsDirectory.toPath(),
                    includes,
                    excludes,
                    sidecarSuffix,
                    SigningMode.parse(signing),
                    key,
                    threads == null ? Runtime.getRuntime().availableProcessors() : threads,
                    check,
                    null);
            reportAndFail(new SidecarSigner(config, engineLog()).run(), started, true);
        } catch (SidecarException e) {
            throw new MojoExecutionException(redactor().redact(e.getMessage()));
        }
    }
}
