package io.github.migrationsafety.gate;

import io.github.migrationsafety.changelog.ChangelogFingerprint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the deploy gate checks.
 *
 * @param reportDirectory where the goal reports are ({@code target/migration-safety})
 * @param fingerprint     the changelog as it is now
 * @param changeLogFile   this build's master changelog, relative to the changelog directory
 * @param project         this build's {@code groupId:artifactId}
 * @param dialect         the dialect the smoke must have used
 * @param maxAge          the smoke report must be younger than this, or {@code null}
 * @param requiredReports other goals whose passing report is required, e.g. {@code sidecars}, {@code dedupe}
 * @param now             the current time
 */
public record GateConfig(
        Path reportDirectory,
        ChangelogFingerprint fingerprint,
        String changeLogFile,
        String project,
        String dialect,
        Duration maxAge,
        List<String> requiredReports,
        Instant now) {

    public GateConfig {
        Objects.requireNonNull(reportDirectory, "reportDirectory");
        Objects.requireNonNull(fingerprint, "fingerprint");
        requiredReports = List.copyOf(requiredReports);
    }
}
