package io.github.migrationsafety.backup;

import io.github.migrationsafety.db.RowCsv;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes backup directories in the one format {@link RestoreEngine} reads, for the {@code backup} goal's export and
 * for the rows {@code dedupe} deletes: a root directory checked to be writable, one new directory
 * {@code <table>-<timestamp>} per backup, {@value BackupManifest#ROWS} (and {@value BackupManifest#REPOINTS} when
 * references were moved) hashed and forced to disk as they are written, the directory forced, then
 * {@value BackupManifest#FILE} written durably last, so a directory without a manifest is an unfinished backup.
 */
public final class BackupWriter {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path root;

    private BackupWriter(Path root) {
        this.root = root;
    }

    /** Creates {@code root} (and its parents) if needed and checks that a file can be created in it. */
    public static BackupWriter open(Path root) throws IOException {
        Files.createDirectories(root);
        Files.delete(Files.createTempFile(root, ".write-check", ".tmp"));
        return new BackupWriter(root);
    }

    /** The start of the message when {@link #open} failed: the parameter, the directory and why, without a period. */
    public static String cannotWrite(Path root, IOException e) {
        return "Parameter 'backupDirectory': cannot write to " + root.toAbsolutePath() + " ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }

    /** The time stamp in backup names, UTC to the millisecond: {@code 20261201T150538.123Z}. */
    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** A new, empty directory {@code <tableName>-<timestamp(stamp)>} under the root; its backup starts now. */
    public Directory create(String tableName, Instant stamp) throws IOException {
        return new Directory(Files.createDirectory(root.resolve(tableName + "-" + timestamp(stamp))), Instant.now());
    }

    /** What writes the records of a backup file into {@code sink}, returning what the caller needs back. */
    @FunctionalInterface
    public interface Body<S, T> {
        T write(S sink) throws IOException, SQLException;
    }

    /** One backup directory being written: its files first, its manifest last. */
    public static final class Directory {

        private final Path path;
        private final Instant started;
        private String rowsHash;
        private boolean postgresCopy;
        private String repointHash;
        private long repointCount;

        private Directory(Path path, Instant started) {
            this.path = path;
            this.started = started;
        }

        public Path path() {
            return path;
        }

        /** {@value BackupManifest#ROWS}: a header of the column names, then the records {@code body} prints. */
        public <T> T rows(List<String> header, Body<CSVPrinter, T> body) throws IOException, SQLException {
            try (HashingFile file = new HashingFile(path.resolve(BackupManifest.ROWS));
                    CSVPrinter csv = RowCsv.printer(file.writer())) {
                csv.printRecord(header);
                T result = body.write(csv);
                csv.flush();
                rowsHash = file.finish();
                return result;
            }
        }

        /**
         * {@value BackupManifest#ROWS} as PostgreSQL's {@code COPY ... CSV} text: the header of the column names in
         * the same CSV dialect, then the bytes {@code body} streams; the manifest then says format
         * {@value BackupManifest#FORMAT_COPY}.
         */
        public <T> T copyRows(List<String> header, Body<OutputStream, T> body) throws IOException, SQLException {
            try (HashingFile file = new HashingFile(path.resolve(BackupManifest.ROWS))) {
                file.stream().write(RowCsv.line(header).getBytes(StandardCharsets.UTF_8));
                T result = body.write(file.stream());
                rowsHash = file.finish();
                postgresCopy = true;
                return result;
            }
        }

        /**
         * {@value BackupManifest#REPOINTS}, the log of references moved to a kept row that restore sets back: one
         * record per referencing row (schema, table, column, row_id_column, row_id, old_value, new_value);
         * {@code body} returns how many it printed.
         */
        public long repoints(Body<CSVPrinter, Long> body) throws IOException, SQLException {
            try (HashingFile file = new HashingFile(path.resolve(BackupManifest.REPOINTS));
                    CSVPrinter csv = RowCsv.printer(file.writer())) {
                csv.printRecord("schema", "table", "column", "row_id_column", "row_id", "old_value", "new_value");
                repointCount = body.write(csv);
                csv.flush();
                repointHash = file.finish();
                return repointCount;
            }
        }

        /**
         * Forces the directory, then writes {@value BackupManifest#FILE} durably: what {@code manifest} says about
         * the table and the rows (kind, status, table, columns, id, keys, row count), completed with what this
         * directory wrote (format, files, hashes, times).
         */
        public BackupManifest writeManifest(BackupManifest.Builder manifest) throws IOException {
            HashingFile.forceDirectory(path);
            BackupManifest written = manifest.format(postgresCopy ? BackupManifest.FORMAT_COPY : BackupManifest.FORMAT)
                    .dataFile(BackupManifest.ROWS)
                    .sha256(rowsHash)
                    .repointFile(repointHash == null ? null : BackupManifest.REPOINTS)
                    .repointCount(repointCount)
                    .repointSha256(repointHash)
                    .createdAt(started.toString())
                    .completedAt(Instant.now().toString())
                    .dataFormat(postgresCopy ? BackupManifest.PG_COPY_CSV : null)
                    .build();
            written.write(path);
            return written;
        }
    }
}
