package io.github.migrationsafety.backup;

import io.github.migrationsafety.backup.BackupManifest.Column;
import io.github.migrationsafety.backup.BackupManifest.Kind;
import io.github.migrationsafety.backup.BackupManifest.Status;
import io.github.migrationsafety.report.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@link BackupManifest} to and from the JSON of {@code manifest.json}, key for key as every version wrote it. */
final class ManifestJson {

    private ManifestJson() {}

    /** Every component in declaration order, nulls included, except {@code dataFormat}, which format 1 lacks. */
    static Map<String, Object> toJson(BackupManifest m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", m.format());
        json.put("kind", m.kind() == null ? null : m.kind().text());
        json.put("status", m.status() == null ? null : m.status().text());
        json.put("table", m.table());
        json.put("schema", m.schema());
        json.put("tableName", m.tableName());
        List<Map<String, Object>> columnList = null;
        if (m.columns() != null) {
            columnList = new ArrayList<>();
            for (Column column : m.columns()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", column.name());
                entry.put("jdbcType", column.jdbcType());
                entry.put("typeName", column.typeName());
                columnList.add(entry);
            }
        }
        json.put("columns", columnList);
        json.put("idColumn", m.idColumn());
        json.put("keyColumns", m.keyColumns());
        json.put("keepRule", m.keepRule());
        json.put("where", m.where());
        json.put("dataFile", m.dataFile());
        json.put("rowCount", m.rowCount());
        json.put("sha256", m.sha256());
        json.put("repointFile", m.repointFile());
        json.put("repointCount", m.repointCount());
        json.put("repointSha256", m.repointSha256());
        json.put("createdAt", m.createdAt());
        json.put("completedAt", m.completedAt());
        if (m.dataFormat() != null) {
            json.put("dataFormat", m.dataFormat());
        }
        if (m.online() != null) {
            json.put("online", OnlineStateJson.toJson(m.online()));
        }
        return json;
    }

    /** Reads a {@code manifest.json}; unknown keys are ignored and missing ones read as null or 0. */
    static BackupManifest read(Path file) throws IOException {
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
        return BackupManifest.builder()
                .format((int) fields.number("format"))
                .kind(fields.choice("kind", Kind.values(), Kind::text))
                .status(fields.choice("status", Status.values(), Status::text))
                .table(fields.text("table"))
                .schema(fields.text("schema"))
                .tableName(fields.text("tableName"))
                .columns(columns)
                .idColumn(fields.text("idColumn"))
                .keyColumns(keyColumns)
                .keepRule(fields.text("keepRule"))
                .where(fields.text("where"))
                .dataFile(fields.text("dataFile"))
                .rowCount(fields.number("rowCount"))
                .sha256(fields.text("sha256"))
                .repointFile(fields.text("repointFile"))
                .repointCount(fields.number("repointCount"))
                .repointSha256(fields.text("repointSha256"))
                .createdAt(fields.text("createdAt"))
                .completedAt(fields.text("completedAt"))
                .dataFormat(fields.text("dataFormat"))
                .online(online(file, json))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static OnlineState online(Path file, Map<String, Object> json) throws IOException {
        if (!(json.get("online") instanceof Map<?, ?> online)) {
            return null;
        }
        try {
            return OnlineStateJson.fromJson((Map<String, Object>) online);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": 'online' is damaged (" + e.getMessage() + ")", e);
        }
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

        /** The constant spelled as the value of {@code key}, or null when the key is missing. */
        <E extends Enum<E>> E choice(String key, E[] constants, Function<E, String> spelling) throws IOException {
            String value = text(key);
            if (value == null) {
                return null;
            }
            for (E constant : constants) {
                if (spelling.apply(constant).equals(value)) {
                    return constant;
                }
            }
            throw wrongType(
                    key, "one of " + Arrays.stream(constants).map(spelling).collect(Collectors.joining(", ")));
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
}
