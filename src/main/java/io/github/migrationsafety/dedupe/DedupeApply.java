package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.backup.BackupWriter;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.PgLock;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.db.TableRef;
import io.github.migrationsafety.db.ValueCodec;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVPrinter;

/**
 * The apply half of dedupe: one transaction that locks the table, ranks the duplicate rows into a temporary
 * table, writes and fsyncs the backup of the rows to delete, deletes them by joining the temporary table,
 * checks the count and commits. The manifest says {@code pending} from before the delete until the commit
 * is known to have happened, then {@code complete}; see {@link BackupManifest} for what each crash instant leaves.
 */
final class DedupeApply {

    private static final int SAMPLES = 5;
    /** Join condition from a ranked row {@code d} to the kept row {@code k} of its group. */
    private static final String KEPT = "k.ms_group = d.ms_group AND k.ms_rank = 1";

    private final Connection connection;
    private final EngineLog log;
    private final DedupeEngine engine;
    private final DedupeTarget target;
    private final DedupeConfig config;

    DedupeApply(Connection connection, EngineLog log, DedupeEngine engine, DedupeTarget target, DedupeConfig config) {
        this.connection = connection;
        this.log = log;
        this.engine = engine;
        this.target = target;
        this.config = config;
    }

    /** A foreign key of another table that points at our id column. */
    private record Reference(String name, TableRef table, ColumnRef column, ColumnRef rowId) {
        String display() {
            return table.display() + "." + column.name();
        }
    }

    DedupeResult run() throws SQLException, IOException, DatabaseException {
        BackupWriter backupWriter = openBackupWriter();
        List<Reference> references = references();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        BackupWriter.Directory backup = null;
        BackupManifest pending = null;
        boolean commitAttempted = false;
        try {
            long step = System.nanoTime();
            lock();
            log.debug("dedupe: lock took " + DedupeEngine.millis(step) + " ms");
            step = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                statement.execute(createTemp());
                log.debug("dedupe: ranking into the temporary table took " + DedupeEngine.millis(step) + " ms");
                if (postgres()) {
                    step = System.nanoTime();
                    // a temporary table has no statistics until analyzed: without them the join and delete plans guess
                    statement.execute("ANALYZE " + DedupeEngine.TEMP);
                    log.debug("dedupe: ANALYZE of the temporary table took " + DedupeEngine.millis(step) + " ms");
                    PgCopy.canonicalText(connection);
                }
            }
            long toDelete = count("SELECT COUNT(*) FROM " + DedupeEngine.TEMP + " WHERE ms_rank > 1");
            List<Finding> findings = new ArrayList<>();
            if (toDelete == 0) {
                DedupeEngine.Streamed streamed = streamReport(null);
                connection.rollback();
                findings.addAll(nearDuplicates());
                log.info("dedupe: no duplicates in " + target.subject() + "; nothing to delete, no backup written");
                return result(streamed, findings, null, 0, 0, false);
            }
            Map<Reference, Long> referenced = referencedCounts(references);
            if (!referenced.isEmpty() && config.onReferences() == OnReferences.FAIL) {
                findings.add(referencesFinding(referenced));
                DedupeEngine.Streamed streamed = streamReport(null);
                connection.rollback();
                findings.addAll(nearDuplicates());
                return result(streamed, findings, null, 0, 0, false);
            }
            backup = backupWriter.create(target.table().name(), Instant.now());
            DedupeEngine.Streamed streamed;
            List<String> header = target.columns().stream().map(ColumnRef::name).toList();
            step = System.nanoTime();
            if (postgres()) {
                streamed = backup.copyRows(header, this::copyReport);
                log.debug("dedupe: report and backup COPY, SHA-256 and fsync took " + DedupeEngine.millis(step) + " ms");
            } else {
                streamed = backup.rows(header, this::streamReport);
                log.debug("dedupe: report and backup took " + DedupeEngine.millis(step) + " ms");
            }
            if (streamed.deletes() != toDelete) {
                throw new SQLException("the backup holds " + streamed.deletes() + " rows but " + toDelete
                        + " were selected for deletion");
            }
            long repointRows = referenced.isEmpty() ? 0 : backup.repoints(csv -> {
                long n = 0;
                for (Reference reference : referenced.keySet()) {
                    n += logRepoints(reference, csv);
                }
                return n;
            });
            pending = backup.writeManifest(BackupManifest.builder().kind(BackupManifest.Kind.DEDUPE)
                    .status(BackupManifest.Status.PENDING).table(target.table())
                    .columns(target.columns().stream().map(BackupManifest.Column::of).toList())
                    .idColumn(target.id().name()).keyColumns(target.keys().stream().map(ColumnRef::name).toList())
                    .keepRule(config.keep().toString()).where(target.where()).rowCount(toDelete));
            long repointed = 0;
            for (Reference reference : referenced.keySet()) {
                repointed += repoint(reference);
            }
            if (repointed != repointRows) {
                throw new SQLException("repointed " + repointed + " references but recorded " + repointRows);
            }
            int deleted;
            step = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                if (postgres()) {
                    preferIndexLookups(true);
                    deleted = statement.executeUpdate("DELETE FROM " + target.table().sql() + " t USING "
                            + DedupeEngine.TEMP + " d WHERE t." + target.id().sql() + " = d.ms_id AND d.ms_rank > 1");
                    preferIndexLookups(false);
                } else {
                    deleted = statement.executeUpdate("DELETE FROM " + target.table().sql() + " WHERE "
                            + target.id().sql() + " IN (SELECT ms_id FROM " + DedupeEngine.TEMP + " WHERE ms_rank > 1)");
                }
            }
            log.debug("dedupe: delete took " + DedupeEngine.millis(step) + " ms");
            if (deleted != toDelete) {
                throw new SQLException("deleted " + deleted + " rows but backed up " + toDelete);
            }
            commitAttempted = true;
            step = System.nanoTime();
            connection.commit();
            log.debug("dedupe: commit took " + DedupeEngine.millis(step) + " ms");
            pending.withStatus(BackupManifest.Status.COMPLETE, Instant.now().toString()).write(backup.path());
            findings.addAll(nearDuplicates());
            log.info("dedupe: deleted " + deleted + " rows of " + streamed.groups() + " duplicate groups from "
                    + target.table().display() + (repointed > 0 ? ", repointed " + repointed + " references" : "")
                    + "; backup: " + backup.path());
            return result(streamed, findings, backup.path(), deleted, repointed, true);
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly();
            if (pending != null && !commitAttempted) {
                try {
                    pending.withStatus(BackupManifest.Status.ROLLED_BACK, Instant.now().toString()).write(backup.path());
                } catch (IOException ignored) {
                    // the manifest stays pending; restore treats pending rows as "maybe deleted" and only inserts missing ones
                }
            }
            if (e instanceof IOException io) {
                throw new DatabaseException("Cannot write the backup" + (backup == null ? "" : " " + backup.path()) + ": "
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
        if (!config.nearDuplicates()) {
            return List.of();
        }
        long started = System.nanoTime();
        List<Finding> findings = engine.nearDuplicates(target);
        log.debug("dedupe: near-duplicate search took " + DedupeEngine.millis(started) + " ms");
        return findings;
    }

    private DedupeResult result(DedupeEngine.Streamed streamed, List<Finding> findings, Path backup, long deleted,
            long repointed, boolean applied) {
        return new DedupeResult(target.subject(), streamed.groups(), streamed.rows(), streamed.deletes(), streamed.top(),
                findings, config.reportFile(), backup, deleted, repointed, applied);
    }

    private BackupWriter openBackupWriter() throws DatabaseException {
        Path root = config.backupDirectory();
        if (root == null) {
            throw new DatabaseException("Parameter 'backupDirectory' is not set, but apply=true always writes a backup"
                    + " of the rows it deletes first. Set 'backupDirectory' (default target/migration-safety/backups).");
        }
        try {
            return BackupWriter.open(root);
        } catch (IOException e) {
            throw new DatabaseException(BackupWriter.cannotWrite(root, e) + ". apply=true writes a backup before"
                    + " deleting anything; make the directory writable or choose another one. Nothing was deleted.", e);
        }
    }

    private void lock() throws SQLException {
        if (target.dialect() == Dialect.POSTGRESQL) {
            PgLock.againstWriters(connection, target.table());
            return;
        }
        // H2 has no LOCK TABLE: lock every row against updates and deletes until commit
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT "
                + target.id().sql() + " FROM " + target.table().sql() + " FOR UPDATE")) {
            while (rs.next()) {
                // the rows are locked as they are read
            }
        }
    }

    /**
     * The ranking goes into a narrow temporary table (id, group, rank): sorting only the id and key
     * columns of every row is what makes the ranking as fast as a hand-written {@code ROW_NUMBER}; the whole rows
     * of the few duplicates are joined in afterwards for the report and backup.
     */
    private String createTemp() {
        String select = "SELECT r." + target.id().sql() + " AS ms_id, r.ms_group, r.ms_rank FROM ("
                + engine.rankedQuery(target, config, true) + ") r";
        if (target.dialect() == Dialect.H2) {
            // TRANSACTIONAL: H2 would otherwise commit the open transaction on CREATE TABLE
            return "CREATE LOCAL TEMPORARY TABLE " + DedupeEngine.TEMP + " ON COMMIT DROP TRANSACTIONAL AS " + select;
        }
        return "CREATE TEMPORARY TABLE " + DedupeEngine.TEMP + " ON COMMIT DROP AS " + select;
    }

    private void preferIndexLookups(boolean prefer) throws SQLException {
        engine.preferIndexLookups(target, prefer);
    }

    /** The report of the ranked rows, whole rows joined from the table, in group and rank order. */
    private String reportSelect() {
        return "SELECT " + DedupeEngine.reportColumns(target, "d", "t") + " FROM " + DedupeEngine.TEMP + " d JOIN "
                + target.table().sql() + " t ON t." + target.id().sql() + " = d.ms_id ORDER BY d.ms_group, d.ms_rank";
    }

    private boolean postgres() {
        return target.dialect() == Dialect.POSTGRESQL;
    }

    /**
     * PostgreSQL: the report by {@code COPY}, and the backup rows from the same stream when {@code backupRows} is
     * given.
     */
    private DedupeEngine.Streamed copyReport(OutputStream backupRows) throws SQLException, IOException {
        preferIndexLookups(true);
        DedupeEngine.Streamed streamed = engine.copyReport(target, reportSelect(), config.reportFile(), backupRows);
        preferIndexLookups(false);
        return streamed;
    }

    private DedupeEngine.Streamed streamReport(CSVPrinter backup) throws SQLException, IOException {
        if (postgres()) {
            return copyReport(null);
        }
        String sql = "SELECT t.*, d.ms_group, d.ms_rank FROM " + DedupeEngine.TEMP + " d JOIN "
                + target.table().sql() + " t ON t." + target.id().sql() + " = d.ms_id ORDER BY d.ms_group, d.ms_rank";
        try (PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(config.fetchSize());
            try (ResultSet rs = statement.executeQuery()) {
                return engine.stream(rs, target, config.reportFile(), backup);
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Foreign keys of other tables (and this one) that point at the id column. */
    private List<Reference> references() throws SQLException, DatabaseException {
        Map<String, List<String[]>> byKey = new LinkedHashMap<>();
        DatabaseMetaData metaData = connection.getMetaData();
        try (ResultSet rs = metaData.getExportedKeys(null, target.table().schema(), target.table().name())) {
            while (rs.next()) {
                String name = rs.getString("FKTABLE_SCHEM") + "." + rs.getString("FKTABLE_NAME") + "." + rs.getString("FK_NAME");
                byKey.computeIfAbsent(name, k -> new ArrayList<>()).add(new String[] {rs.getString("FKTABLE_SCHEM"),
                    rs.getString("FKTABLE_NAME"), rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME"),
                    rs.getString("FK_NAME")});
            }
        }
        SchemaCatalog catalog = SchemaCatalog.of(connection);
        List<Reference> references = new ArrayList<>();
        for (List<String[]> parts : byKey.values()) {
            String[] first = parts.get(0);
            TableRef table = new TableRef(first[0], first[1], target.dialect());
            if (parts.size() != 1 || !first[3].equals(target.id().name())) {
                throw new DatabaseException("Foreign key " + first[4] + " of " + table.display() + " references "
                        + target.table().display() + " by columns other than the id column " + target.id().name()
                        + "; dedupe can only check and repoint single-column references to the id. Drop or adjust"
                        + " that foreign key first. Nothing was changed.");
            }
            ColumnRef column = catalog.column(table, target.dialect().quote(first[2]), "onReferences");
            List<ColumnRef> primaryKey = catalog.primaryKey(table);
            ColumnRef rowId = primaryKey.size() == 1 ? primaryKey.get(0) : null;
            references.add(new Reference(first[4], table, column, rowId));
        }
        return references;
    }

    private Map<Reference, Long> referencedCounts(List<Reference> references) throws SQLException {
        Map<Reference, Long> counts = new LinkedHashMap<>();
        for (Reference reference : references) {
            long n = count("SELECT COUNT(*) FROM " + reference.table().sql() + " r WHERE r." + reference.column().sql()
                    + " IN (SELECT ms_id FROM " + DedupeEngine.TEMP + " WHERE ms_rank > 1)");
            if (n > 0) {
                counts.put(reference, n);
            }
        }
        return counts;
    }

    private Finding referencesFinding(Map<Reference, Long> referenced) throws SQLException {
        StringBuilder text = new StringBuilder("rows to delete are referenced by foreign keys; nothing was changed:");
        for (Map.Entry<Reference, Long> entry : referenced.entrySet()) {
            Reference reference = entry.getKey();
            text.append("\n - ").append(reference.display()).append(" (").append(reference.name()).append("): ")
                    .append(entry.getValue()).append(" row(s)");
            String rowId = reference.rowId() == null ? "r." + reference.column().sql() : "r." + reference.rowId().sql();
            String sql = "SELECT " + rowId + ", r." + reference.column().sql() + " FROM " + reference.table().sql()
                    + " r WHERE r." + reference.column().sql() + " IN (SELECT ms_id FROM " + DedupeEngine.TEMP
                    + " WHERE ms_rank > 1) ORDER BY 1";
            List<String> samples = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next() && samples.size() < SAMPLES) {
                    samples.add((reference.rowId() == null ? "" : reference.rowId().name() + "=" + rs.getString(1) + " -> ")
                            + target.id().name() + "=" + rs.getString(2));
                }
            }
            text.append(", e.g. ").append(String.join(", ", samples));
        }
        return Finding.error("dedupe.referenced", target.subject(), text.toString())
                .withHint("set <onReferences>repoint</onReferences> to move these references to the kept row of each"
                        + " group (recorded in the backup), or fix the referencing rows first.");
    }

    private long logRepoints(Reference reference, CSVPrinter csv) throws SQLException, IOException {
        if (reference.rowId() == null) {
            throw new SQLException("table " + reference.table().display() + " references " + target.table().display()
                    + " but has no single-column primary key, so its repointed rows could not be restored; use"
                    + " onReferences=fail and fix the references by hand");
        }
        String sql = "SELECT r." + reference.rowId().sql() + ", r." + reference.column().sql() + ", k.ms_id FROM "
                + reference.table().sql() + " r JOIN " + DedupeEngine.TEMP + " d ON r." + reference.column().sql()
                + " = d.ms_id JOIN " + DedupeEngine.TEMP + " k ON " + KEPT + " WHERE d.ms_rank > 1";
        long n = 0;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(config.fetchSize());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    csv.printRecord(reference.table().schema(), reference.table().name(), reference.column().name(),
                            reference.rowId().name(), ValueCodec.read(rs, 1, reference.rowId()),
                            ValueCodec.read(rs, 2, reference.column()), ValueCodec.read(rs, 3, target.id()));
                    n++;
                }
            }
        }
        return n;
    }

    private long repoint(Reference reference) throws SQLException {
        String sql = "UPDATE " + reference.table().sql() + " SET " + reference.column().sql() + " = (SELECT k.ms_id FROM "
                + DedupeEngine.TEMP + " d JOIN " + DedupeEngine.TEMP + " k ON " + KEPT + " WHERE d.ms_id = "
                + reference.table().sql() + "." + reference.column().sql()
                + ") WHERE " + reference.column().sql() + " IN (SELECT ms_id FROM " + DedupeEngine.TEMP
                + " WHERE ms_rank > 1)";
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the server rolls the transaction back itself
        }
    }
}
