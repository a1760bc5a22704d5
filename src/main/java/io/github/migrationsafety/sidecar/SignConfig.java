package io.github.migrationsafety.sidecar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the {@code sign} goal writes.
 *
 * @param modelsDirectory  directory holding artifacts and sidecars
 * @param includes         artifact globs relative to it
 * @param excludes         globs to ignore
 * @param sidecarSuffix    sidecar naming, as for {@code sidecars}
 * @param signing          {@code auto}: write {@code artifact_sig} when the key is set; {@code required}; {@code off}
 * @param key              the key from the environment (possibly unset)
 * @param threads          artifacts hashed in parallel
 * @param check            list what would change, write nothing
 * @param progressInterval how often a long run logs progress
 */
public record SignConfig(
        Path modelsDirectory,
        List<String> includes,
        List<String> excludes,
        String sidecarSuffix,
        SigningMode signing,
        SigningKey key,
        int threads,
        boolean check,
        Duration progressInterval) {

    public SignConfig {
        Objects.requireNonNull(modelsDirectory, "modelsDirectory");
        includes = List.copyOf(includes == null || includes.isEmpty() ? SidecarConfig.DEFAULT_INCLUDES : includes);
        excludes = excludes == null ? List.of() : List.copyOf(excludes);
        Objects.requireNonNull(signing, "signing");
        Objects.requireNonNull(key, "key");
        progressInterval = progressInterval == null ? Duration.ofSeconds(5) : progressInterval;
    }
}
