package io.github.migrationsafety.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The online journal in manifest.json: written and read back whole; absent for every other backup. */
class OnlineStateTest {

    @TempDir
    Path dir;

    @Test
    void theJournalRoundTripsThroughTheManifest() throws Exception {
        OnlineState.Batch pending =
                new OnlineState.Batch(9_000_000_123L, 20, 30, "batch-rows.csv", 9, "ab", null, 0, null);
        OnlineState state = OnlineState.start(10)
                .planned("plan-1.csv", 95, "cd")
                .withLengths(1234, 0)
                .withPending(pending);
        OnlineState committed =
                state.committed(new OnlineState.Mark(9_000_000_123L, 20, 2, 0, 18, 1000, 0, 0), 1300, 0);
        assertEquals(30, committed.planDone());
        assertEquals(1, committed.batches());
        assertEquals(1, committed.skipped(), "10 pairs, 9 rows deleted");
        assertNull(committed.pending());
        BackupManifest manifest = BackupManifest.builder()
                .format(BackupManifest.FORMAT_COPY)
                .status(BackupManifest.Status.IN_PROGRESS)
                .columns(List.of(new BackupManifest.Column("id", -5, "int8")))
                .online(state)
                .build();
        manifest.write(dir);
        assertEquals(manifest, BackupManifest.read(dir));
        assertTrue(OnlineJournal.unfinished(dir));
        assertTrue(Files.readString(dir.resolve(BackupManifest.FILE)).contains("in-progress"));

        OnlineState rolledBack = committed.rolledBackTo(committed.recent().get(0));
        assertEquals(20, rolledBack.planDone());
        assertEquals(1000, rolledBack.dataBytes());
        assertEquals(List.of(), rolledBack.recent());
    }

    @Test
    void otherBackupsHaveNoOnlineKeyAndAreNotUnfinished() throws Exception {
        BackupManifest manifest = BackupManifest.builder()
                .format(BackupManifest.FORMAT)
                .status(BackupManifest.Status.PENDING)
                .build();
        manifest.write(dir);
        assertFalse(Files.readString(dir.resolve(BackupManifest.FILE)).contains("online"));
        assertNull(BackupManifest.read(dir).online());
        assertFalse(OnlineJournal.unfinished(dir));
    }
}
