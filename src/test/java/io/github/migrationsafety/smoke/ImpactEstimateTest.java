package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lock-held time at production size and what a live client sees, measured on a real PostgreSQL. */
class ImpactEstimateTest {

    private static final String M = "db/changelog/db.changelog-master.yaml";

    @TempDir
    Path dir;

    @Test
    void foreignKeyValidationGrowsAsAPowerOfRowsBetweenProportionalAndQuadratic() {
        // the two quiet-machine samples of docs/goals/smoke.md: 125,000 rows 30 ms, 500,000 rows 234 ms (2M: 1625 ms)
        assertEquals(1825, ImpactEstimate.extrapolateGrowing(125_000, 30, 500_000, 234, 2_000_000));
        // no faster than proportional, whatever the noise says
        assertEquals(800, ImpactEstimate.extrapolateGrowing(100, 190, 200, 200, 800));
        // no faster growth than quadratic
        assertEquals(3200, ImpactEstimate.extrapolateGrowing(100, 1, 200, 200, 800));
        // at or below the larger sample, as the linear estimate
        assertEquals(
                ImpactEstimate.extrapolate(100, 10, 200, 30, 150),
                ImpactEstimate.extrapolateGrowing(100, 10, 200, 30, 150));
    }

    @Test
    void extrapolatesLinearlyAndNeverBelowWhatWasMeasured() {
        assertEquals(1000, ImpactEstimate.extrapolate(100, 10, 200, 20, 10_000));
        assertEquals(1010, ImpactEstimate.extrapolate(100, 20, 200, 30, 10_000));
        // noise made the larger run faster: proportional to the larger run
        assertEquals(500, ImpactEstimate.extrapolate(100, 20, 200, 10, 10_000));
        assertEquals(30, ImpactEstimate.extrapolate(100, 20, 200, 30, 50));
    }

    @Test
    void aWriteBlockingIndexStallsWritesNotReadsAndAUniqueConstraintStallsBoth() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir).master("""
                databaseChangeLog:
                  - changeSet:
                      id: tables
                      author: alice
                      changes:
                        - createTable:
                            tableName: owner
                            columns:
                              - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                        - createTable:
                            tableName: model_metadata
                            columns:
                              - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                              - column: {name: name, type: VARCHAR(100), constraints: {nullable: false}}
                              - column: {name: version, type: VARCHAR(20), constraints: {nullable: false}}
                              - column: {name: payload, type: TEXT}
                              - column: {name: owner_id, type: BIGINT, constraints: {nullable: false, foreignKeyName: fk_owner, references: owner(id)}}
                  - changeSet:
                      id: index-name
                      author: bob
                      changes:
                        - createIndex: {tableName: model_metadata, indexName: idx_name, columns: [{column: {name: name}}, {column: {name: payload}}]}
                  - changeSet:
                      id: unique-name-version
                      author: bob
                      changes:
                        - addUniqueConstraint: {tableName: model_metadata, columnNames: "name, version", constraintName: uq_name_version}
                """);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("estimate"));
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.impact = new ImpactSettings(true, Map.of("MODEL_METADATA", 2_000_000L), 60_000, 240_000, 0.001);
        SmokeResult result = fixture.run();

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> impacts =
                (List<Map<String, Object>>) result.summary().get("impact");
        Map<String, Object> index = estimate(impacts, "index-name::bob");
        Map<String, Object> unique = estimate(impacts, "unique-name-version::bob");
        for (Map<String, Object> e : List.of(index, unique)) {
            assertEquals(2_000_000L, e.get("productionRows"));
            List<?> measured = (List<?>) e.get("measured");
            long small = ((Number) ((Map<?, ?>) measured.get(0)).get("heldMillis")).longValue();
            long large = ((Number) ((Map<?, ?>) measured.get(1)).get("heldMillis")).longValue();
            assertTrue(large > small, () -> "more rows hold the lock longer: " + e);
            assertTrue(((Number) e.get("estimatedMillis")).longValue() >= large, () -> String.valueOf(e));
        }
        long indexHeld = held(index);
        long uniqueHeld = held(unique);
        // ShareLock: writes wait for the build, reads do not
        assertTrue(stall(index, "longestWriteStallMillis") >= indexHeld / 2, () -> "write stall " + index);
        assertTrue(
                stall(index, "longestReadStallMillis") < stall(index, "longestWriteStallMillis") / 2,
                () -> "reads are not blocked by ShareLock: " + index);
        // AccessExclusiveLock: both wait
        assertTrue(stall(unique, "longestWriteStallMillis") >= uniqueHeld / 2, () -> "write stall " + unique);
        assertTrue(stall(unique, "longestReadStallMillis") >= uniqueHeld / 2, () -> "read stall " + unique);

        List<Finding> blocking = result.findings().stream()
                .filter(f -> f.rule().equals(ImpactEstimator.BLOCKING))
                .toList();
        assertEquals(
                List.of(M + "::index-name::bob", M + "::unique-name-version::bob"),
                blocking.stream().map(Finding::subject).toList());
        assertTrue(
                blocking.get(1)
                        .message()
                        .startsWith("holds AccessExclusiveLock on model_metadata, which blocks"
                                + " reads and writes, for an estimated "),
                blocking.get(1).message());
        assertTrue(
                blocking.get(1).message().contains(" s at 2,000,000 rows (measured "),
                blocking.get(1).message());
        assertTrue(
                blocking.get(1).message().endsWith("at 240,000 rows), above maxBlockingSeconds=0.001"),
                blocking.get(1).message());
        assertTrue(!result.passed());
    }

    private static Map<String, Object> estimate(List<Map<String, Object>> impacts, String changeset) {
        @SuppressWarnings("unchecked")
        Map<String, Object> estimate = (Map<String, Object>) impacts.stream()
                .filter(i -> i.get("changeset").equals(M + "::" + changeset)
                        && i.get("table").equals("model_metadata"))
                .findFirst()
                .orElseThrow()
                .get("productionEstimate");
        return estimate;
    }

    private static long held(Map<String, Object> estimate) {
        return ((Number) ((Map<?, ?>) ((List<?>) estimate.get("measured")).get(1)).get("heldMillis")).longValue();
    }

    private static long stall(Map<String, Object> estimate, String key) {
        return ((Number) estimate.get(key)).longValue();
    }
}
