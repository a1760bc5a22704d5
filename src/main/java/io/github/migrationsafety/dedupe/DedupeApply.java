package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.BackupManifest;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.HashingFile;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.RowCsv;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVPrinter;

/**
 * The apply half of dedupe: one transaction that locks the table, ranks the duplicate rows into a temporary
 * table, writes and fsyncs the backup of the rows to delete, deletes them by joining the temporary table,
 * checks the count and commits. The manifest says {@code pending} from before the delete until the commit
 * is known to have happened, then {@code complete}; see {@link BackupManifest} for what each crash instant leaves.
 */
final class DedupeApply {

    private final Connection connection;
    private final EngineLog log;
    private final DedupeTarget target;
    private final DedupeConfig config;
    private final DedupeReport report;
    private final ReferenceRepointer repointer;

    DedupeApply(Connection connection, EngineLog log, DedupeTarget target, DedupeConfig config) {
        this.connection = connection;
        this.log = log;
        this.target = target;
        this.config = config;
        this.report = new DedupeReport(connection, log, target, config.reportFile());
        this.repointer = new ReferenceRepointer(connection, target, config.fetchSize());
    }

    DedupeResult run() throws SQLException, IOException, DatabaseException {
        Path backupRoot = prepareBackupRoot();
        List<Reference> references = repointer.references();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        Path backup = null;
        BackupManifest pending = null;
        boolean commitAttempted = false;
        try {
            long step = System.nanoTime();
            lock();
            log.debug("dedupe: lock took " + DedupeEngine.millis(step) + " ms");
            step = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                statement.execute(DedupeSql.createTemp(target, config));
                log.debug("dedupe: ranking into the temporary table took " + DedupeEngine.millis(step) + " ms");
                if (postgres()) {
                    step = System.nanoTime();
                    // a temporary table has no statistics until analyzed: without them the join and delete plans guess
                    statement.execute(DedupeSql.ANALYZE_TEMP);
                    log.debug("dedupe: ANALYZE of the temporary table took " + DedupeEngine.millis(step) + " ms");
                    PgCopy.canonicalText(connection);
                }
            }
            long toDelete = count(DedupeSql.COUNT_TO_DELETE);
            List<Finding> findings = new ArrayList<>();
            if (toDelete == 0) {
                DedupeEngine.Streamed streamed = streamReport(null);
                connection.rollback();
                findings.addAll(nearDuplicates());
                log.info("dedupe: no duplicates in " + target.subject() + "; nothing to delete, no backup written");
                return result(streamed, findings, null, 0, 0, false);
            }
            Map<Reference, Long> referenced = repointer.referencedCounts(references);
            if (!referenced.isEmpty() && config.onReferences() == OnReferences.FAIL) {
                findings.add(repointer.finding(referenced));
                DedupeEngine.Streamed streamed = streamReport(null);
                connection.rollback();
                findings.addAll(nearDuplicates());
                return result(streamed, findings, null, 0, 0, false);
            }
            Instant started = Instant.now();
            backup = Files.createDirectory(backupRoot.resolve(target.table().name() + "-" + DedupeEngine.timestamp(started)));
            DedupeEngine.Streamed streamed;
            String rowsHash;
            step = System.nanoTime();
            if (postgres()) {
                try (HashingFile rows = new HashingFile(backup.resolve(BackupManifest.ROWS))) {
                    rows.stream().write(RowCsv.line(target.columns().stream().map(ColumnRef::name).toList())
                            .getBytes(StandardCharsets.UTF_8));
                    streamed = copyReport(rows.stream());
                    rowsHash = rows.finish();
                }
                log.debug("dedupe: report and backup COPY, SHA-256 and fsync took " + DedupeEngine.millis(step) + " ms");
            } else {
                try (HashingFile rows = new HashingFile(backup.resolve(BackupManifest.ROWS));
                        CSVPrinter csv = RowCsv.printer(rows.writer())) {
                    csv.printRecord(target.columns().stream().map(ColumnRef::name).toList());
                    streamed = streamReport(csv);
                    csv.flush();
                    rowsHash = rows.finish();
                }
                log.debug("dedupe: report and backup took " + DedupeEngine.millis(step) + " ms");
            }
            if (streamed.deletes() != toDelete) {
                throw new SQLException("the backup holds " + streamed.deletes() + " rows but " + toDelete
                        + " were selected for deletion");
            }
            long repointRows = 0;
            String repointHash = null;
            if (!referenced.isEmpty()) {
                try (HashingFile file = new HashingFile(backup.resolve(BackupManifest.REPOINTS));
                        CSVPrinter csv = RowCsv.printer(file.writer())) {
                    csv.printRecord("schema", "table", "column", "row_id_column", "row_id", "old_value", "new_value");
                    for (Reference reference : referenced.keySet()) {
                        repointRows += logRepoints(reference, csv);
                    }
                    csv.flush();
                    repointHash = file.finish();
                }
            }
            HashingFile.forceDirectory(backup);
            pending = new BackupManifest(postgres() ? BackupManifest.FORMAT_COPY : BackupManifest.FORMAT, "dedupe", BackupManifest.PENDING,
                    target.table().display(), target.table().schema(), target.table().name(),
                    target.columns().stream().map(BackupManifest.Column::of).toList(), target.id().name(),
                    target.keys().stream().map(ColumnRef::name).toList(), config.keep().toString(), target.where(),
                    BackupManifest.ROWS, toDelete, rowsHash, repointHash == null ? null : BackupManifest.REPOINTS,
                    repointRows, repointHash, started.toString(), Instant.now().toString(),
                    postgres() ? BackupManifest.PG_COPY_CSV : null);
            pending.write(backup);
            long repointed = 0;
            for (Reference reference : referenced.keySet()) {
                repointed += repointer.repoint(reference);
            }
            if (repointed != repointRows) {
                throw new SQLException("repointed " + repointed + " references but recorded " + repointRows);
            }
            int deleted;
            step = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                preferIndexLookups(true);
                deleted = statement.executeUpdate(DedupeSql.delete(target));
                preferIndexLookups(false);
            }
            log.debug("dedupe: delete took " + DedupeEngine.millis(step) + " ms");
            if (deleted != toDelete) {
                throw new SQLException("deleted " + deleted + " rows but backed up " + toDelete);
            }
            commitAttempted = true;
            step = System.nanoTime();
            connection.commit();
            log.debug("dedupe: commit took " + DedupeEngine.millis(step) + " ms");
            pending.withStatus(BackupManifest.COMPLETE, Instant.now().toString()).write(backup);
            findings.addAll(nearDuplicates());
            log.info("dedupe: deleted " + deleted + " rows of " + streamed.groups() + " duplicate groups from "
                    + target.table().display() + (repointed > 0 ? ", repointed " + repointed + " references" : "")
                    + "; backup: " + backup);
            return result(streamed, findings, backup, deleted, repointed, true);
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly();
            if (pending != null && !commitAttempted) {
                try {
                    pending.withStatus(BackupManifest.ROLLED_BACK, Instant.now().toString()).write(backup);
                } catch (IOException ignored) {
                    // the manifest stays pending; restore treats pending rows as "maybe deleted" and only inserts missing ones
                }
            }
            if (e instanceof IOException io) {
                throw new DatabaseException("Cannot write the backup" + (backup == null ? "" : " " + backup) + ": "
                        + io.getMessage() + ". Nothing was deleted; check 'backupDirectory' ("
                        + config.backupDirectory() + ") is writable and has space.", io);
            }
            if (e instanceof SQLException sql) {
                throw new DatabaseException("Dedupe apply on " + target.table().display() + " failed and was rolled back: "
                        + DedupeEngine.firstLine(sql.getMessage()) + ". Nothing was deleted.", sql);
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private List<Finding> nearDuplicates() throws SQLException {
        return new NearDuplicates(connection, log).search(target, config);
    }

    private DedupeResult result(DedupeEngine.Streamed streamed, List<Finding> findings, Path backup, long deleted,
            long repointed, boolean applied) {
        return new DedupeResult(target.subject(), streamed.groups(), streamed.rows(), streamed.deletes(), streamed.top(),
                findings, config.reportFile(), backup, deleted, repointed, applied);
    }

    private Path prepareBackupRoot() throws DatabaseException {
        Path root = config.backupDirectory();
        if (root == null) {
            throw new DatabaseException("Parameter 'backupDirectory' is not set, but apply=true always writes a backup"
                    + " of the rows it deletes first. Set 'backupDirectory' (default target/migration-safety/backups).");
        }
        try {
            Files.createDirectories(root);
            Path probe = Files.createTempFile(root, ".write-check", ".tmp");
            Files.delete(probe);
            return root;
        } catch (IOException e) {
            throw new DatabaseException("Parameter 'backupDirectory': cannot write to " + root.toAbsolutePath() + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "). apply=true writes a backup before"
                    + " deleting anything; make the directory writable or choose another one. Nothing was deleted.", e);
        }
    }

    private void lock() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (target.dialect() == Dialect.POSTGRESQL) {
                // fail instead of hanging behind a long transaction; SHARE ROW EXCLUSIVE blocks writers, not readers
                statement.execute("SET LOCAL lock_timeout = '60s'");
                statement.execute("LOCK TABLE " + target.table().sql() + " IN SHARE ROW EXCLUSIVE MODE");
            } else {
                // H2 has no LOCK TABLE: lock every row against updates and deletes until commit
                try (ResultSet rs = statement.executeQuery("SELECT " + target.id().sql() + " FROM "
                        + target.table().sql() + " FOR UPDATE")) {
                    while (rs.next()) {
                        // the rows are locked as they are read
                    }
                }
            }
        }
    }

    /** No-op unless PostgreSQL and the id is the primary key: see {@link DedupeSql#preferIndexLookups}. */
    private void preferIndexLookups(boolean prefer) throws SQLException {
        DedupeReport.preferIndexLookups(connection, target, prefer);
    }

    private boolean postgres() {
        return target.dialect() == Dialect.POSTGRESQL;
    }

    /**
     * PostgreSQL: the report by {@code COPY}, and the backup rows from the same stream when {@code backupRows} is
     * given.
     */
    private DedupeEngine.Streamed copyReport(OutputStream backupRows) throws SQLException, IOException {
        return report.fromCopy(DedupeSql.applyCopy(target), backupRows);
    }

    private DedupeEngine.Streamed streamReport(CSVPrinter backup) throws SQLException, IOException {
        if (postgres()) {
            return copyReport(null);
        }
        return report.fromRows(DedupeSql.applyRows(target), config.fetchSize(), backup);
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Records the moves of a repoint in the backup: see {@link ReferenceRepointer#record}. */
    private long logRepoints(Reference reference, CSVPrinter csv) throws SQLException, IOException {
        return repointer.record(reference, csv);
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the server rolls the transaction back itself
        }
    }
}
