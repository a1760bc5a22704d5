package io.github.migrationsafety.sidecar;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.Finding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code sidecars} check or a {@code sign} run found and did.
 *
 * @param goal            {@link SidecarVerifier#GOAL} or {@link SidecarSigner#GOAL}
 * @param modelsDirectory the directory of the artifacts, as configured
 * @param summary         the artifacts, sidecars and signatures counted, hashing figures
 * @param findings        each problem, naming its artifact or sidecar
 * @param checks          one per artifact (verify) or sidecar (sign), with its own time
 * @param took            how long the run took
 */
public record SidecarResult(
        String goal,
        Path modelsDirectory,
        Map<String, Object> summary,
        List<Finding> findings,
        List<Check> checks,
        Duration took)
        implements EngineResult {

    public SidecarResult {
        summary = new LinkedHashMap<>(summary);
        findings = List.copyOf(findings);
        checks = List.copyOf(checks);
    }

    /**
     * "2 sidecar problem(s) under src/main/models", or for {@code sign} "2 sidecar(s) could not be signed under ...;
     * nothing was written".
     */
    @Override
    public String headline() {
        return SidecarSigner.GOAL.equals(goal)
                ? errors().size() + " sidecar(s) could not be signed under " + modelsDirectory + "; nothing was written"
                : errors().size() + " sidecar problem(s) under " + modelsDirectory;
    }
}
