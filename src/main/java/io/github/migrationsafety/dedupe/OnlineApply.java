package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.backup.BackupWriter;
import io.github.migrationsafety.backup.HashingFile;
import io.github.migrationsafety.backup.OnlineJournal;
import io.github.migrationsafety.backup.OnlineLock;
import io.github.migrationsafety.backup.OnlineState;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.RowCsv;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Progress;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Online apply on PostgreSQL ({@code batchSize}): the duplicates are ranked once, without a table lock, into a plan
 * file of (id to delete, kept id) pairs in the backup directory; then each batch of pairs is deleted in its own short
 * transaction ({@link OnlineBatch}), so writers of other rows wait for one batch at most. A final pass ranks again
 * and deletes the duplicates inserted meanwhile. The manifest is the journal ({@link OnlineJournal}): a run stopped at
 * any instant is finished by the next apply on the same table and backup directory.
 */
final class OnlineApply {

    /** Seconds a run waits for the online-dedupe lock of the table (the backend of a killed run to go away). */
    private static final int LOCK_WAIT_SECONDS = 60;

    private final Connection connection;
    private final EngineLog log;
    private final RankingWay way;
    private final DedupeTarget target;
    private final DedupeConfig config;
    private final OnlineOptions options;

    OnlineApply(Connection connection, EngineLog log, RankingWay way, OnlineOptions options) {
        this.connection = connection;
        this.log = log;
        this.way = way;
        this.target = way.target();
        this.config = way.config();
        this.options = options;
    }

    DedupeResult run() throws SQLException, IOException, DatabaseException {
        List<Reference> references = new ReferenceRepointer(connection, target, config.fetchSize()).references();
        connection.setAutoCommit(true);
        try {
            if (!OnlineLock.lock(connection, target.table().display(), LOCK_WAIT_SECONDS, log)) {
                throw new DatabaseException(
                        "Another online dedupe of " + target.table().display() + " is running"
                                + " (it holds the table's online-dedupe lock). Let it finish, or stop it; then run again.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("Interrupted while waiting for the online-dedupe lock", null);
        }
        try {
            return runLocked(references);
        } finally {
            if (!connection.isClosed()) {
                try {
                    connection.setAutoCommit(true);
                    OnlineLock.unlock(connection, target.table().display());
                } catch (SQLException ignored) {
                    // the connection is gone, and its session lock with it
                }
            }
        }
    }

    private DedupeResult runLocked(List<Reference> references) throws SQLException, IOException, DatabaseException {
        OnlineJournal[] journal = {null};
        try {
            return runJournaled(references, journal);
        } catch (SQLException | IOException e) {
            if (journal[0] == null) {
                throw e;
            }
            String reason = e instanceof SQLException sql
                    ? DedupeEngine.firstLine(sql.getMessage()) + " (SQLState " + sql.getSQLState() + ")"
                    : "cannot write the backup: " + e.getMessage();
            throw new DatabaseException(
                    "Online dedupe of " + target.table().display() + " stopped: " + reason + ". The "
                            + journal[0].manifest().rowCount() + " rows of the batches committed so far are deleted"
                            + " and backed up in " + journal[0].directory() + ". Run apply again to finish the job (it"
                            + " resumes from the backup), or put those rows back with migration-safety:restore"
                            + " -Dmigration-safety.backup=" + journal[0].directory() + ".",
                    e);
        }
    }

    private DedupeResult runJournaled(List<Reference> references, OnlineJournal[] started)
            throws SQLException, IOException, DatabaseException {
        OnlineJournal journal;
        String resumedFrom = null;
        List<Path> unfinished = OnlineResume.unfinished(config, target);
        if (unfinished.size() > 1) {
            throw new DatabaseException("Several unfinished online dedupe runs of "
                    + target.table().display()
                    + " are in " + config.backupDirectory() + ":\n - "
                    + String.join(
                            "\n - ", unfinished.stream().map(Path::toString).toList())
                    + "\nRestore all but one with migration-safety:restore, then run again.");
        }
        if (unfinished.size() == 1) {
            Path directory = unfinished.get(0);
            if (!options.resume()) {
                throw new DatabaseException("An unfinished online dedupe of "
                        + target.table().display() + " is in "
                        + directory + " and 'resume' is false. Run with -Dmigration-safety.resume=true to finish it, or"
                        + " put its rows back with migration-safety:restore -Dmigration-safety.backup=" + directory);
            }
            journal = OnlineJournal.open(directory);
            OnlineResume.checkSameKeys(target, config, journal.manifest(), directory);
            started[0] = journal;
            String settled = journal.settle(connection);
            OnlineState state = journal.state();
            log.info("dedupe: resuming the unfinished online dedupe of "
                    + target.table().display() + " in " + directory
                    + ": " + journal.manifest().rowCount() + " rows deleted in " + state.batches()
                    + " committed batches, round " + state.round() + " "
                    + state.phase().text()
                    + (settled == null ? "" : "; " + settled));
            resumedFrom = directory.toString();
        } else {
            journal = start(references);
            started[0] = journal;
        }
        boolean repoints = journal.hasRepoints();
        try (Statement statement = connection.createStatement()) {
            statement.execute(OnlineSql.createBatchTable(target));
        }
        OnlinePlan planner = new OnlinePlan(connection, log, way);
        OnlineBatch batch = new OnlineBatch(connection, log, target, config, references, journal);
        DedupeEngine.Streamed firstRanking = null;
        // what the first ranking of this process found of near duplicates (the final pass does not test the rows); a
        // resumed run that did not rank the first round searches in full
        RankingWay.Marks marks = RankingWay.Marks.UNTESTED;
        long finalPassFound = 0;
        long longestLockMillis = 0;
        while (journal.state().phase() != OnlineState.Phase.DONE) {
            OnlineState state = journal.state();
            if (state.phase() == OnlineState.Phase.PLANNING) {
                Path reportFile = state.round() == 1
                        ? config.reportFile()
                        : journal.directory().resolve("final-pass-report.csv");
                OnlinePlan.Plan plan = planner.rank(journal.directory(), state.round(), reportFile);
                if (state.round() == 1) {
                    marks = plan.marks();
                    firstRanking = plan.streamed();
                    Map<Reference, Long> referenced =
                            plan.pairs() > 0 && !repoints && config.onReferences() == OnReferences.FAIL
                                    ? planner.referenced(plan, references)
                                    : Map.of();
                    if (plan.pairs() == 0 || !referenced.isEmpty()) {
                        return nothingDeleted(journal, plan, planner, referenced);
                    }
                } else {
                    finalPassFound = plan.pairs();
                }
                journal.planned(plan.file().getFileName().toString(), plan.pairs(), plan.sha256());
                continue;
            }
            if (state.planDone() < state.planRows()) {
                longestLockMillis = Math.max(longestLockMillis, deleteBatches(journal, batch));
            }
            if (journal.state().round() == 1) {
                journal.finalPass();
            } else {
                journal.complete();
            }
        }
        OnlineState state = journal.state();
        long deleted = journal.manifest().rowCount();
        long finalPass = deleted - state.firstRound();
        List<Finding> findings = new ArrayList<>(new NearDuplicates(connection, log).after(marks, target, config));
        log.info("dedupe: deleted " + deleted + " rows from " + target.table().display() + " in " + state.batches()
                + " batches of up to " + state.batchSize() + " (" + finalPass + " of them in the final pass: duplicates"
                + " inserted while the run went on), skipped " + state.skipped() + " whose row or kept twin had"
                + " changed; backup: " + journal.directory());
        OnlineRun online = new OnlineRun(
                state.batchSize(),
                state.batches(),
                finalPass,
                finalPassFound,
                state.skipped(),
                journal.manifest().repointCount(),
                longestLockMillis,
                resumedFrom);
        DedupeEngine.Streamed streamed =
                firstRanking != null ? firstRanking : new DedupeEngine.Streamed(0, 0, state.firstRound(), List.of());
        return new DedupeResult(
                target.subject(),
                streamed.groups(),
                streamed.rows(),
                streamed.deletes(),
                streamed.top(),
                findings,
                config.reportFile(),
                journal.directory(),
                deleted,
                journal.manifest().repointCount(),
                true,
                online);
    }

    private OnlineJournal start(List<Reference> references) throws IOException, DatabaseException {
        BackupWriter writer = DedupeApply.openBackupWriter(config);
        BackupWriter.Directory directory = writer.create(target.table().name(), Instant.now());
        List<String> header = target.columns().stream().map(ColumnRef::name).toList();
        Files.writeString(directory.path().resolve(BackupManifest.ROWS), RowCsv.line(header));
        boolean repoints = config.onReferences() == OnReferences.REPOINT && !references.isEmpty();
        if (repoints) {
            Files.writeString(
                    directory.path().resolve(BackupManifest.REPOINTS),
                    RowCsv.line(
                            List.of("schema", "table", "column", "row_id_column", "row_id", "old_value", "new_value")));
        }
        HashingFile.forceDirectory(directory.path());
        BackupManifest.Builder base = BackupManifest.builder()
                .kind(BackupManifest.Kind.DEDUPE)
                .table(target.table())
                .columns(
                        target.columns().stream().map(BackupManifest.Column::of).toList())
                .idColumn(target.id().name())
                .keyColumns(target.keys().stream().map(ColumnRef::name).toList())
                .keepRule(config.keep().toString())
                .where(target.where());
        return OnlineJournal.start(directory.path(), base, options.batchSize(), repoints);
    }

    /** Deletes the rest of the current round's plan; returns the longest time a batch held its locks. */
    private long deleteBatches(OnlineJournal journal, OnlineBatch batch)
            throws SQLException, IOException, DatabaseException {
        OnlineState state = journal.state();
        Path planFile = journal.directory().resolve(state.planFile());
        if (!HashingFile.sha256(planFile).equals(state.planSha256())) {
            throw new DatabaseException("The plan " + planFile + " does not match the SHA-256 its manifest records;"
                    + " it was edited or damaged. Put the deleted rows back with migration-safety:restore"
                    + " -Dmigration-safety.backup=" + journal.directory() + ", then run again.");
        }
        Progress progress = new Progress(
                log, "dedupe: online delete" + (state.round() == 2 ? ", final pass" : ""), state.planRows());
        long longest = 0;
        long position = 0;
        try (Reader reader = Files.newBufferedReader(planFile, StandardCharsets.UTF_8);
                CSVParser parser = RowCsv.parser(reader)) {
            List<String[]> pairs = new ArrayList<>(state.batchSize());
            for (CSVRecord record : parser) {
                if (position++ < state.planDone()) {
                    continue;
                }
                pairs.add(new String[] {record.get(0), record.get(1)});
                if (pairs.size() == state.batchSize()) {
                    longest = Math.max(longest, one(journal, batch, pairs, progress));
                    pairs.clear();
                }
            }
            if (!pairs.isEmpty()) {
                longest = Math.max(longest, one(journal, batch, pairs, progress));
            }
        }
        return longest;
    }

    private long one(OnlineJournal journal, OnlineBatch batch, List<String[]> pairs, Progress progress)
            throws SQLException, IOException, DatabaseException {
        OnlineState before = journal.state();
        OnlineBatch.Done done = batch.run(pairs, before.planDone());
        OnlineState after = journal.state();
        progress.at(
                after.planDone(),
                "batch " + after.batches() + ", " + journal.manifest().rowCount() + " deleted");
        log.debug("dedupe: batch " + after.batches() + " deleted " + done.deleted() + " rows, locks held "
                + done.lockedMillis() + " ms");
        return done.lockedMillis();
    }

    /** No duplicates, or referenced rows with {@code onReferences=fail}: nothing was deleted, no backup is kept. */
    private DedupeResult nothingDeleted(
            OnlineJournal journal, OnlinePlan.Plan plan, OnlinePlan planner, Map<Reference, Long> referenced)
            throws IOException, SQLException {
        List<Finding> findings = new ArrayList<>();
        if (!referenced.isEmpty()) {
            findings.add(planner.finding(referenced));
        }
        deleteDirectory(journal.directory());
        findings.addAll(new NearDuplicates(connection, log).after(plan.marks(), target, config));
        if (plan.pairs() == 0) {
            log.info("dedupe: no duplicates in " + target.subject() + "; nothing to delete, no backup written");
        }
        DedupeEngine.Streamed streamed = plan.streamed();
        return DedupeResult.nothingDeleted(target, streamed, findings, config.reportFile());
    }

    private static void deleteDirectory(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
