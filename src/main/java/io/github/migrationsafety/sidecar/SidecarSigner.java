package io.github.migrationsafety.sidecar;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code sign} goal: computes {@code feature_list_checksum} and, with the key, {@code artifact_sig} for every
 * artifact, and writes them into the existing sidecars. All sidecars are prepared first; when any one is refused
 * (missing sidecar, no {@code feature_list}, invalid JSON) nothing is written, so a refused run leaves the
 * directory as it was. Each changed sidecar is replaced atomically (temporary sibling, fsync, atomic move,
 * fsync of the directory), so every sidecar is either the old or the new text, never a mix. When a write fails
 * midway (disk full), the sidecars written before it are complete and the error says how many; signing is
 * idempotent, so running the goal again finishes the rest.
 */
public final class SidecarSigner {

    public static final String GOAL = "sign";

    private final SignConfig config;
    private final EngineLog log;

    public SidecarSigner(SignConfig config, EngineLog log) {
        this.config = config;
        this.log = log;
    }

    /** One artifact's prepared change: the new sidecar text and the fields that change, or none. */
    private record Plan(
            ModelTree.Artifact artifact,
            String sidecarName,
            String newText,
            List<String> changed,
            List<Finding> findings,
            Duration time) {}

    public SidecarResult run() throws SidecarException {
        Instant started = Instant.now();
        SidecarConfig.validateSuffix(config.sidecarSuffix());
        if (config.threads() < 1) {
            throw new SidecarException("Parameter 'threads' is " + config.threads() + "; use 1 or more.");
        }
        SigningKey key = config.key();
        boolean sign = switch (config.signing()) {
            case OFF -> false;
            case REQUIRED -> {
                if (!key.isPresent()) {
                    throw new SidecarException("signing=required but the environment variable " + key.variable()
                            + " is "
                            + (key.isSet() ? "empty" : "not set") + ". Export the signing key in " + key.variable()
                            + " (or name another variable with 'signingKeyEnv'); no sidecar was changed.");
                }
                yield true;
            }
            case AUTO -> {
                if (!key.isPresent()) {
                    log.info(
                            "artifact_sig not written: " + key.variable() + " is " + (key.isSet() ? "empty" : "not set")
                                    + " (signing=auto); only feature_list_checksum is computed");
                }
                yield key.isPresent();
            }
        };
        ModelTree tree = ModelTree.scan(
                config.modelsDirectory(),
                PathPatterns.of(config.includes(), "includes", FileSystems.getDefault()),
                PathPatterns.of(config.excludes(), "excludes", FileSystems.getDefault()),
                config.sidecarSuffix());
        List<Finding> findings = new ArrayList<>(tree.findings());
        if (sign && key.isShort()) {
            findings.add(Finding.warning(
                            "sidecars.short-key",
                            key.variable(),
                            "the signing key is shorter than " + SigningKey.RECOMMENDED_BYTES + " bytes")
                    .withHint("Use at least 32 random bytes, e.g. the" + " output of: openssl rand -hex 32"));
        }
        Progress progress = new Progress("Prepared", tree.artifacts().size(), config.progressInterval(), log);
        ArtifactHasher hasher = sign ? new ArtifactHasher(key) : null;
        List<Plan> plans = ParallelFiles.map(
                tree.artifacts(),
                config.threads(),
                progress,
                ModelTree.Artifact::size,
                artifact -> plan(tree, artifact, hasher, key, progress));
        plans.forEach(plan -> findings.addAll(plan.findings()));
        boolean refused = findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);

        List<Check> checks = new ArrayList<>();
        int changedCount = 0;
        for (Plan plan : plans) {
            List<Finding> errors = plan.findings().stream()
                    .filter(f -> f.severity() == Severity.ERROR)
                    .toList();
            if (!errors.isEmpty()) {
                checks.add(Check.failed(
                        "sidecars",
                        plan.sidecarName(),
                        plan.time(),
                        errors.stream().map(Finding::describe).collect(Collectors.joining("\n"))));
                continue;
            }
            if (plan.artifact().sidecarState() == ModelTree.SidecarState.REFUSED) {
                checks.add(Check.failed(
                        "sidecars",
                        plan.sidecarName(),
                        plan.time(),
                        "sidecar " + plan.sidecarName() + " is a symbolic link that was refused"));
                continue;
            }
            checks.add(Check.passed("sidecars", plan.sidecarName(), plan.time()));
            if (plan.changed().isEmpty()) {
                continue;
            }
            changedCount++;
            String fields = String.join(", ", plan.changed());
            if (config.check() || refused) {
                log.info("Would update " + plan.sidecarName() + ": " + fields);
            } else {
                write(plan.artifact().sidecar(), plan.newText(), plan.sidecarName(), changedCount - 1);
                log.info("Updated " + plan.sidecarName() + ": " + fields);
            }
        }
        boolean wrote = !config.check() && !refused;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("modelsDirectory", tree.root().toString());
        summary.put("artifacts", tree.artifacts().size());
        summary.put(wrote ? "sidecarsUpdated" : "sidecarsToUpdate", changedCount);
        summary.put(
                "sidecarsUpToDate",
                plans.size()
                        - changedCount
                        - (int) checks.stream()
                                .filter(c -> c.outcome() == Check.Outcome.FAILED)
                                .count());
        summary.put("signaturesWritten", sign);
        summary.put("check", config.check());
        progress.summarize(summary);
        if (refused && !config.check()) {
            log.warn("No sidecar was changed because some could not be signed; fix the problems below and run again");
        }
        log.info((wrote ? "Updated " : "Would update ") + changedCount + " of "
                + tree.artifacts().size() + " sidecar(s) under " + tree.root()
                + (config.check() ? " (check only, nothing written)" : ""));
        return new SidecarResult(
                GOAL, config.modelsDirectory(), summary, findings, checks, Duration.between(started, Instant.now()));
    }

    private Plan plan(
            ModelTree tree, ModelTree.Artifact artifact, ArtifactHasher hasher, SigningKey key, Progress progress)
            throws SidecarException {
        long start = System.nanoTime();
        String subject = artifact.relative();
        String sidecarName = artifact.sidecarRelative(tree.root());
        List<Finding> findings = new ArrayList<>();
        if (artifact.sidecarState() != ModelTree.SidecarState.PRESENT) {
            if (artifact.sidecarState() == ModelTree.SidecarState.MISSING) {
                findings.add(Finding.error(
                                "sign.sidecar-missing",
                                subject,
                                "has no sidecar " + sidecarName
                                        + "; sign only completes sidecars and never invents a feature_list")
                        .withHint("Write the sidecar with name, version and feature_list (the model service does), then"
                                + " run sign again, or exclude the artifact with <excludes>."));
            }
            return new Plan(artifact, sidecarName, null, List.of(), findings, elapsed(start));
        }
        SidecarFile sidecar;
        try {
            sidecar = SidecarFile.read(tree, artifact.sidecar(), subject, sidecarName, findings);
        } catch (IOException e) {
            throw SidecarVerifier.unreadable(
                    "sidecar", sidecarName, artifact.sidecar().toString(), e);
        }
        if (sidecar == null) {
            return new Plan(artifact, sidecarName, null, List.of(), findings, elapsed(start));
        }
        if (!sidecar.root().containsKey(SidecarFile.FEATURE_LIST)) {
            findings.add(Finding.error(
                            "sign.feature-list-missing",
                            subject,
                            "sidecar " + sidecarName
                                    + " has no 'feature_list'; refusing to sign an artifact whose input features are unknown")
                    .withHint("Add \"feature_list\": [...] with the model's input feature names, then run sign again.")
                    .at(sidecar.file().toString(), 0));
            return new Plan(artifact, sidecarName, null, List.of(), findings, elapsed(start));
        }
        List<String> features = sidecar.featureList(subject, sidecarName, findings);
        if (features == null) {
            return new Plan(artifact, sidecarName, null, List.of(), findings, elapsed(start));
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put(SidecarFile.CHECKSUM, PythonJson.checksum(features));
        if (hasher != null) {
            try {
                values.put(
                        SidecarFile.SIGNATURE,
                        HexFormat.of().formatHex(hasher.hmac(tree.realPathInside(artifact.file()), progress)));
            } catch (IOException e) {
                throw SidecarVerifier.unreadable(
                        "artifact", subject, artifact.file().toString(), e);
            }
        } else if (sidecar.has(SidecarFile.SIGNATURE)) {
            findings.add(Finding.warning(
                            "sign.signature-kept",
                            subject,
                            "artifact_sig in " + sidecarName + " was left as it is and not recomputed (no signing key)")
                    .withHint("Set " + key.variable() + " to refresh it, or remove it if the artifact changed."));
        }
        String text = sidecar.text();
        List<String> changed = new ArrayList<>();
        String anchor = SidecarFile.FEATURE_LIST;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (!entry.getValue().equals(sidecar.root().get(entry.getKey()))) {
                try {
                    text = SidecarPatch.set(text, entry.getKey(), entry.getValue(), anchor);
                } catch (IOException e) {
                    throw new IllegalStateException("sidecar text parsed before but not now: " + sidecarName, e);
                }
                changed.add(entry.getKey());
            }
            anchor = entry.getKey();
        }
        return new Plan(artifact, sidecarName, text, changed, findings, elapsed(start));
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * Writes the new text to a temporary file next to the sidecar, forces it to disk, copies the sidecar's
     * permissions (a temporary file starts private), moves it over the sidecar in one step and forces the
     * directory entry to disk.
     *
     * @param writtenBefore sidecars this run already updated, for the message when this one fails
     */
    private static void write(Path link, String text, String sidecarName, int writtenBefore) throws SidecarException {
        Path temp = null;
        Path sidecar = link;
        try {
            // a sidecar that is a link inside modelsDirectory is updated where it lives, keeping the link
            sidecar = link.toRealPath();
            temp = Files.createTempFile(sidecar.getParent(), "." + sidecar.getFileName(), ".tmp");
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            PosixFileAttributeView source = Files.getFileAttributeView(sidecar, PosixFileAttributeView.class);
            if (source != null) {
                Files.setPosixFilePermissions(temp, source.readAttributes().permissions());
            }
            // no fallback to a plain move: the temporary file is a sibling, so a file system that cannot rename
            // it atomically cannot promise a whole sidecar either
            Files.move(temp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(sidecar.getParent());
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original sidecar is intact; a stray temporary file is the lesser problem
                }
            }
            String reason = e instanceof AtomicMoveNotSupportedException
                    ? "the file system cannot replace it atomically"
                    : e.toString();
            throw new SidecarException(
                    "Cannot write sidecar " + sidecarName + " (" + sidecar + "): " + reason
                            + ". Check that the directory is writable and has space; this sidecar was left unchanged"
                            + (writtenBefore > 0
                                    ? ", the " + writtenBefore + " updated before it are complete; run sign"
                                            + " again to finish the rest."
                                    : "."),
                    e);
        }
    }

    /** Makes the rename durable. Some platforms cannot open a directory; there the rename is atomic but not synced. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory as a channel; the sidecar itself was already forced to disk
        }
    }
}
