package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.changelog.LiquibaseSession;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.impact.ImpactEstimate;
import io.github.migrationsafety.impact.LockMode;
import io.github.migrationsafety.impact.StallProbe;
import io.github.migrationsafety.impact.TableImpact;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
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
        fixture.impact = new ImpactSettings(true, Map.of("MODEL_METADATA", 2_000_000L), 20_000, 80_000, 0.001);
        SmokeResult result = fixture.run();

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> impacts =
                (List<Map<String, Object>>) result.summary().get("impact");
        Map<String, Object> index = estimate(impacts, "index-name::bob");
        Map<String, Object> unique = estimate(impacts, "unique-name-version::bob");
        for (Map<String, Object> e : List.of(index, unique)) {
            assertEquals(2_000_000L, e.get("productionRows"));
            List<?> measured = (List<?>) e.get("measured");
            // not "large > small": at these sizes a busy machine can make the smaller sample the slower one; the
            // estimate is never below the larger sample's measured time, whatever the two measured
            long large = ((Number) ((Map<?, ?>) measured.get(1)).get("heldMillis")).longValue();
            assertTrue(((Number) e.get("estimatedMillis")).longValue() >= large, () -> String.valueOf(e));
        }
        // what the probe sees for each lock mode is StallProbeTest's, with a lock held 2 s; here the locks are held
        // for milliseconds to tens of them, where one scheduling delay decides whether a client's statement overlaps
        // (seen once even at 240,000 rows: no write stall for a 184 ms ShareLock): the report carries both stalls
        for (Map<String, Object> e : List.of(index, unique)) {
            assertTrue(
                    stall(e, "longestWriteStallMillis") >= 0 && stall(e, "longestReadStallMillis") >= 0, e::toString);
        }

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
                blocking.get(1).message().endsWith("at 80,000 rows), above maxBlockingSeconds=0.001"),
                blocking.get(1).message());
        // far above the limit from the first samples on, whatever this machine's speed: no error of 2-3x brings
        // either estimate under it, so the samples are not grown
        for (String changeset : List.of("index-name::bob", "unique-name-version::bob")) {
            Map<String, Object> e = estimate(impacts, changeset);
            assertEquals(List.of(20_000L, 80_000L), List.of(rowsOf(e, 0), rowsOf(e, 1)), e::toString);
            String line = fixture.log.lines().stream()
                    .filter(l -> l.startsWith("[INFO] Impact of " + M + "::" + changeset + " on model_metadata: "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(fixture.log.text()));
            assertEquals(
                    heldOf(e, 1) < ImpactEstimator.LONG_ENOUGH_MILLIS,
                    line.endsWith("; not grown further: the estimate is above four times maxBlockingSeconds=0.001"),
                    line);
        }
        assertTrue(!result.passed());
    }

    private static final String TWO_CHANGESETS = """
            databaseChangeLog:
              - changeSet:
                  id: tables
                  author: alice
                  changes:
                    - createTable:
                        tableName: model_metadata
                        columns:
                          - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                          - column: {name: name, type: VARCHAR(100), constraints: {nullable: false}}
                          - column: {name: version, type: VARCHAR(20), constraints: {nullable: false}}
              - changeSet:
                  id: unique-name-version
                  author: bob
                  changes:
                    - addUniqueConstraint: {tableName: model_metadata, columnNames: "name, version", constraintName: uq_name_version}
            """;

    /**
     * {@link #TWO_CHANGESETS} with a second changeset outside a transaction that holds its ACCESS SHARE lock 0.3 s
     * whatever the rows (the empty table of a traced run too), so the lock watcher sees it however fast this machine.
     */
    private static final String SECOND_OUTSIDE_A_TRANSACTION = TWO_CHANGESETS.replace("""
                  changes:
                    - addUniqueConstraint: {tableName: model_metadata, columnNames: "name, version", constraintName: uq_name_version}
            """, """
                  runInTransaction: false
                  changes:
                    - sql: SELECT pg_sleep(0.3) FROM (SELECT count(*) FROM model_metadata) c
            """);

    /**
     * The estimate of the unique constraint's lock, by an estimator whose growth threshold is {@code longEnoughMillis}:
     * the trace's result for the second changeset is given, the samples are measured on the real server.
     */
    private ImpactEstimate estimateUnique(long productionRows, long longEnoughMillis, SmokeFixture fixture)
            throws Exception {
        return estimateSecond(TWO_CHANGESETS, LockMode.ACCESS_EXCLUSIVE, productionRows, longEnoughMillis, fixture);
    }

    private ImpactEstimate estimateSecond(
            String changelog, LockMode mode, long productionRows, long longEnoughMillis, SmokeFixture fixture)
            throws Exception {
        return estimateSecond(changelog, mode, productionRows, longEnoughMillis, null, "", Map.of(), fixture);
    }

    /**
     * The estimate of the second changeset's lock, of {@code mode}, on model_metadata (id unique-name-version::bob in
     * {@code changelog}).
     */
    private ImpactEstimate estimateSecond(
            String changelog,
            LockMode mode,
            long productionRows,
            long longEnoughMillis,
            Double maxBlockingSeconds,
            String lineEnd,
            Map<String, Long> otherTables,
            SmokeFixture fixture)
            throws Exception {
        fixture.master(changelog);
        Map<String, Long> sizes = new HashMap<>(otherTables);
        sizes.put("model_metadata", productionRows);
        fixture.impact = new ImpactSettings(true, sizes, 1_000, 4_000, maxBlockingSeconds);
        SmokeConfig config = fixture.config();
        ConnectionSettings settings = PostgresServer.freshDatabase("estimate_growth");
        TrackingResourceAccessor accessor = new TrackingResourceAccessor(fixture.resources);
        TableImpact traced = new TableImpact(M + "::unique-name-version::bob", "model_metadata", mode, 0, false, true);
        try (Connection connection = Databases.open(settings)) {
            StallProbe.Connector connector = () -> {
                try {
                    return Databases.open(settings);
                } catch (DatabaseException e) {
                    throw new SQLException(e.getMessage(), e);
                }
            };
            List<ImpactEstimate> estimates = LiquibaseSession.run(
                    fixture.log,
                    accessor,
                    getClass().getClassLoader(),
                    () -> new ImpactEstimator(
                                    config.impact(),
                                    Production.of(config.impact())::rowsOf,
                                    new LiquibaseEstimateSteps(
                                            config,
                                            accessor,
                                            connector,
                                            List.of(M + "::tables::alice", traced.changeset()),
                                            Map.of()),
                                    fixture.log,
                                    connection,
                                    connector,
                                    longEnoughMillis)
                            .estimate(List.of(traced)));
            assertEquals(1, estimates.size(), () -> fixture.log.text());
            ImpactEstimate estimate = estimates.get(0);
            assertEquals(
                    "[INFO] Impact of " + M + "::unique-name-version::bob on model_metadata: " + mode.pgName()
                            + " held "
                            + estimate.smallMillis() + " ms at " + estimate.smallRows() + " rows, "
                            + estimate.largeMillis() + " ms at " + estimate.largeRows() + " rows; estimated "
                            + estimate.estimatedMillis() + " ms at " + productionRows + " rows; longest probe read "
                            + estimate.readStallMillis() + " ms, write " + estimate.writeStallMillis() + " ms"
                            + lineEnd,
                    fixture.log.lines().stream()
                            .filter(l -> l.startsWith("[INFO] Impact of "))
                            .findFirst()
                            .orElse(fixture.log.text()));
            return estimate;
        }
    }

    @Test
    void samplesThatHoldTheLockLongEnoughAreKept() throws Exception {
        // a threshold of 0 ms: every lock is held long enough, however fast this machine
        ImpactEstimate e = estimateUnique(1_000_000, 0, new SmokeFixture(dir));
        assertEquals(List.of(1_000L, 4_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
        assertEquals(
                ImpactEstimate.extrapolate(e.smallRows(), e.smallMillis(), e.largeRows(), e.largeMillis(), 1_000_000),
                e.estimatedMillis(),
                e::toString);
        assertTrue(e.estimatedMillis() >= e.largeMillis(), e::toString);
    }

    @Test
    void samplesThatHoldTheLockBrieflyGrowFourfoldAtMostTwice() throws Exception {
        // no lock is held long enough, however slow this machine: 1,000 and 4,000 rows grow to 4,000 and 16,000,
        // then to 16,000 and 64,000, and stop there (MAX_GROWTH)
        ImpactEstimate e = estimateUnique(1_000_000, Long.MAX_VALUE, new SmokeFixture(dir));
        assertEquals(2, ImpactEstimator.MAX_GROWTH);
        assertEquals(List.of(16_000L, 64_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
        assertEquals(
                ImpactEstimate.extrapolate(e.smallRows(), e.smallMillis(), e.largeRows(), e.largeMillis(), 1_000_000),
                e.estimatedMillis(),
                e::toString);
    }

    @Test
    void aChangesetInATransactionIsMeasuredOnOneSampleThatGrowsAndEachRunIsRolledBack() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir);
        ImpactEstimate e = estimateUnique(1_000_000, Long.MAX_VALUE, fixture);
        assertEquals(List.of(16_000L, 64_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
        // one schema for the four sizes and their repeats: each size adds rows to the one before
        assertEquals(
                1,
                debugLines(fixture, ": a fresh schema with the changesets before it ")
                        .size(),
                fixture.log::text);
        List<String> runs = debugLines(fixture, " rows: fill and vacuum analyze ");
        assertTrue(runs.size() >= 4, fixture.log::text);
        assertTrue(runs.stream().allMatch(l -> l.endsWith(" ms (rolled back)")), fixture.log::text);
        assertTrue(
                runs.stream().anyMatch(l -> l.contains(" at 64,000 rows: ") && l.contains("(from 16,000 rows)")),
                fixture.log::text);
    }

    @Test
    void aChangesetOutsideATransactionIsMeasuredOnAFreshSampleEachRun() throws Exception {
        // a statement that holds its lock 0.3 s, so the lock watcher sees it however fast this machine builds things
        SmokeFixture fixture = new SmokeFixture(dir);
        ImpactEstimate e = estimateSecond(SECOND_OUTSIDE_A_TRANSACTION, LockMode.ACCESS_SHARE, 1_000_000, 0, fixture);
        assertEquals(List.of(1_000L, 4_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
        List<String> runs = debugLines(fixture, " rows: fill and vacuum analyze ");
        assertTrue(runs.size() >= 2, fixture.log::text);
        assertTrue(
                runs.stream().allMatch(l -> l.contains("(from 0 rows)") && l.endsWith(" ms (committed)")),
                fixture.log::text);
        assertEquals(
                runs.size(),
                debugLines(fixture, ": a fresh schema with the changesets before it ")
                        .size(),
                fixture.log::text);
    }

    @Test
    void throughTheSmokeTheTracedRunTellsWhetherAChangesetRunsInATransaction() throws Exception {
        // the estimate takes runInTransaction from the traced run's trace: a changeset outside a transaction commits
        // each statement, so every sample is filled afresh and none is rolled back
        SmokeFixture fixture = new SmokeFixture(dir).master(SECOND_OUTSIDE_A_TRANSACTION);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("estimate_traced"));
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.impact = new ImpactSettings(true, Map.of("MODEL_METADATA", 16_000L), 1_000, 4_000, null, null);
        fixture.run();

        List<String> runs = debugLines(fixture, " rows: fill and vacuum analyze ");
        assertTrue(runs.size() >= 2, fixture.log::text);
        assertTrue(runs.stream().allMatch(l -> l.endsWith(" ms (committed)")), fixture.log::text);
    }

    @Test
    void aChangesetThatCommitsByItselfSpendsItsSampleAndTheNextRunStartsAfresh() throws Exception {
        SmokeFixture fixture = new SmokeFixture(dir);
        ImpactEstimate e =
                estimateSecond(TWO_CHANGESETS.replace("""
                                - addUniqueConstraint: {tableName: model_metadata, columnNames: "name, version", constraintName: uq_name_version}
                        """, """
                                - sql: ALTER TABLE model_metadata ADD CONSTRAINT uq_name_version UNIQUE (name, version); COMMIT; LOCK TABLE model_metadata IN ACCESS EXCLUSIVE MODE
                        """), LockMode.ACCESS_EXCLUSIVE, 1_000_000, 0, fixture);
        assertEquals(List.of(1_000L, 4_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
        assertEquals(
                1,
                debugLines(fixture, ": its rollback did not undo it, the next run starts from a fresh schema")
                        .size(),
                fixture.log::text);
        // the run whose rollback left the constraint behind is measured again on a fresh sample, as is every run after
        List<String> runs = debugLines(fixture, " rows: fill and vacuum analyze ");
        assertTrue(runs.get(0).endsWith(" ms (rolled back)"), fixture.log::text);
        assertTrue(
                runs.subList(1, runs.size()).stream().allMatch(l -> l.endsWith(" ms (committed)")), fixture.log::text);
    }

    @Test
    void withALimitSamplesStopGrowingOnceTheEstimateIsFarBelowIt() throws Exception {
        // no lock is held long enough, however fast this machine, but no 4,000-row estimate reaches a quarter of 10^9 s
        ImpactEstimate e = estimateSecond(
                TWO_CHANGESETS,
                LockMode.ACCESS_EXCLUSIVE,
                1_000_000,
                Long.MAX_VALUE,
                1e9,
                "; from samples that held it under " + Long.MAX_VALUE + " ms, which can be off 2-3x; not grown"
                        + " further: the estimate is below a quarter of maxBlockingSeconds=1.0E9",
                Map.of(),
                new SmokeFixture(dir));
        assertEquals(List.of(1_000L, 4_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
    }

    @Test
    void withALimitSamplesStopGrowingOnceTheEstimateIsFarAboveIt() throws Exception {
        // no lock is held long enough, however fast this machine, but every estimate of a unique constraint's build at
        // 1,000,000 rows is above four times a microsecond: an error of 2-3x cannot bring it under the limit
        ImpactEstimate e = estimateSecond(
                TWO_CHANGESETS,
                LockMode.ACCESS_EXCLUSIVE,
                1_000_000,
                Long.MAX_VALUE,
                1e-6,
                "; from samples that held it under " + Long.MAX_VALUE + " ms, which can be off 2-3x; not grown"
                        + " further: the estimate is above four times maxBlockingSeconds=1.0E-6",
                Map.of(),
                new SmokeFixture(dir));
        assertEquals(List.of(1_000L, 4_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
    }

    @Test
    void withALimitALockThatBlocksNoWritesIsNotGrown() throws Exception {
        ImpactEstimate e = estimateSecond(
                SECOND_OUTSIDE_A_TRANSACTION,
                LockMode.ACCESS_SHARE,
                1_000_000,
                Long.MAX_VALUE,
                0.001,
                "; from samples that held it under " + Long.MAX_VALUE + " ms, which can be off 2-3x; not grown"
                        + " further: maxBlockingSeconds does not apply to a lock that blocks no writes",
                Map.of(),
                new SmokeFixture(dir));
        assertEquals(List.of(1_000L, 4_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
    }

    @Test
    void aTableSmallerThanTheSamplesIsMeasuredAtItsOwnSize() throws Exception {
        ImpactEstimate e = estimateUnique(2_000, Long.MAX_VALUE, new SmokeFixture(dir));
        assertEquals(List.of(500L, 2_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
        assertEquals(e.largeMillis(), e.estimatedMillis(), e::toString);
    }

    @Test
    void aForeignKeysParentIsFilledToItsProductionSizeAndTheReferencesPointAtItsRows() throws Exception {
        // the parent is found by what the changeset did (the catalog's new foreign key), so a change type and its
        // <sql> twin fill it alike
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
                              - column: {name: owner_id, type: BIGINT}
                        - createTable:
                            tableName: model_artifact
                            columns:
                              - column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}
                              - column: {name: owner_id, type: BIGINT}
                  - changeSet:
                      id: fk-change
                      author: bob
                      changes:
                        - addForeignKeyConstraint: {baseTableName: model_metadata, baseColumnNames: owner_id, constraintName: fk_owner, referencedTableName: owner, referencedColumnNames: id}
                  - changeSet:
                      id: fk-sql
                      author: bob
                      changes:
                        - sql: {sql: "ALTER TABLE model_artifact ADD CONSTRAINT fk_artifact_owner FOREIGN KEY (owner_id) REFERENCES owner (id)"}
                """);
        fixture.postgres = new PostgresTarget(false, PostgresServer.freshDatabase("estimate_parent"));
        fixture.rollbackMode = RollbackMode.OFF;
        fixture.impact = new ImpactSettings(
                true,
                Map.of("MODEL_METADATA", 1_000_000L, "MODEL_ARTIFACT", 1_000_000L, "OWNER", 10L),
                1_000,
                4_000,
                1e9); // far above any estimate here: the samples are not grown, the parent is what is looked at
        SmokeResult result = fixture.run();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> impacts =
                (List<Map<String, Object>>) result.summary().get("impact");
        for (String changeset : List.of("fk-change::bob", "fk-sql::bob")) {
            assertTrue(
                    impacts.stream()
                            .anyMatch(i -> i.get("changeset").equals(M + "::" + changeset)
                                    && i.get("productionEstimate") != null),
                    () -> changeset + ": " + impacts);
            // every sample of the child (1,000 rows or more; owner's own lock is estimated at 2 and 10) was filled
            // beside an owner of production's 10 rows, and the validation of the foreign key passed, so every
            // owner_id points at one of them
            List<String> fills = debugLines(fixture, " rows: fill and vacuum analyze ").stream()
                    .filter(l -> l.matches(".*::" + changeset + " at \\d{1,3}(,\\d{3})+ rows: .*"))
                    .toList();
            assertTrue(!fills.isEmpty(), fixture.log::text);
            assertTrue(fills.stream().allMatch(l -> l.contains("; parents owner 10)")), fixture.log::text);
        }
    }

    private static List<String> debugLines(SmokeFixture fixture, String part) {
        return fixture.log.lines().stream()
                .filter(l -> l.startsWith("[DEBUG] Estimate of ") && l.contains(part))
                .toList();
    }

    @Test
    void samplesNeverGrowPastTheProductionSize() throws Exception {
        // 4,000 rows grow to 16,000, production's size, and no further: the larger sample is production itself
        ImpactEstimate e = estimateUnique(16_000, Long.MAX_VALUE, new SmokeFixture(dir));
        assertEquals(List.of(4_000L, 16_000L), List.of(e.smallRows(), e.largeRows()), e::toString);
        assertEquals(e.largeMillis(), e.estimatedMillis(), e::toString);
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

    private static long rowsOf(Map<String, Object> estimate, int sample) {
        return ((Number) ((Map<?, ?>) ((List<?>) estimate.get("measured")).get(sample)).get("rows")).longValue();
    }

    private static long heldOf(Map<String, Object> estimate, int sample) {
        return ((Number) ((Map<?, ?>) ((List<?>) estimate.get("measured")).get(sample)).get("heldMillis")).longValue();
    }

    private static long stall(Map<String, Object> estimate, String key) {
        return ((Number) estimate.get(key)).longValue();
    }
}
