package io.github.migrationsafety.backup;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.ValueCodec;
import io.github.migrationsafety.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
public record BackupManifest(int format, String kind, String status, String table, String schema, String tableName,
        List<Column> columns, String idColumn, List<String> keyColumns, String keepRule, String where,
        String dataFile, long rowCount, String sha256, String repointFile, long repointCount, String repointSha256,
        String createdAt, String completedAt,
        String dataFormat) {

    public static final int FORMAT = 1;
    public static final int FORMAT_COPY = 2;
    public static final String PG_COPY_CSV = "postgresql-copy-csv";
    public static final String FILE = "manifest.json";
    public static final String ROWS = "rows.csv";
    public static final String REPOINTS = "repoints.csv";
    public static final String PENDING = "pending";
    public static final String COMPLETE = "complete";
    public static final String ROLLED_BACK = "rolled-back";

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
        HashingFile.writeDurably(directory.resolve(FILE), Json.pretty(toJson()) + "\n");
    }

    /** Every component in declaration order, nulls included, except {@code dataFormat}, which format 1 lacks. */
    private Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", format);
        json.put("kind", kind);
        json.put("status", status);
        json.put("table", table);
        json.put("schema", schema);
        json.put("tableName", tableName);
        List<Map<String, Object>> columnList = null;
        if (columns != null) {
            columnList = new ArrayList<>();
            for (Column column : columns) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", column.name());
                entry.put("jdbcType", column.jdbcType());
                entry.put("typeName", column.typeName());
                columnList.add(entry);
            }
        }
        json.put("columns", columnList);
        json.put("idColumn", idColumn);
        json.put("keyColumns", keyColumns);
        json.put("keepRule", keepRule);
        json.put("where", where);
        json.put("dataFile", dataFile);
        json.put("rowCount", rowCount);
        json.put("sha256", sha256);
        json.put("repointFile", repointFile);
        json.put("repointCount", repointCount);
        json.put("repointSha256", repointSha256);
        json.put("createdAt", createdAt);
        json.put("completedAt", completedAt);
        if (dataFormat != null) {
            json.put("dataFormat", dataFormat);
        }
        return json;
    }

    /** Reads {@code manifest.json}; unknown keys are ignored and missing ones read as null or 0. */
    public static BackupManifest read(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        Map<String, Object> json = Json.readObject(file);
        ManifestFields fields = new ManifestFields(file, json);
        List<Column> columns = null;
        if (json.get("columns") != null) {
            columns = new ArrayList<>();
            for (Object item : fields.list("columns")) {
                if (!(item instanceof Map<?, ?> map)) {
                    throw fields.wrongType("columns", "an array of objects");
                }
                @SuppressWarnings("unchecked")
                ManifestFields column = new ManifestFields(file, (Map<String, Object>) map);
                columns.add(new Column(column.text("name"), (int) column.number("jdbcType"), column.text("typeName")));
            }
        }
        List<String> keyColumns = null;
        if (json.get("keyColumns") != null) {
            keyColumns = new ArrayList<>();
            for (Object item : fields.list("keyColumns")) {
                if (!(item instanceof String name)) {
                    throw fields.wrongType("keyColumns", "an array of strings");
                }
                keyColumns.add(name);
            }
        }
        return new BackupManifest((int) fields.number("format"), fields.text("kind"), fields.text("status"),
                fields.text("table"), fields.text("schema"), fields.text("tableName"), columns, fields.text("idColumn"),
                keyColumns, fields.text("keepRule"), fields.text("where"), fields.text("dataFile"),
                fields.number("rowCount"), fields.text("sha256"), fields.text("repointFile"),
                fields.number("repointCount"), fields.text("repointSha256"), fields.text("createdAt"),
                fields.text("completedAt"), fields.text("dataFormat"));
    }

    /** Typed reads of one JSON object of the manifest, naming the file and key when a value has the wrong type. */
    private record ManifestFields(Path file, Map<String, Object> json) {

        String text(String key) throws IOException {
            Object value = json.get(key);
            if (value == null || value instanceof String) {
                return (String) value;
            }
            throw wrongType(key, "a string");
        }

        long number(String key) throws IOException {
            Object value = json.get(key);
            if (value == null) {
                return 0;
            }
            if (value instanceof Integer || value instanceof Long) {
                return ((Number) value).longValue();
            }
            throw wrongType(key, "an integer");
        }

        List<?> list(String key) throws IOException {
            if (json.get(key) instanceof List<?> list) {
                return list;
            }
            throw wrongType(key, "an array");
        }

        IOException wrongType(String key, String expected) {
            return new IOException(file + ": '" + key + "' must be " + expected);
        }
    }

    public static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve(FILE));
    }
}
