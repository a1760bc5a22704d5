package io.github.migrationsafety.backup;

import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.Finding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a restore did.
 *
 * @param table       the table restored into
 * @param restored    rows inserted
 * @param skipped     rows already present (by id)
 * @param unpointed   references set back to their recorded old value
 * @param manifest    the verified manifest
 * @param backup      the backup directory restored from
 * @param took        how long the restore took, the time of its one check
 */
public record RestoreResult(
        String table, long restored, long skipped, long unpointed, BackupManifest manifest, Path backup, Duration took)
        implements EngineResult {

    /** The backup, the table, the backup's status and the rows restored and skipped. */
    @Override
    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("backup", backup.toString());
        summary.put("table", table);
        BackupManifest.Status backupStatus = manifest.status();
        summary.put("backupStatus", backupStatus == null ? null : backupStatus.text());
        summary.put("restored", restored);
        summary.put("skipped", skipped);
        summary.put("referencesRestored", unpointed);
        return summary;
    }

    /** A restore that cannot run stops with an exception, so a result has nothing to find. */
    @Override
    public List<Finding> findings() {
        return List.of();
    }

    /** One passed check named by the table. */
    @Override
    public List<Check> checks() {
        return List.of(Check.passed("restore", table, took));
    }

    @Override
    public String headline() {
        return "restore failed";
    }
}
