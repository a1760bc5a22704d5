package io.github.migrationsafety.maven;

import io.github.migrationsafety.sidecar.ReconcileConfig;
import io.github.migrationsafety.sidecar.SidecarConfig;
import io.github.migrationsafety.sidecar.SidecarException;
import io.github.migrationsafety.sidecar.SidecarVerifier;
import io.github.migrationsafety.sidecar.SigningKey;
import io.github.migrationsafety.sidecar.SigningMode;
import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks the model artifacts under {@code modelsDirectory}: every artifact has a sidecar
 * ({@code model.pkl} → {@code model_metadata.json}) with a non-empty {@code feature_list} whose
 * {@code feature_list_checksum} matches byte for byte what the Python service computes; signatures
 * ({@code artifact_sig}, HMAC-SHA256 with the key from {@code signingKeyEnv}) verify on all or a seeded sample
 * of artifacts; there are no orphan sidecars; and, with {@code reconcile}, the database lists exactly the
 * models on disk. The signing key is read from the environment only and never logged.
 */
@Mojo(name = "sidecars", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class SidecarsMojo extends AbstractDatabaseMojo {

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
     * {@code all}, or a number N: verify the signatures of a random sample of N artifacts, drawn reproducibly from
     * {@code sampleSeed}. Checksums are always checked for every artifact. Default: {@code all}.
     * User property: {@code migration-safety.signatureSample}.
     */
    @Parameter(property = "migration-safety.signatureSample", defaultValue = "all")
    private String signatureSample;

    /**
     * Seed of the signature sample. Unset: a fresh seed each run, logged and written to the report so a failure can
     * be replayed. Default: none. User property: {@code migration-safety.sampleSeed}.
     */
    @Parameter(property = "migration-safety.sampleSeed")
    private Long sampleSeed;

    /**
     * Artifacts hashed in parallel. Default: the number of available processors.
     * User property: {@code migration-safety.threads}.
     */
    @Parameter(property = "migration-safety.threads")
    private Integer threads;

    /**
     * Compare the database with the sidecars, both ways: every row of {@code reconcileQuery} needs an artifact whose
     * sidecar has that name and version, and every sidecar needs a row. Uses the connection parameters
     * ({@code url}, {@code username}, {@code passwordEnv}, {@code serverId}...). Default: {@code false}.
     * User property: {@code migration-safety.reconcile}.
     */
    @Parameter(property = "migration-safety.reconcile", defaultValue = "false")
    private boolean reconcile;

    /**
     * Query listing the models the application loads, name and version in the first two columns; run read-only.
     * Default: {@code SELECT name, version FROM model_metadata}. User property: {@code migration-safety.reconcileQuery}.
     */
    @Parameter(property = "migration-safety.reconcileQuery", defaultValue = ReconcileConfig.DEFAULT_QUERY)
    private String reconcileQuery;

    /**
     * Fail the build on problems; {@code false} reports them as warnings. Default: {@code true}.
     * User property: {@code migration-safety.failOnViolation}.
     */
    @Parameter(property = "migration-safety.failOnViolation", defaultValue = "true")
    private boolean failOnViolation;

    /**
     * Skips this goal only. Default: {@code false}. User property: {@code migration-safety.sidecars.skip}.
     */
    @Parameter(property = "migration-safety.sidecars.skip", defaultValue = "false")
    private boolean skipSidecars;

    @Override
    protected String goal() {
        return SidecarVerifier.GOAL;
    }

    @Override
    protected boolean goalSkipped() {
        return skipSidecars;
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Instant started = Instant.now();
        SigningKey key = SidecarMojoSupport.signingKey(signingKeyEnv, this::addSecret);
        try {
            SidecarConfig config = new SidecarConfig(
                    modelsDirectory.toPath(),
                    includes,
                    excludes,
                    sidecarSuffix,
                    SigningMode.parse(signing),
                    key,
                    SidecarConfig.parseSample(signatureSample),
                    sampleSeed,
                    threads == null ? Runtime.getRuntime().availableProcessors() : threads,
                    reconcile ? new ReconcileConfig(connectionSettings(), reconcileQuery) : null,
                    null);
            reportAndFail(new SidecarVerifier(config, engineLog()).run(), started, failOnViolation);
        } catch (SidecarException e) {
            throw new MojoExecutionException(redactor().redact(e.getMessage()));
        }
    }
}
