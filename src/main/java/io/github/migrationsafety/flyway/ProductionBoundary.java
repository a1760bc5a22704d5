package io.github.migrationsafety.flyway;

import io.github.migrationsafety.smoke.SmokeResult;
import java.util.Set;

/**
 * What told the smoke which migrations production has run: the impact rules judge only the others.
 *
 * @param by       what the report's {@code impactJudgedBy} names: {@code url}, {@code releasedChecksums} or
 *                 {@link SmokeResult#NO_BOUNDARY}
 * @param released the keys of the migrations production has run; {@code null}: none
 * @param pending  the keys of the migrations pending in production, as its history says; {@code null}: not read
 */
record ProductionBoundary(String by, Set<String> released, Set<String> pending) {

    static final ProductionBoundary NONE = new ProductionBoundary(SmokeResult.NO_BOUNDARY, null, null);

    /** Whether something told the smoke what production has run. */
    boolean known() {
        return !SmokeResult.NO_BOUNDARY.equals(by);
    }

    /** Whether the impact rules judge the migration: production has not run it. */
    boolean judged(String key) {
        if (pending != null) {
            return pending.contains(key);
        }
        return released == null || !released.contains(key);
    }
}
