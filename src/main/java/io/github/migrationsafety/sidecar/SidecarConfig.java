package io.github.migrationsafety.sidecar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the {@code sidecars} check looks at and how.
 *
 * @param modelsDirectory  directory holding artifacts and sidecars
 * @param includes         artifact globs relative to it
 * @param excludes         globs of artifacts (and stray sidecars) to ignore
 * @param sidecarSuffix    replaces the artifact's last extension: {@code model.pkl} → {@code model_metadata.json}
 * @param signing          whether signatures are verified
 * @param key              the key from the environment (possibly unset)
 * @param signatureSample  how many artifacts to verify signatures of; {@code null} for all
 * @param sampleSeed       seed of the sample; {@code null} picks one and reports it
 * @param threads          artifacts processed in parallel
 * @param reconcile        database reconciliation, or {@code null}
 * @param progressInterval how often a long run logs progress
 */
public record SidecarConfig(
        Path modelsDirectory,
        List<String> includes,
        List<String> excludes,
        String sidecarSuffix,
        SigningMode signing,
        SigningKey key,
        Integer signatureSample,
        Long sampleSeed,
        int threads,
        ReconcileConfig reconcile,
        Duration progressInterval) {

    public static final List<String> DEFAULT_INCLUDES =
            List.of("**/*.pkl", "**/*.joblib", "**/*.onnx", "**/*.pt", "**/*.safetensors", "**/*.bin");
    public static final String DEFAULT_SUFFIX = "_metadata.json";
    public static final String DEFAULT_KEY_ENV = "MODEL_ARTIFACT_SIGNING_KEY";

    public SidecarConfig {
        Objects.requireNonNull(modelsDirectory, "modelsDirectory");
        includes = List.copyOf(includes == null || includes.isEmpty() ? DEFAULT_INCLUDES : includes);
        excludes = excludes == null ? List.of() : List.copyOf(excludes);
        Objects.requireNonNull(signing, "signing");
        Objects.requireNonNull(key, "key");
        progressInterval = progressInterval == null ? Duration.ofSeconds(5) : progressInterval;
    }

    /** Checks the parameters that the engine cannot work around; the message names the parameter. */
    void validate() throws SidecarException {
        validateSuffix(sidecarSuffix);
        if (threads < 1) {
            throw new SidecarException(
                    "Parameter 'threads' is " + threads + "; use 1 or more (default: the number of" + " processors).");
        }
        if (signatureSample != null && signatureSample < 1) {
            throw new SidecarException("Parameter 'signatureSample' is " + signatureSample
                    + "; use a positive number of artifacts, or 'all'.");
        }
    }

    static void validateSuffix(String suffix) throws SidecarException {
        if (suffix == null || suffix.isBlank() || suffix.contains("/") || suffix.contains("\\")) {
            throw new SidecarException("Parameter 'sidecarSuffix' is '" + suffix
                    + "'; give a file name ending without directories, e.g. _metadata.json.");
        }
    }

    /** Parses {@code signatureSample}: {@code all} (or empty) → {@code null}, else a positive integer. */
    public static Integer parseSample(String value) throws SidecarException {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("all")) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SidecarException("Parameter 'signatureSample' is '" + value
                + "'; use 'all' or a positive number of artifacts to spot-check.");
    }
}
