package io.github.migrationsafety.db;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code manifest.json} of a backup directory: what table the rows in {@code rows.csv} came from, with which
 * columns and types, how many rows, their SHA-256, and whether the change the backup protects was committed.
 *
 * <p>Status lifecycle of a {@code dedupe} backup: {@code pending} is written (durably) after the CSV is on disk
 * and before the delete runs; {@code complete} after the delete committed; {@code rolled-back} when the
 * delete failed and was rolled back. A crash between commit and the {@code complete} rewrite leaves
 * {@code pending} with a valid hash: the rows are then either all in the table or all in the backup, and
 * {@code restore} (insert what is missing by id) is right in both cases. A directory without manifest, or
 * whose hash does not match, is an incomplete backup and is refused.
 *
 * @param format       manifest format version, {@value #FORMAT}
 * @param kind         {@code dedupe} (rows deleted by dedupe) or {@code export} (backup goal)
 * @param status       {@code pending}, {@code complete} or {@code rolled-back}
 * @param table        table as displayed ({@code schema.name})
 * @param schema       stored schema name
 * @param tableName    stored table name
 * @param columns      every column of {@code rows.csv}, in file order
 * @param idColumn     the column rows are identified by on restore
 * @param keyColumns   dedupe key columns (empty for exports)
 * @param keepRule     dedupe keep rule (null for exports)
 * @param where        dedupe scope predicate, or null
 * @param dataFile     name of the rows file, {@code rows.csv}
 * @param rowCount     data rows in {@code dataFile}
 * @param sha256       lowercase hex SHA-256 of {@code dataFile}
 * @param repointFile  name of the repoint log ({@code repoints.csv}) or null
 * @param repointCount rows in the repoint log
 * @param repointSha256 SHA-256 of the repoint log, or null
 * @param createdAt    ISO-8601 instant the backup was started
 * @param completedAt  ISO-8601 instant the status last changed
 * @param dataFormat   how values are written in {@code dataFile}: {@code null} for format {@value #FORMAT}
 *                     ({@link ValueCodec} text, restored value by value over JDBC), {@value #PG_COPY_CSV} for format
 *                     {@value #FORMAT_COPY} (PostgreSQL's {@code COPY ... CSV FORCE_QUOTE *} text, restored with
 *                     {@code COPY ... FROM}); the format number changes with it so older versions refuse the file
 *                     instead of misreading {@code t}/{@code f} or {@code \x} bytea
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupManifest(int format, String kind, String status, String table, String schema, String tableName,
        List<Column> columns, String idColumn, List<String> keyColumns, String keepRule, String where,
        String dataFile, long rowCount, String sha256, String repointFile, long repointCount, String repointSha256,
        String createdAt, String completedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String dataFormat) {

    public static final int FORMAT = 1;
    public static final int FORMAT_COPY = 2;
    public static final String PG_COPY_CSV = "postgresql-copy-csv";
    public static final String FILE = "manifest.json";
    public static final String ROWS = "rows.csv";
    public static final String REPOINTS = "repoints.csv";
    public static final String PENDING = "pending";
    public static final String COMPLETE = "complete";
    public static final String ROLLED_BACK = "rolled-back";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One column as the backup stored it. */
    public record Column(String name, int jdbcType, String typeName) {
        public static Column of(ColumnRef ref) {
            return new Column(ref.name(), ref.jdbcType(), ref.typeName());
        }
    }

    public BackupManifest withStatus(String newStatus, String at) {
        return new BackupManifest(format, kind, newStatus, table, schema, tableName, columns, idColumn, keyColumns,
                keepRule, where, dataFile, rowCount, sha256, repointFile, repointCount, repointSha256, createdAt, at, dataFormat);
    }

    /** Whether {@code dataFile} holds PostgreSQL {@code COPY} text rather than {@link ValueCodec} text. */
    public boolean isPostgresCopy() {
        return format == FORMAT_COPY && PG_COPY_CSV.equals(dataFormat);
    }

    /** Writes {@code manifest.json} durably (temporary file, fsync, atomic rename, directory fsync). */
    public void write(Path directory) throws IOException {
        HashingFile.writeDurably(directory.resolve(FILE), JSON.writeValueAsString(this) + "\n");
    }

    public static BackupManifest read(Path directory) throws IOException {
        return JSON.readValue(directory.resolve(FILE).toFile(), BackupManifest.class);
    }

    public static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve(FILE));
    }
}
