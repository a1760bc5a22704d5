package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.backup.BackupWriter;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.RowCsv;
import io.github.migrationsafety.db.ValueCodec;
import io.github.migrationsafety.report.EngineLog;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes the report CSV (group, key columns, id, action, the other columns) of the ranked rows, which arrive in
 * group and rank order, and counts groups, rows and deletes and keeps the largest groups on the way. The rows come
 * either from a JDBC result set or, on PostgreSQL, from {@code COPY}; both go through one header and one tally.
 * The report is written to a temporary file and moved into place when complete.
 */
final class DedupeReport {

    private final Connection connection;
    private final EngineLog log;
    private final DedupeTarget target;
    private final Path reportFile;

    DedupeReport(Connection connection, EngineLog log, DedupeTarget target, Path reportFile) {
        this.connection = connection;
        this.log = log;
        this.target = target;
        this.reportFile = reportFile;
    }

    /** Report header: group, key columns, id, action, the other columns. */
    static List<String> header(DedupeTarget target) {
        List<String> header = new ArrayList<>();
        header.add("group");
        target.keys().forEach(k -> header.add(k.name()));
        header.add(target.id().name());
        header.add("action");
        target.others().forEach(o -> header.add(o.name()));
        return header;
    }

    /** For each table column in table order, its field index in a report record. */
    static int[] tableOrderInReport(DedupeTarget target) {
        List<ColumnRef> columns = target.columns();
        List<ColumnRef> others = target.others();
        int keyCount = target.keys().size();
        int[] fields = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            ColumnRef column = columns.get(i);
            int key = -1;
            for (int k = 0; k < keyCount; k++) {
                if (target.keys().get(k).name().equals(column.name())) {
                    key = k;
                }
            }
            if (key >= 0) {
                fields[i] = 1 + key;
            } else if (column.name().equals(target.id().name())) {
                fields[i] = 1 + keyCount;
            } else {
                fields[i] = keyCount + 3 + others.indexOf(column);
            }
        }
        return fields;
    }

    /** Switches {@link DedupeSql#preferIndexLookups} on or off in the current transaction. */
    static void preferIndexLookups(Connection connection, DedupeTarget target, boolean prefer) throws SQLException {
        List<String> settings = DedupeSql.preferIndexLookups(target, prefer);
        if (settings.isEmpty()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (String setting : settings) {
                statement.execute(setting);
            }
        }
    }

    /**
     * Over JDBC: runs {@code select}, whose columns are the table's columns in table order followed by
     * {@code ms_group} and {@code ms_rank}, forward-only with {@code fetchSize}. With {@code backup}, the rows to
     * delete (table columns only) are also printed into its {@code rows.csv}; {@code listener}, when given, hears
     * every record.
     */
    DedupeEngine.Streamed fromRows(String select, int fetchSize, BackupWriter.Directory backup, RecordListener listener)
            throws SQLException, IOException {
        if (backup != null) {
            return backup.rows(tableHeader(), csv -> fromRows(select, fetchSize, csv, listener));
        }
        return fromRows(select, fetchSize, (CSVPrinter) null, listener);
    }

    private DedupeEngine.Streamed fromRows(String select, int fetchSize, CSVPrinter backup, RecordListener listener)
            throws SQLException, IOException {
        try (PreparedStatement statement =
                connection.prepareStatement(select, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(fetchSize);
            try (ResultSet rs = statement.executeQuery()) {
                return write((temp, tally) -> rows(rs, temp, tally, backup, listener));
            }
        }
    }

    /** The backup's header: the table's columns in table order. */
    private List<String> tableHeader() {
        return target.columns().stream().map(ColumnRef::name).toList();
    }

    private void rows(ResultSet rs, Path temp, ReportTally tally, CSVPrinter backup, RecordListener listener)
            throws SQLException, IOException {
        List<ColumnRef> columns = target.columns();
        int idIndex = target.indexOf(target.id());
        int[] keyIndexes = target.keys().stream().mapToInt(target::indexOf).toArray();
        int[] otherIndexes = target.others().stream().mapToInt(target::indexOf).toArray();
        int groupColumn = rs.findColumn("ms_group");
        int rankColumn = rs.findColumn("ms_rank");
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
                CSVPrinter report = RowCsv.printer(writer)) {
            report.printRecord(header(target));
            String[] values = new String[columns.size()];
            String[] line = new String[2 + keyIndexes.length + 1 + otherIndexes.length];
            while (rs.next()) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = ValueCodec.read(rs, i + 1, columns.get(i));
                }
                long group = rs.getLong(groupColumn);
                boolean keep = rs.getLong(rankColumn) == 1;
                int n = 0;
                line[n++] = Long.toString(group);
                for (int k : keyIndexes) {
                    line[n++] = values[k];
                }
                line[n++] = values[idIndex];
                line[n++] = keep ? "KEEP" : "DELETE";
                for (int o : otherIndexes) {
                    line[n++] = values[o];
                }
                report.printRecord((Object[]) line);
                if (!keep && backup != null) {
                    backup.printRecord((Object[]) values);
                }
                tally.row(
                        group,
                        () -> Arrays.asList(Arrays.copyOfRange(line, 1, 1 + keyIndexes.length)),
                        values[idIndex],
                        keep);
                if (listener != null) {
                    listener.record(values[idIndex], keep);
                }
            }
        }
    }

    /** Hears the id and action of each report record, in group and rank order (the kept row first). */
    interface RecordListener {
        void record(String id, boolean keep) throws IOException;
    }

    /**
     * PostgreSQL: writes the report with {@code COPY (select) TO STDOUT}, {@code select} giving the report's
     * columns ({@link DedupeSql#reportColumns}) ordered by group and rank, and counts from the first fields of each
     * record on the way to the file; index lookups are preferred for the statement. See {@link #fromFeed}.
     */
    DedupeEngine.Streamed fromCopy(String select, BackupWriter.Directory backup, RecordListener listener)
            throws SQLException, IOException {
        preferIndexLookups(connection, target, true);
        DedupeEngine.Streamed streamed =
                fromFeed(scanner -> PgCopy.copyOut(connection, select, scanner), backup, listener);
        preferIndexLookups(connection, target, false);
        return streamed;
    }

    /** Writes report records, as {@code COPY} sends them, to the report's scanner; returns how many. */
    interface Feed {
        long feed(CsvFieldScanner scanner) throws SQLException, IOException;
    }

    /**
     * PostgreSQL: writes the report from what {@code feed} writes to the report's scanner, report records in group
     * and rank order as {@code COPY (SELECT reportColumns ...) TO STDOUT} writes them, and counts from their first
     * fields; {@code listener}, when given, hears every record. With {@code backup}, the DELETE rows also go into its
     * {@code rows.csv} from the same stream, as the table's columns in table order: the rows are read once for both
     * files. The caller has set {@link PgCopy#canonicalText}.
     */
    DedupeEngine.Streamed fromFeed(Feed feed, BackupWriter.Directory backup, RecordListener listener)
            throws SQLException, IOException {
        if (backup != null) {
            return backup.copyRows(tableHeader(), out -> fromFeed(feed, out, listener));
        }
        return fromFeed(feed, (OutputStream) null, listener);
    }

    private DedupeEngine.Streamed fromFeed(Feed feed, OutputStream backup, RecordListener listener)
            throws SQLException, IOException {
        return write((temp, tally) -> {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                file.write(RowCsv.line(header(target)).getBytes(StandardCharsets.UTF_8));
                CsvFieldScanner scanner = reportScanner(file, tally, backup, listener);
                long fed = feed.feed(scanner);
                if (!scanner.complete() || fed != tally.rows()) {
                    throw new SQLException("COPY sent " + fed + " rows but the report holds " + tally.rows());
                }
            }
        });
    }

    /**
     * Passes report records on to {@code file}, counting each in {@code tally} from its first fields; with {@code
     * backup}, DELETE records also go there in table column order; {@code listener}, when given, hears every record.
     */
    private CsvFieldScanner reportScanner(
            OutputStream file, ReportTally tally, OutputStream backup, RecordListener listener) {
        int keyCount = target.keys().size();
        int idField = keyCount + 1;
        int[] backupFields = backup == null ? null : tableOrderInReport(target);
        byte[][] line = {new byte[1 << 10]};
        // only what the counts need is decoded: the group number, the action, the id, and the keys of a new group
        return new CsvFieldScanner(file, 0, (fields, raw) -> {
                    boolean keep = raw.is(keyCount + 2, QUOTED_KEEP);
                    String id = raw.text(idField);
                    tally.row(raw.number(0), () -> keys(raw, keyCount), id, keep);
                    if (listener != null) {
                        listener.record(id, keep);
                    }
                    if (backup != null && !keep) {
                        int length = backupFields.length;
                        for (int field : backupFields) {
                            length += raw.length(field);
                        }
                        if (line[0].length < length) {
                            line[0] = new byte[Math.max(length, 2 * line[0].length)];
                        }
                        int at = 0;
                        for (int i = 0; i < backupFields.length; i++) {
                            at = raw.copy(backupFields[i], line[0], at);
                            line[0][at++] = (byte) (i == backupFields.length - 1 ? '\n' : ',');
                        }
                        backup.write(line[0], 0, at);
                    }
                })
                .withRawFields();
    }

    private static final byte[] QUOTED_KEEP = "\"KEEP\"".getBytes(StandardCharsets.US_ASCII);

    private static List<String> keys(CsvFieldScanner.RawFields raw, int keyCount) throws IOException {
        List<String> keys = new ArrayList<>(keyCount);
        for (int k = 1; k <= keyCount; k++) {
            keys.add(raw.text(k));
        }
        return keys;
    }

    private interface Body {
        void write(Path temp, ReportTally tally) throws SQLException, IOException;
    }

    private DedupeEngine.Streamed write(Body body) throws SQLException, IOException {
        Files.createDirectories(reportFile.toAbsolutePath().getParent());
        Path temp = reportFile.resolveSibling(reportFile.getFileName() + ".tmp");
        ReportTally tally = new ReportTally(log);
        body.write(temp, tally);
        Files.move(temp, reportFile, StandardCopyOption.REPLACE_EXISTING);
        return tally.finish();
    }
}
