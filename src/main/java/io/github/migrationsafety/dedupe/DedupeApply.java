package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.backup.BackupWriter;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.PgLock;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVPrinter;

/**
 * The apply half of dedupe: one transaction that locks the table and streams the run's ranking ({@link RankingWay},
 * the dry-run's statement) once: the report, the fsynced backup of the rows to delete and the plan of (id to delete,
 * kept id) pairs ({@link DeletePlan}) all come from that stream. It then loads the plan, checks or moves references,
 * writes the manifest, deletes the planned rows by joining the plan, checks the count and commits. The lock blocks
 * writers, so nothing runs under it that the delete does not need: the ranking does not test the rows for the
 * near-duplicate search, which, when asked for, runs after the transaction has ended. The manifest says {@code
 * pending} from before the delete until the commit is known to have happened, then {@code complete}; see {@link
 * BackupManifest} for what each crash instant leaves.
 */
final class DedupeApply {

    /** The plan file of the rows to delete ({@link DeletePlan}), in the backup directory while the apply runs. */
    static final String PLAN_FILE = "plan.csv";

    private final Connection connection;
    private final EngineLog log;
    private final RankingWay way;
    private final DedupeTarget target;
    private final DedupeConfig config;
    private final DedupeReport report;
    private final ReferenceRepointer repointer;
    private final boolean searchNearDuplicates;

    /**
     * An apply ranking by {@code way}, which should not test the rows for near duplicates ({@link
     * RankingWay#withoutNearDuplicateTest}); with {@code searchNearDuplicates}, they are searched after the commit.
     */
    DedupeApply(Connection connection, EngineLog log, RankingWay way, boolean searchNearDuplicates) {
        this.connection = connection;
        this.log = log;
        this.way = way;
        this.searchNearDuplicates = searchNearDuplicates;
        this.target = way.target();
        this.config = way.config();
        this.report = new DedupeReport(connection, log, target, config.reportFile());
        this.repointer = new ReferenceRepointer(connection, target, config.fetchSize());
    }

    DedupeResult run() throws SQLException, IOException, DatabaseException {
        DedupeResult result = deleteInOneTransaction();
        return searchNearDuplicates ? result.withFindings(nearDuplicatesAfter(result)) : result;
    }

    private DedupeResult deleteInOneTransaction() throws SQLException, IOException, DatabaseException {
        BackupWriter backupWriter = openBackupWriter(config);
        long started = System.nanoTime();
        List<Reference> references = repointer.references();
        log.debug("dedupe: reading the foreign keys that reference the table took " + DedupeEngine.millis(started)
                + " ms");
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        BackupWriter.Directory backup = null;
        Path planFile = null;
        BackupManifest pending = null;
        boolean commitAttempted = false;
        try {
            long step = System.nanoTime();
            lock();
            log.debug("dedupe: lock took " + DedupeEngine.millis(step) + " ms");
            way.prepare(connection);
            backup = backupWriter.create(target.table().name(), Instant.now());
            planFile = backup.path().resolve(PLAN_FILE);
            step = System.nanoTime();
            RankingWay.Ranking ranking;
            DeletePlan plan;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(planFile), 1 << 16)) {
                plan = new DeletePlan(out);
                ranking = way.report(connection, report, plan, backup);
            }
            DedupeEngine.Streamed streamed = ranking.streamed();
            long toDelete = streamed.deletes();
            log.debug("dedupe: ranking, report, plan and backup (SHA-256, fsync) took " + DedupeEngine.millis(step)
                    + " ms");
            List<Finding> findings = new ArrayList<>();
            if (toDelete == 0) {
                return nothingDeleted(backup, streamed, findings);
            }
            step = System.nanoTime();
            long loaded = DeletePlan.load(connection, target, planFile, config.fetchSize());
            log.debug("dedupe: loading the plan took " + DedupeEngine.millis(step) + " ms");
            if (loaded != toDelete || plan.pairs() != toDelete) {
                throw new SQLException("the backup holds " + toDelete + " rows but the plan " + loaded);
            }
            Map<Reference, Long> referenced = repointer.referencedCounts(references);
            if (!referenced.isEmpty() && config.onReferences() == OnReferences.FAIL) {
                findings.add(repointer.finding(referenced));
                return nothingDeleted(backup, streamed, findings);
            }
            long repointRows = referenced.isEmpty()
                    ? 0
                    : backup.repoints(csv -> {
                        long n = 0;
                        for (Reference reference : referenced.keySet()) {
                            n += logRepoints(reference, csv);
                        }
                        return n;
                    });
            pending = backup.writeManifest(BackupManifest.builder()
                    .kind(BackupManifest.Kind.DEDUPE)
                    .status(BackupManifest.Status.PENDING)
                    .table(target.table())
                    .columns(target.columns().stream()
                            .map(BackupManifest.Column::of)
                            .toList())
                    .idColumn(target.id().name())
                    .keyColumns(target.keys().stream().map(ColumnRef::name).toList())
                    .keepRule(config.keep().toString())
                    .where(target.where())
                    .rowCount(toDelete));
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
            pending.withStatus(BackupManifest.Status.COMPLETE, Instant.now().toString())
                    .write(backup.path());
            Files.deleteIfExists(planFile);
            log.info("dedupe: deleted " + deleted + " rows of " + streamed.groups() + " duplicate groups from "
                    + target.table().display() + (repointed > 0 ? ", repointed " + repointed + " references" : "")
                    + "; backup: " + backup.path());
            return result(streamed, findings, backup.path(), deleted, repointed, true);
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly();
            if (pending == null && backup != null && !(e instanceof IOException)) {
                // the database failed before the backup was complete: the started directory is of no use
                deleteQuietly(backup.path());
            }
            if (pending != null && !commitAttempted) {
                try {
                    pending.withStatus(
                                    BackupManifest.Status.ROLLED_BACK,
                                    Instant.now().toString())
                            .write(backup.path());
                } catch (IOException ignored) {
                    // the manifest stays pending; restore treats pending rows as "maybe deleted" and only inserts
                    // missing ones
                }
            }
            if (e instanceof IOException io) {
                throw new DatabaseException(
                        "Cannot write the backup" + (backup == null ? "" : " " + backup.path()) + ": "
                                + io.getMessage() + ". Nothing was deleted; check 'backupDirectory' ("
                                + config.backupDirectory() + ") is writable and has space.",
                        io);
            }
            if (e instanceof SQLException sql) {
                throw new DatabaseException(
                        "Dedupe apply on " + target.table().display() + " failed and was rolled back: "
                                + DedupeEngine.firstLine(sql.getMessage()) + ". Nothing was deleted.",
                        sql);
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
            if (planFile != null) {
                deleteQuietly(planFile);
            }
        }
    }

    /**
     * Nothing to delete, or referenced rows with {@code onReferences=fail}: the transaction rolls back and the backup
     * directory it started goes, as nothing was changed.
     */
    private DedupeResult nothingDeleted(
            BackupWriter.Directory backup, DedupeEngine.Streamed streamed, List<Finding> findings)
            throws SQLException, IOException {
        connection.rollback();
        deleteDirectory(backup.path());
        if (streamed.deletes() == 0) {
            log.info("dedupe: no duplicates in " + target.subject() + "; nothing to delete, no backup written");
        }
        return result(streamed, findings, null, 0, 0, false);
    }

    private static void deleteDirectory(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Deletes a file or directory if it is there; one that stays behind has no manifest, so restore refuses it. */
    private static void deleteQuietly(Path path) {
        try {
            if (Files.isDirectory(path)) {
                deleteDirectory(path);
            } else {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // what stays behind has no manifest
        }
    }

    /**
     * The near-duplicate search after the apply's transaction has ended, in a read-only transaction of its own. What
     * the apply did stands whatever happens here, so a failure is a warning in the log, not the apply's failure.
     */
    private List<Finding> nearDuplicatesAfter(DedupeResult applied) {
        long started = System.nanoTime();
        try {
            boolean autoCommit = connection.getAutoCommit();
            boolean readOnly = connection.isReadOnly();
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                try (Statement statement = connection.createStatement()) {
                    for (String setting : NearDuplicateSql.searchSettings(target)) {
                        statement.execute(setting);
                    }
                }
                List<Finding> findings =
                        new NearDuplicates(connection, log).search(target, config.withNearDuplicates(true));
                log.debug("dedupe: near-duplicate search after the "
                        + (applied.applied() ? "commit" : "rollback") + " took " + DedupeEngine.millis(started)
                        + " ms");
                return findings;
            } finally {
                rollbackQuietly();
                connection.setReadOnly(readOnly);
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            log.warn("dedupe: the near-duplicate search after the apply failed: "
                    + DedupeEngine.firstLine(e.getMessage()) + ". The apply's outcome stands"
                    + (applied.applied()
                            ? " (deleted " + applied.deleted() + " rows; backup: " + applied.backup() + ")"
                            : "")
                    + "; run the dry-run (apply=false) to search near duplicates.");
            return List.of();
        }
    }

    private DedupeResult result(
            DedupeEngine.Streamed streamed,
            List<Finding> findings,
            Path backup,
            long deleted,
            long repointed,
            boolean applied) {
        return DedupeResult.ofStream(
                target, streamed, findings, config.reportFile(), backup, deleted, repointed, applied);
    }

    static BackupWriter openBackupWriter(DedupeConfig config) throws DatabaseException {
        Path root = config.backupDirectory();
        if (root == null) {
            throw new DatabaseException(
                    "Parameter 'backupDirectory' is not set, but apply=true always writes a backup"
                            + " of the rows it deletes first. Set 'backupDirectory' (default target/migration-safety/backups).");
        }
        try {
            return BackupWriter.open(root);
        } catch (IOException e) {
            throw new DatabaseException(
                    BackupWriter.cannotWrite(root, e) + ". apply=true writes a backup before"
                            + " deleting anything; make the directory writable or choose another one. Nothing was deleted.",
                    e);
        }
    }

    private void lock() throws SQLException {
        if (target.dialect() == Dialect.POSTGRESQL) {
            PgLock.againstWriters(connection, target.table());
            return;
        }
        // H2 has no LOCK TABLE: lock every row against updates and deletes until commit
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT " + target.id().sql() + " FROM "
                        + target.table().sql() + " FOR UPDATE")) {
            while (rs.next()) {
                // the rows are locked as they are read
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
