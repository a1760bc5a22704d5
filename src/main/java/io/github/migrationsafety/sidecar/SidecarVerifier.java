package io.github.migrationsafety.sidecar;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The {@code sidecars} check: every artifact has a well-formed sidecar whose {@code feature_list_checksum}
 * matches its {@code feature_list}; signatures verify on all or a seeded sample of artifacts; no orphans;
 * optionally, the database and the sidecars list the same models. Problems become findings; only
 * configuration and I/O faults throw.
 */
public final class SidecarVerifier {

    public static final String GOAL = "sidecars";

    private final SidecarConfig config;
    private final EngineLog log;

    public SidecarVerifier(SidecarConfig config, EngineLog log) {
        this.config = config;
        this.log = log;
    }

    /**
     * What one artifact's check produced.
     *
     * @param model the name and version its sidecar declares, also when other checks failed; null when they
     *              cannot be read
     */
    private record Outcome(
            List<Finding> findings, Check check, ModelId model, String sidecar, boolean signatureVerified) {}

    public SidecarResult run() throws SidecarException {
        Instant started = Instant.now();
        config.validate();
        SigningKey key = config.key();
        boolean verifySignatures = signaturesVerifiable(key);
        PathPatterns includes = PathPatterns.of(config.includes(), "includes", FileSystems.getDefault());
        PathPatterns excludes = PathPatterns.of(config.excludes(), "excludes", FileSystems.getDefault());
        ModelTree tree = ModelTree.scan(config.modelsDirectory(), includes, excludes, config.sidecarSuffix());

        List<Finding> findings = new ArrayList<>(tree.findings());
        if (tree.artifacts().isEmpty()) {
            findings.add(Finding.warning(
                            "sidecars.no-artifacts",
                            tree.root().toString(),
                            "no artifact matches the" + " includes " + config.includes())
                    .withHint("Check modelsDirectory and <includes>; an empty check" + " proves nothing."));
        }
        if (verifySignatures && key.isShort()) {
            findings.add(Finding.warning(
                            "sidecars.short-key",
                            key.variable(),
                            "the signing key is shorter than " + SigningKey.RECOMMENDED_BYTES + " bytes")
                    .withHint("Use at least 32 random bytes, e.g. the" + " output of: openssl rand -hex 32"));
        }
        List<String> relatives =
                tree.artifacts().stream().map(ModelTree.Artifact::relative).toList();
        long seed = config.sampleSeed() != null ? config.sampleSeed() : new SecureRandom().nextLong();
        Set<String> sample =
                verifySignatures ? SignatureSample.choose(relatives, config.signatureSample(), seed) : Set.of();
        boolean sampling = verifySignatures && config.signatureSample() != null && sample.size() < relatives.size();
        if (sampling) {
            log.info("Verifying signatures of a sample of " + sample.size() + " of " + relatives.size()
                    + " artifacts (seed " + seed + "; replay with -Dmigration-safety.sampleSeed=" + seed + ")");
        }

        // before any hashing: a wrong query or an unreachable database should not wait for gigabytes to be read
        Set<ModelId> rows = config.reconcile() == null ? null : Reconciler.listedModels(config.reconcile());

        Progress progress = new Progress("Checked", tree.artifacts().size(), config.progressInterval(), log);
        ArtifactHasher hasher = verifySignatures ? new ArtifactHasher(key) : null;
        // only artifacts whose signature is computed take time in proportion to their size
        ToLongFunction<ModelTree.Artifact> cost =
                artifact -> sample.contains(artifact.relative()) ? artifact.size() : 0;
        List<Outcome> outcomes = ParallelFiles.map(
                tree.artifacts(),
                config.threads(),
                progress,
                cost,
                artifact -> check(tree, artifact, hasher, sample.contains(artifact.relative()), progress));

        List<Check> checks = new ArrayList<>();
        Map<ModelId, Outcome> models = new LinkedHashMap<>();
        List<Finding> duplicates = new ArrayList<>();
        int verified = 0;
        for (Outcome outcome : outcomes) {
            findings.addAll(outcome.findings());
            checks.add(outcome.check());
            if (outcome.model() != null) {
                Outcome first = models.putIfAbsent(outcome.model(), outcome);
                // artifacts sharing one sidecar (model.pkl and model.onnx next to model_metadata.json) are one model
                if (first != null && !first.sidecar().equals(outcome.sidecar())) {
                    duplicates.add(Finding.error(
                                    "sidecars.reconcile-duplicate-model",
                                    outcome.check().name(),
                                    "its sidecar " + outcome.sidecar() + " declares " + outcome.model() + ", as does "
                                            + first.sidecar() + " (of "
                                            + first.check().name() + "); one database row cannot"
                                            + " tell them apart")
                            .withHint("Give one of them the version it really has, or" + " remove the stale copy."));
                }
            }
            verified += outcome.signatureVerified() ? 1 : 0;
        }
        for (String orphan : tree.orphanSidecars()) {
            findings.add(Finding.error(
                            "sidecars.orphan-sidecar",
                            orphan,
                            "is a sidecar without an artifact: no file"
                                    + " next to it matches the includes and has this base name")
                    .withHint("Delete the stale sidecar, restore its artifact, or widen <includes> if the artifact has"
                            + " another extension."));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("modelsDirectory", tree.root().toString());
        summary.put("artifacts", tree.artifacts().size());
        summary.put("orphanSidecars", tree.orphanSidecars().size());
        summary.put("signing", config.signing().label());
        summary.put("signingKeyEnv", key.variable());
        summary.put("signaturesVerified", verified);
        if (sampling) {
            summary.put("signatureSample", config.signatureSample());
            summary.put("sampleSeed", seed);
            summary.put("sampledArtifacts", List.copyOf(sample));
        }
        progress.summarize(summary);
        summary.put("threads", config.threads());
        if (rows != null) {
            Map<ModelId, String> declared = new LinkedHashMap<>();
            models.forEach(
                    (model, outcome) -> declared.put(model, outcome.check().name()));
            findings.addAll(duplicates);
            findings.addAll(
                    Reconciler.compare(rows, declared, config.reconcile().query()));
            summary.put("databaseModels", rows.size());
        }
        long errors =
                findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        log.info("Checked " + tree.artifacts().size() + " artifact(s) under " + tree.root() + ": " + errors
                + " problem(s), " + verified + " signature(s) verified, "
                + tree.orphanSidecars().size()
                + " orphan sidecar(s)" + (progress.filesHashed() > 0 ? " (" + progress.hashingLine() + ")" : ""));
        return new SidecarResult(
                GOAL, config.modelsDirectory(), summary, findings, checks, Duration.between(started, Instant.now()));
    }

    /** Applies the signing rules that come before any file is touched; returns whether to verify signatures. */
    private boolean signaturesVerifiable(SigningKey key) throws SidecarException {
        switch (config.signing()) {
            case OFF:
                return false;
            case REQUIRED:
                if (!key.isPresent()) {
                    throw new SidecarException("signing=required but the environment variable " + key.variable()
                            + " is "
                            + (key.isSet() ? "empty" : "not set") + ". Export the signing key in " + key.variable()
                            + " (or name another variable with 'signingKeyEnv'); no artifact was checked.");
                }
                return true;
            default:
                if (!key.isPresent()) {
                    log.info("Signatures not verified: " + key.variable() + " is " + (key.isSet() ? "empty" : "not set")
                            + " (signing=auto)");
                    return false;
                }
                return true;
        }
    }

    private Outcome check(
            ModelTree tree, ModelTree.Artifact artifact, ArtifactHasher hasher, boolean inSample, Progress progress)
            throws SidecarException {
        long start = System.nanoTime();
        List<Finding> findings = new ArrayList<>();
        String subject = artifact.relative();
        String sidecarName = artifact.sidecarRelative(tree.root());
        ModelId model = null;
        boolean verified = false;
        if (artifact.sidecarState() == ModelTree.SidecarState.MISSING) {
            findings.add(Finding.error("sidecars.sidecar-missing", subject, "has no sidecar " + sidecarName)
                    .withHint("Write the sidecar (the model service does, or mvn migration-safety:sign once it has a"
                            + " feature_list), or exclude the artifact with <excludes>."));
        } else if (artifact.sidecarState() == ModelTree.SidecarState.PRESENT) {
            SidecarFile sidecar;
            try {
                sidecar = SidecarFile.read(tree, artifact.sidecar(), subject, sidecarName, findings);
            } catch (IOException e) {
                throw unreadable("sidecar", sidecarName, artifact.sidecar().toString(), e);
            }
            if (sidecar != null) {
                model = sidecar.modelId(subject, sidecarName, findings);
                checkFeatureList(sidecar, subject, sidecarName, findings);
                verified = checkSignature(
                        tree, sidecar, artifact, hasher, inSample, subject, sidecarName, findings, progress);
            }
        }
        List<Finding> errors =
                findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
        Duration time = Duration.ofNanos(System.nanoTime() - start);
        Check check = errors.isEmpty() && artifact.sidecarState() != ModelTree.SidecarState.REFUSED
                ? Check.passed("artifacts", subject, time)
                : Check.failed(
                        "artifacts",
                        subject,
                        time,
                        errors.isEmpty()
                                ? "sidecar " + sidecarName + " is a symbolic link that was refused"
                                : errors.stream().map(Finding::describe).collect(Collectors.joining("\n")));
        return new Outcome(findings, check, model, sidecarName, verified);
    }

    private static void checkFeatureList(
            SidecarFile sidecar, String subject, String sidecarName, List<Finding> findings) {
        List<String> features = sidecar.featureList(subject, sidecarName, findings);
        String stored = sidecar.hexField(SidecarFile.CHECKSUM, subject, sidecarName, findings, true);
        if (features == null || stored == null) {
            return;
        }
        String actual = PythonJson.checksum(features);
        if (!actual.equals(stored)) {
            findings.add(Finding.error(
                            "sidecars.checksum-mismatch",
                            subject,
                            "feature_list_checksum in " + sidecarName + " does not match its feature_list: "
                                    + ChecksumDiagnosis.explain(features, stored))
                    .withExpectation(actual, stored)
                    .withHint("If feature_list is right, recompute the checksum (mvn migration-safety:sign); otherwise"
                            + " restore the feature list the model was trained with.")
                    .at(sidecar.file().toString(), 0));
        }
    }

    /** Returns whether the artifact's signature was computed and compared. */
    private boolean checkSignature(
            ModelTree tree,
            SidecarFile sidecar,
            ModelTree.Artifact artifact,
            ArtifactHasher hasher,
            boolean inSample,
            String subject,
            String sidecarName,
            List<Finding> findings,
            Progress progress)
            throws SidecarException {
        if (hasher == null) { // signing=off, or auto without a key: signaturesVerifiable already said so
            return false;
        }
        SigningKey key = config.key();
        if (!sidecar.has(SidecarFile.SIGNATURE)) {
            Finding missing = config.signing() == SigningMode.REQUIRED
                    ? Finding.error(
                            "sidecars.signature-missing",
                            subject,
                            "sidecar " + sidecarName + " has no artifact_sig but signing=required")
                    : Finding.warning(
                            "sidecars.signature-missing",
                            subject,
                            "sidecar " + sidecarName + " has no artifact_sig; the artifact is not signed");
            findings.add(missing.withHint(
                    "Sign the artifact with the key in " + key.variable() + " (mvn migration-safety:sign)."));
            return false;
        }
        String stored = sidecar.hexField(SidecarFile.SIGNATURE, subject, sidecarName, findings, false);
        if (stored == null || !inSample) {
            return false;
        }
        byte[] actual;
        try {
            actual = hasher.hmac(tree.realPathInside(artifact.file()), progress);
        } catch (IOException e) {
            throw unreadable("artifact", subject, artifact.file().toString(), e);
        }
        // Constant time, so response timing cannot be used to guess a valid signature byte by byte.
        if (!MessageDigest.isEqual(actual, HexFormat.of().parseHex(stored))) {
            // The computed HMAC is deliberately not shown: printing it would hand out a valid signature for
            // whatever bytes the artifact now holds.
            findings.add(Finding.error(
                            "sidecars.signature-mismatch",
                            subject,
                            "artifact_sig in " + sidecarName
                                    + " does not verify: the artifact's bytes changed since it was signed, the signature was edited,"
                                    + " or " + key.variable() + " holds a different key")
                    .withHint("Restore the artifact that was signed, or re-sign it with mvn migration-safety:sign if"
                            + " the new bytes are trusted."));
        }
        return true;
    }

    static SidecarException unreadable(String what, String name, String path, IOException e) {
        String reason = e instanceof AccessDeniedException ? "permission denied" : e.toString();
        return new SidecarException(
                "Cannot read " + what + " " + name + " (" + path + "): " + reason
                        + ". Make it readable by the user running Maven, or exclude it with <excludes>.",
                e);
    }
}
