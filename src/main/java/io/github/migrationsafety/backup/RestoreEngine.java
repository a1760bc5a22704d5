package io.github.migrationsafety.backup;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.PgLock;
import io.github.migrationsafety.db.RowCsv;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.db.TableRef;
import io.github.migrationsafety.db.ValueCodec;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Progress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Puts the rows of a backup directory back: verifies the manifest and the SHA-256 of every file first, then in
 * one transaction (table locked against writers) inserts the rows whose id is not in the table and undoes recorded
 * repoints. Rows already present are skipped, so running it again changes nothing.
 */
public final class RestoreEngine {

    private static final int CHUNK = 1000;

    private final Connection connection;
    private final EngineLog log;

    public RestoreEngine(Connection connection, EngineLog log) {
        this.connection = connection;
        this.log = log;
    }

    /** Verifies a backup directory without touching the database; throws with what is wrong. */
    public static BackupManifest verify(Path directory) throws BackupException {
        return BackupCheck.verify(directory);
    }

    public RestoreResult restore(Path directory) throws DatabaseException, BackupException {
        long started = System.nanoTime();
        RestoreResult result = restoreOnce(directory);
        return new RestoreResult(
                result.table(),
                result.restored(),
                result.skipped(),
                result.unpointed(),
                result.manifest(),
                directory,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private RestoreResult restoreOnce(Path directory) throws DatabaseException, BackupException {
        if (OnlineJournal.unfinished(directory)) {
            new OnlineRestore(connection, log).settle(directory);
        }
        BackupManifest manifest = verify(directory);
        if (manifest.status() == BackupManifest.Status.PENDING) {
            log.warn("Backup " + directory + " is marked pending: the run that wrote it stopped before it knew whether"
                    + " its delete committed. Its hash is intact, so the rows are either still in the table or here;"
                    + " restoring the missing ones is safe.");
        }
        try {
            SchemaCatalog catalog = SchemaCatalog.of(connection);
            TableRef table = new TableRef(manifest.schema(), manifest.tableName(), catalog.dialect());
            String qualified =
                    (manifest.schema() == null ? "" : catalog.dialect().quote(manifest.schema()) + ".")
                            + catalog.dialect().quote(manifest.tableName());
            table = catalog.table(qualified, "backup");
            List<ColumnRef> columns = matchColumns(catalog, table, manifest);
            ColumnRef id = columns.stream()
                    .filter(c -> c.name().equals(manifest.idColumn()))
                    .findFirst()
                    .orElseThrow(() -> new BackupException("Backup manifest names id column " + manifest.idColumn()
                            + ", which is not among its columns. Restore from an intact copy."));
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                if (catalog.dialect() == Dialect.POSTGRESQL) {
                    PgLock.againstWriters(connection, table);
                }
                long[] counts = manifest.isPostgresCopy()
                        ? copyMissing(directory, manifest, table, columns, id, catalog.dialect())
                        : insertMissing(directory, manifest, table, columns, id);
                long unpointed = manifest.repointFile() == null
                        ? 0
                        : unpoint(catalog, directory.resolve(manifest.repointFile()));
                connection.commit();
                log.info("Restored " + counts[0] + " row(s) into " + table.display() + ", skipped " + counts[1]
                        + " already present" + (unpointed > 0 ? ", set " + unpointed + " reference(s) back" : "")
                        + " from " + directory);
                return new RestoreResult(
                        table.display(), counts[0], counts[1], unpointed, manifest, directory, Duration.ZERO);
            } catch (SQLException | IOException | DatabaseException | BackupException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the server rolls back a broken connection's transaction itself
                }
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Restore into " + manifest.table() + " failed and was rolled back: " + firstLine(e.getMessage())
                            + ". Nothing was restored.",
                    e);
        } catch (IOException e) {
            throw new BackupException(
                    "Cannot read backup " + directory.toAbsolutePath() + ": " + e.getMessage()
                            + ". Nothing was restored.",
                    e);
        }
    }

    /** The table's columns in manifest order; any difference in names or types is an error naming the columns. */
    private static List<ColumnRef> matchColumns(SchemaCatalog catalog, TableRef table, BackupManifest manifest)
            throws DatabaseException {
        Map<String, ColumnRef> current = new TreeMap<>();
        for (ColumnRef column : catalog.columns(table)) {
            current.put(column.name(), column);
        }
        List<String> problems = new ArrayList<>();
        List<ColumnRef> result = new ArrayList<>();
        Set<String> inBackup = new HashSet<>();
        for (BackupManifest.Column column : manifest.columns()) {
            inBackup.add(column.name());
            ColumnRef now = current.get(column.name());
            if (now == null) {
                problems.add(
                        column.name() + " (" + column.typeName() + ") is in the backup but no longer in the table");
            } else if (now.jdbcType() != column.jdbcType() || !now.typeName().equalsIgnoreCase(column.typeName())) {
                problems.add(column.name() + " was " + column.typeName() + " and is now " + now.typeName());
            } else {
                result.add(now);
            }
        }
        for (ColumnRef column : current.values()) {
            if (!inBackup.contains(column.name())) {
                problems.add(column.name() + " (" + column.typeName() + ") is in the table but not in the backup");
            }
        }
        if (!problems.isEmpty()) {
            throw new DatabaseException(
                    "Cannot restore into " + table.display() + ": its columns changed since the"
                            + " backup was written:\n - " + String.join("\n - ", problems)
                            + "\nRestore into a table with the"
                            + " backup's columns (e.g. before the migration that changed them), then migrate. Nothing was restored.");
        }
        return result;
    }

    /**
     * A backup written by PostgreSQL's {@code COPY}: loaded with {@code COPY ... FROM} (which reads its own text
     * exactly) into a temporary table with the table's column types, then the rows whose id is absent are inserted
     * in one statement, so a second run skips them all.
     */
    private long[] copyMissing(
            Path directory,
            BackupManifest manifest,
            TableRef table,
            List<ColumnRef> columns,
            ColumnRef id,
            Dialect dialect)
            throws SQLException, IOException, DatabaseException, BackupException {
        if (dialect != Dialect.POSTGRESQL) {
            throw new DatabaseException("Backup " + directory.toAbsolutePath() + " was written by PostgreSQL's COPY"
                    + " (dataFormat " + BackupManifest.PG_COPY_CSV + ") and can only be restored into PostgreSQL."
                    + " Nothing was restored.");
        }
        Path data = directory.resolve(manifest.dataFile());
        try (Reader reader = Files.newBufferedReader(data, StandardCharsets.UTF_8);
                CSVParser parser = RowCsv.parser(reader)) {
            BackupCheck.header(directory, manifest, parser.getHeaderNames());
        }
        String temp = "ms_restore_rows";
        String list = columns.stream().map(ColumnRef::sql).collect(Collectors.joining(", "));
        long copied;
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE " + temp + " ON COMMIT DROP AS SELECT " + list + " FROM "
                    + table.sql() + " WITH NO DATA");
            PgCopy.canonicalText(connection);
            try (var in = new ProgressStream(
                    new BufferedInputStream(Files.newInputStream(data), 1 << 16),
                    new Progress(log, "restore: loading " + data.getFileName(), Files.size(data), "bytes"))) {
                copied = PgCopy.copyIn(connection, temp + " (" + list + ")", in);
            }
            if (copied != manifest.rowCount()) {
                throw new BackupException("Backup " + directory.toAbsolutePath() + " holds " + copied + " rows but its"
                        + " manifest says " + manifest.rowCount()
                        + ". Restore from an intact copy. Nothing was restored.");
            }
            // DISTINCT ON: a row that is twice in a backup (an online run whose batch commit the server lost in a
            // crash deletes and backs the row up again) goes back once
            long restored = statement.executeUpdate("INSERT INTO " + table.sql() + " (" + list + ") SELECT DISTINCT ON"
                    + " (r." + id.sql() + ") "
                    + columns.stream().map(c -> "r." + c.sql()).collect(Collectors.joining(", ")) + " FROM " + temp
                    + " r WHERE NOT EXISTS (SELECT 1 FROM " + table.sql() + " t WHERE t." + id.sql() + " = r."
                    + id.sql() + ")");
            statement.execute("DROP TABLE " + temp);
            return new long[] {restored, copied - restored};
        }
    }

    /** Inserts the rows whose id is absent, in chunks: one id lookup and one batch insert per chunk. */
    private long[] insertMissing(
            Path directory, BackupManifest manifest, TableRef table, List<ColumnRef> columns, ColumnRef id)
            throws SQLException, IOException, BackupException {
        int idIndex = columns.indexOf(id);
        String insert = "INSERT INTO " + table.sql() + " ("
                + columns.stream().map(ColumnRef::sql).collect(Collectors.joining(", ")) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        long restored = 0;
        long skipped = 0;
        long read = 0;
        try (Reader reader = Files.newBufferedReader(directory.resolve(manifest.dataFile()), StandardCharsets.UTF_8);
                CSVParser parser = RowCsv.parser(reader);
                PreparedStatement insertStatement = connection.prepareStatement(insert)) {
            BackupCheck.header(directory, manifest, parser.getHeaderNames());
            List<CSVRecord> chunk = new ArrayList<>(CHUNK);
            for (CSVRecord record : parser) {
                if (record.size() != columns.size()) {
                    throw new BackupException("Backup " + directory.toAbsolutePath() + ": line "
                            + record.getRecordNumber() + " of " + manifest.dataFile() + " has " + record.size()
                            + " values, expected " + columns.size() + ". Restore from an intact copy.");
                }
                chunk.add(record);
                read++;
                if (chunk.size() == CHUNK) {
                    long added = insertChunk(chunk, table, id, idIndex, columns, insertStatement);
                    restored += added;
                    skipped += chunk.size() - added;
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) {
                long added = insertChunk(chunk, table, id, idIndex, columns, insertStatement);
                restored += added;
                skipped += chunk.size() - added;
            }
        }
        if (read != manifest.rowCount()) {
            throw new BackupException(
                    "Backup " + directory.toAbsolutePath() + " holds " + read + " rows but its manifest" + " says "
                            + manifest.rowCount() + ". Restore from an intact copy. Nothing was restored.");
        }
        return new long[] {restored, skipped};
    }

    private long insertChunk(
            List<CSVRecord> chunk,
            TableRef table,
            ColumnRef id,
            int idIndex,
            List<ColumnRef> columns,
            PreparedStatement insert)
            throws SQLException {
        Set<String> present = new HashSet<>();
        String lookup = "SELECT " + id.sql() + " FROM " + table.sql() + " WHERE " + id.sql() + " IN ("
                + chunk.stream().map(r -> "?").collect(Collectors.joining(", ")) + ")";
        try (PreparedStatement statement = connection.prepareStatement(lookup)) {
            for (int i = 0; i < chunk.size(); i++) {
                ValueCodec.bind(statement, i + 1, id, chunk.get(i).get(idIndex));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    present.add(ValueCodec.read(rs, 1, id));
                }
            }
        }
        long added = 0;
        for (CSVRecord record : chunk) {
            if (present.contains(record.get(idIndex))) {
                continue;
            }
            for (int i = 0; i < columns.size(); i++) {
                ValueCodec.bind(insert, i + 1, columns.get(i), record.get(i));
            }
            insert.addBatch();
            added++;
        }
        if (added > 0) {
            insert.executeBatch();
        }
        return added;
    }

    /** Sets repointed references back to the deleted row they pointed at, where they still point at the kept row. */
    private long unpoint(SchemaCatalog catalog, Path file) throws SQLException, IOException, DatabaseException {
        long changed = 0;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = RowCsv.parser(reader)) {
            for (CSVRecord record : parser) {
                Dialect dialect = catalog.dialect();
                TableRef table = catalog.table(
                        (record.get("schema") == null ? "" : dialect.quote(record.get("schema")) + ".")
                                + dialect.quote(record.get("table")),
                        "backup");
                ColumnRef column = catalog.column(table, dialect.quote(record.get("column")), "backup");
                ColumnRef rowId = catalog.column(table, dialect.quote(record.get("row_id_column")), "backup");
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + table.sql() + " SET "
                        + column.sql() + " = ? WHERE " + rowId.sql() + " = ? AND " + column.sql() + " = ?")) {
                    ValueCodec.bind(update, 1, column, record.get("old_value"));
                    ValueCodec.bind(update, 2, rowId, record.get("row_id"));
                    ValueCodec.bind(update, 3, column, record.get("new_value"));
                    changed += update.executeUpdate();
                }
            }
        }
        return changed;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
