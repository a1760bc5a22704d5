package io.github.migrationsafety.sidecar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses which artifacts get their signature verified. The sample is drawn from the artifacts sorted by
 * relative path with {@link java.util.Random} and {@link Collections#shuffle(List, Random)}, both of whose
 * algorithms the Java specification fixes, so the same seed over the same tree picks the same artifacts on
 * any JVM: a failure seen in CI replays locally with {@code -Dmigration-safety.sampleSeed=<seed>}.
 */
final class SignatureSample {

    private SignatureSample() {}

    /** The chosen relative paths, sorted; all of them when {@code size} is {@code null} or not smaller. */
    static Set<String> choose(List<String> sortedArtifacts, Integer size, long seed) {
        if (size == null || size >= sortedArtifacts.size()) {
            return new TreeSet<>(sortedArtifacts);
        }
        List<String> shuffled = new ArrayList<>(sortedArtifacts);
        Collections.shuffle(shuffled, new Random(seed));
        return new TreeSet<>(shuffled.subList(0, size));
    }
}
