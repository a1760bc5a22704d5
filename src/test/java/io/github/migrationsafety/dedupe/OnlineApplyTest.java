package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.backup.RestoreEngine;
import io.github.migrationsafety.backup.RestoreResult;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.Await;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.H2Database;
import io.github.migrationsafety.testsupport.OnlineDrillTable;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online apply ({@code batchSize}) on real PostgreSQL: batches, the journal, resume, references, restore. */
class OnlineApplyTest {

    @TempDir
    Path dir;

    private DedupeConfig config() {
        return DedupeConfig.defaults(
                        "model_metadata", List.of("name", "version"), dir.resolve("report.csv"), dir.resolve("backups"))
                .withApply(true);
    }

    private DedupeResult apply(ConnectionSettings settings, DedupeConfig config, int batchSize, CapturingLog log)
            throws Exception {
        try (Connection connection = Databases.open(settings)) {
            return new DedupeEngine(connection, log).run(config, new OnlineOptions(batchSize, true));
        }
    }

    private RestoreResult restore(ConnectionSettings settings, Path backup) throws Exception {
        try (Connection connection = Databases.open(settings)) {
            return new RestoreEngine(connection, new CapturingLog()).restore(backup);
        }
    }

    @Test
    void deletesInBatchesAndRestoreGivesBackTheOriginalRows() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("online");
        long expected = OnlineDrillTable.create(settings, 5_000, 10);
        String original = OnlineDrillTable.digest(settings, "original");
        CapturingLog log = new CapturingLog();

        DedupeResult result = apply(settings, config(), 120, log);

        assertTrue(result.applied());
        assertEquals(expected, result.deleted());
        assertEquals(expected, result.rowsToDelete());
        assertEquals(
                0,
                OnlineDrillTable.count(
                        settings, "SELECT COUNT(*) - COUNT(DISTINCT (name, version)) FROM model_metadata"));
        OnlineDrillTable.keptRowsPresent(settings, "after the online apply");
        OnlineRun online = result.online();
        assertEquals((expected + 119) / 120, online.batches());
        assertEquals(0, online.finalPassDeleted());
        assertNull(online.resumedFrom());
        BackupManifest manifest = BackupManifest.read(result.backup());
        assertEquals(BackupManifest.Status.COMPLETE, manifest.status());
        assertEquals(expected, manifest.rowCount());
        assertTrue(
                log.text()
                        .contains("dedupe: deleted " + expected + " rows from public.model_metadata in "
                                + online.batches() + " batches of up to 120 (0 of them in the final pass"),
                log.text());
        assertTrue(Files.isRegularFile(result.backup().resolve("plan-1.csv")));
        assertTrue(Files.notExists(result.backup().resolve("batch-rows.csv")));
        OnlineDrillTable.nothingLost(settings, List.of(result.backup()), "after the online apply");

        assertEquals(expected, restore(settings, result.backup()).restored());
        assertEquals(original, OnlineDrillTable.digest(settings, "model_metadata"));
        assertEquals(expected, restore(settings, result.backup()).skipped());
        assertEquals(original, OnlineDrillTable.digest(settings, "model_metadata"));
    }

    @Test
    void theBackupIsByteForByteWhatTheOneTransactionApplyWrites() throws Exception {
        ConnectionSettings online = PostgresServer.freshDatabase("online_bytes");
        ConnectionSettings single = PostgresServer.freshDatabase("single_bytes");
        OnlineDrillTable.create(online, 2_000, 5);
        OnlineDrillTable.create(single, 2_000, 5);
        DedupeResult batched = apply(online, config(), 7, new CapturingLog());
        DedupeResult oneTransaction;
        try (Connection connection = Databases.open(single)) {
            oneTransaction =
                    new DedupeEngine(connection, new CapturingLog()).run(config().withWhere(null), OnlineOptions.off());
        }
        List<String> a = Files.readAllLines(batched.backup().resolve("rows.csv"));
        List<String> b = Files.readAllLines(oneTransaction.backup().resolve("rows.csv"));
        assertEquals(b.get(0), a.get(0), "same header");
        assertEquals(
                b.stream().skip(1).sorted().toList(),
                a.stream().skip(1).sorted().toList(),
                "same rows, same text");
        assertEquals(Files.readAllLines(dir.resolve("report.csv")).size(), b.size() + 400, "report: kept rows too");
    }

    /**
     * The final pass ranks without the near-duplicate test; the search after the run uses the first ranking's marks,
     * so the online apply warns about the near duplicates the one-transaction apply warns about.
     */
    @Test
    void findsTheNearDuplicatesTheOneTransactionApplyFinds() throws Exception {
        ConnectionSettings online = PostgresServer.freshDatabase("online_near");
        ConnectionSettings single = PostgresServer.freshDatabase("single_near");
        for (ConnectionSettings settings : List.of(online, single)) {
            OnlineDrillTable.create(settings, 2_000, 5);
            // statistics that sample no near duplicate: the semi-join ranking, which tests the rows, is chosen
            Sql.run(
                    settings,
                    "ANALYZE model_metadata",
                    "INSERT INTO model_metadata(id, name, version) VALUES (1000001, 'Model-1', 'v1'),"
                            + " (1000002, ' model-2', 'v2')");
        }
        CapturingLog log = new CapturingLog();
        DedupeResult batched = apply(online, config().withWhere(null), 50, log);
        DedupeResult oneTransaction;
        try (Connection connection = Databases.open(single)) {
            oneTransaction =
                    new DedupeEngine(connection, new CapturingLog()).run(config().withWhere(null), OnlineOptions.off());
        }
        assertTrue(log.text().contains("dedupe: ranking by a semi-join"), log.text());
        assertEquals(2, batched.findings().size(), batched.findings().toString());
        assertEquals(
                oneTransaction.findings().stream().map(Finding::describe).toList(),
                batched.findings().stream().map(Finding::describe).toList());
        assertEquals(oneTransaction.deleted(), batched.deleted());
    }

    @Test
    void aBackendKilledMidBatchIsResumedByTheNextRun() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("online_kill");
        long expected = OnlineDrillTable.create(settings, 20_000, 10);
        String original = OnlineDrillTable.digest(settings, "original");
        String database = settings.url().substring(settings.url().lastIndexOf('/') + 1);
        // the third batch's DELETE sleeps until its backend is killed: the kill lands mid-batch, after two batches
        // committed, however fast or slow this machine runs the batches
        Sql.run(
                settings,
                "CREATE SEQUENCE batch_deletes",
                "CREATE FUNCTION third_delete_sleeps() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF nextval('batch_deletes') = 3 THEN PERFORM pg_sleep(60); END IF; RETURN NULL; END $$",
                "CREATE TRIGGER third_delete_sleeps BEFORE DELETE ON model_metadata FOR EACH STATEMENT"
                        + " EXECUTE FUNCTION third_delete_sleeps()");
        AtomicBoolean killed = new AtomicBoolean();
        Thread killer = new Thread(() -> {
            try {
                killed.set(Await.within(() -> {
                    List<String> pids = Sql.rows(
                            settings,
                            "SELECT pid FROM pg_stat_activity WHERE datname = '" + database
                                    + "' AND query LIKE 'COPY (DELETE%' AND wait_event = 'PgSleep'");
                    return !pids.isEmpty()
                            && Sql.rows(settings, "SELECT pg_terminate_backend(" + pids.get(0) + ")")
                                    .equals(List.of("true"));
                }));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();
        assertThrows(DatabaseException.class, () -> apply(settings, config(), 100, new CapturingLog()));
        killer.join();
        assertTrue(killed.get(), "the backend was killed mid-batch");
        Sql.run(settings, "DROP TRIGGER third_delete_sleeps ON model_metadata");
        assertEquals(
                200,
                OnlineDrillTable.count(settings, "SELECT COUNT(*) FROM original")
                        - OnlineDrillTable.count(settings, "SELECT COUNT(*) FROM model_metadata"),
                "two batches of 100 committed before the kill");
        List<Path> backups = OnlineDrillTable.backups(dir.resolve("backups"));
        assertEquals(1, backups.size());
        assertEquals(
                BackupManifest.Status.IN_PROGRESS,
                BackupManifest.read(backups.get(0)).status());
        OnlineDrillTable.keptRowsPresent(settings, "after the kill");

        CapturingLog log = new CapturingLog();
        DedupeResult resumed = apply(settings, config(), 0, log);

        assertTrue(
                log.text()
                        .contains("dedupe: resuming the unfinished online dedupe of public.model_metadata in "
                                + backups.get(0)),
                log.text());
        assertEquals(backups.get(0).toString(), resumed.online().resumedFrom());
        assertEquals(expected, resumed.deleted());
        OnlineDrillTable.nothingLost(settings, backups, "after the resume");
        assertEquals(
                0,
                OnlineDrillTable.count(
                        settings, "SELECT COUNT(*) - COUNT(DISTINCT (name, version)) FROM model_metadata"));
        restore(settings, backups.get(0));
        assertEquals(original, OnlineDrillTable.digest(settings, "model_metadata"));
    }

    @Test
    void referencesAreRepointedPerBatchOrStopTheRunBeforeAnyDelete() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("online_refs");
        long expected = OnlineDrillTable.create(settings, 1_000, 4);
        String original = OnlineDrillTable.digest(settings, "original");
        Sql.run(
                settings,
                "CREATE TABLE usage(id bigint PRIMARY KEY, model_id bigint REFERENCES model_metadata(id))",
                "INSERT INTO usage SELECT g, g FROM generate_series(1, 1000) g");
        String usage = String.join(",", Sql.rows(settings, "SELECT model_id FROM usage ORDER BY id"));

        DedupeResult refused = apply(settings, config(), 50, new CapturingLog());
        assertEquals(false, refused.applied());
        assertEquals("dedupe.referenced", refused.findings().get(0).rule());
        assertEquals(original, OnlineDrillTable.digest(settings, "model_metadata"));
        assertEquals(List.of(), OnlineDrillTable.backups(dir.resolve("backups")));

        DedupeResult repointed =
                apply(settings, config().withOnReferences(OnReferences.REPOINT), 50, new CapturingLog());
        assertEquals(expected, repointed.deleted());
        assertEquals(expected, repointed.repointed());
        assertEquals(
                0,
                OnlineDrillTable.count(
                        settings,
                        "SELECT COUNT(*) FROM usage u JOIN original o ON o.id = u.model_id JOIN model_metadata m"
                                + " ON m.id = u.model_id WHERE (m.name, m.version) <> (o.name, o.version)"));
        restore(settings, repointed.backup());
        assertEquals(original, OnlineDrillTable.digest(settings, "model_metadata"));
        assertEquals(usage, String.join(",", Sql.rows(settings, "SELECT model_id FROM usage ORDER BY id")));
    }

    @Test
    void batchSizeNeedsPostgres() throws Exception {
        ConnectionSettings h2 = H2Database.fresh("online");
        Sql.run(h2, "CREATE TABLE model_metadata(id bigint PRIMARY KEY, name varchar(20), version varchar(20))");
        DatabaseException e = assertThrows(DatabaseException.class, () -> apply(h2, config(), 10, new CapturingLog()));
        assertEquals(
                "Parameter 'batchSize' (10) needs PostgreSQL: online apply relies on its row locks, lock_timeout and"
                        + " txid_status. On h2 leave 'batchSize' out to delete in one transaction.",
                e.getMessage());
    }
}
