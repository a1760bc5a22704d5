package io.github.migrationsafety.backup;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.TableRef;
import io.github.migrationsafety.db.ValueCodec;
import io.github.migrationsafety.report.Json;
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
 * <p>Build one by name with {@link #builder()} (the components are many and several share a type); the JSON keeps
 * the component order below, so a manifest is written byte for byte as earlier versions wrote it.
 *
 * @param format       manifest format version, {@value #FORMAT}
 * @param kind         {@link Kind#DEDUPE} (rows deleted by dedupe) or {@link Kind#EXPORT} (backup goal)
 * @param status       {@code pending}, {@code complete} or {@code rolled-back} ({@link Status})
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
 * @param online       the journal of an online (batched) dedupe, or null: see {@link OnlineState}
 */
public record BackupManifest(
        int format,
        Kind kind,
        Status status,
        String table,
        String schema,
        String tableName,
        List<Column> columns,
        String idColumn,
        List<String> keyColumns,
        String keepRule,
        String where,
        String dataFile,
        long rowCount,
        String sha256,
        String repointFile,
        long repointCount,
        String repointSha256,
        String createdAt,
        String completedAt,
        String dataFormat,
        OnlineState online) {

    public static final int FORMAT = 1;
    public static final int FORMAT_COPY = 2;
    public static final String PG_COPY_CSV = "postgresql-copy-csv";
    public static final String FILE = "manifest.json";
    public static final String ROWS = "rows.csv";
    public static final String REPOINTS = "repoints.csv";

    /** What wrote the backup; {@link #text()} is how the manifest spells it. */
    public enum Kind {
        /** rows deleted by {@code dedupe} */
        DEDUPE("dedupe"),
        /** a table exported by the {@code backup} goal */
        EXPORT("export");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** Whether the change the backup protects was committed; {@link #text()} is how the manifest spells it. */
    public enum Status {
        /** written before the delete; the commit is not known to have happened */
        PENDING("pending"),
        /** the delete committed (or, for an export, the export is finished) */
        COMPLETE("complete"),
        /** the delete failed and was rolled back */
        ROLLED_BACK("rolled-back"),
        /**
         * an online dedupe is deleting in batches: the backup holds exactly the rows of its committed batches, and
         * a later run resumes it
         */
        IN_PROGRESS("in-progress");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One column as the backup stored it. */
    public record Column(String name, int jdbcType, String typeName) {
        public static Column of(ColumnRef ref) {
            return new Column(ref.name(), ref.jdbcType(), ref.typeName());
        }
    }

    /** A manifest built by name: every component starts null (or 0), as a missing key reads. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every component of this manifest. */
    public Builder toBuilder() {
        return new Builder()
                .format(format)
                .kind(kind)
                .status(status)
                .table(table)
                .schema(schema)
                .tableName(tableName)
                .columns(columns)
                .idColumn(idColumn)
                .keyColumns(keyColumns)
                .keepRule(keepRule)
                .where(where)
                .dataFile(dataFile)
                .rowCount(rowCount)
                .sha256(sha256)
                .repointFile(repointFile)
                .repointCount(repointCount)
                .repointSha256(repointSha256)
                .createdAt(createdAt)
                .completedAt(completedAt)
                .dataFormat(dataFormat)
                .online(online);
    }

    /** Sets every component of a manifest by name; see {@link BackupManifest} for what each means. */
    public static final class Builder {
        private int format;
        private Kind kind;
        private Status status;
        private String table;
        private String schema;
        private String tableName;
        private List<Column> columns;
        private String idColumn;
        private List<String> keyColumns;
        private String keepRule;
        private String where;
        private String dataFile;
        private long rowCount;
        private String sha256;
        private String repointFile;
        private long repointCount;
        private String repointSha256;
        private String createdAt;
        private String completedAt;
        private String dataFormat;
        private OnlineState online;

        private Builder() {}

        public Builder format(int value) {
            format = value;
            return this;
        }

        public Builder kind(Kind value) {
            kind = value;
            return this;
        }

        public Builder status(Status value) {
            status = value;
            return this;
        }

        public Builder table(String value) {
            table = value;
            return this;
        }

        public Builder schema(String value) {
            schema = value;
            return this;
        }

        public Builder tableName(String value) {
            tableName = value;
            return this;
        }

        /** {@code table}, {@code schema} and {@code tableName} of a table the catalog found. */
        public Builder table(TableRef value) {
            return table(value.display()).schema(value.schema()).tableName(value.name());
        }

        public Builder columns(List<Column> value) {
            columns = value;
            return this;
        }

        public Builder idColumn(String value) {
            idColumn = value;
            return this;
        }

        public Builder keyColumns(List<String> value) {
            keyColumns = value;
            return this;
        }

        public Builder keepRule(String value) {
            keepRule = value;
            return this;
        }

        public Builder where(String value) {
            where = value;
            return this;
        }

        public Builder dataFile(String value) {
            dataFile = value;
            return this;
        }

        public Builder rowCount(long value) {
            rowCount = value;
            return this;
        }

        public Builder sha256(String value) {
            sha256 = value;
            return this;
        }

        public Builder repointFile(String value) {
            repointFile = value;
            return this;
        }

        public Builder repointCount(long value) {
            repointCount = value;
            return this;
        }

        public Builder repointSha256(String value) {
            repointSha256 = value;
            return this;
        }

        public Builder createdAt(String value) {
            createdAt = value;
            return this;
        }

        public Builder completedAt(String value) {
            completedAt = value;
            return this;
        }

        public Builder dataFormat(String value) {
            dataFormat = value;
            return this;
        }

        public Builder online(OnlineState value) {
            online = value;
            return this;
        }

        public BackupManifest build() {
            return new BackupManifest(
                    format,
                    kind,
                    status,
                    table,
                    schema,
                    tableName,
                    columns,
                    idColumn,
                    keyColumns,
                    keepRule,
                    where,
                    dataFile,
                    rowCount,
                    sha256,
                    repointFile,
                    repointCount,
                    repointSha256,
                    createdAt,
                    completedAt,
                    dataFormat,
                    online);
        }
    }

    public BackupManifest withStatus(Status newStatus, String at) {
        return toBuilder().status(newStatus).completedAt(at).build();
    }

    /** Whether {@code dataFile} holds PostgreSQL {@code COPY} text rather than {@link ValueCodec} text. */
    public boolean isPostgresCopy() {
        return format == FORMAT_COPY && PG_COPY_CSV.equals(dataFormat);
    }

    /** Writes {@code manifest.json} durably (temporary file, fsync, atomic rename, directory fsync). */
    public void write(Path directory) throws IOException {
        HashingFile.writeDurably(directory.resolve(FILE), Json.pretty(ManifestJson.toJson(this)) + "\n");
    }

    /** Reads {@code manifest.json}; unknown keys are ignored and missing ones read as null or 0. */
    public static BackupManifest read(Path directory) throws IOException {
        return ManifestJson.read(directory.resolve(FILE));
    }

    public static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve(FILE));
    }
}
