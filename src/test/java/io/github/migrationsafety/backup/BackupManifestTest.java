package io.github.migrationsafety.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupManifestTest {

    private static final BackupManifest COPY = BackupManifest.builder()
            .format(2)
            .kind(BackupManifest.Kind.DEDUPE)
            .status(BackupManifest.Status.PENDING)
            .table("public.model_metadata")
            .schema("public")
            .tableName("model_metadata")
            .columns(List.of(
                    new BackupManifest.Column("id", 4, "INTEGER"), new BackupManifest.Column("name", 12, "VARCHAR")))
            .idColumn("id")
            .keyColumns(List.of("name", "version"))
            .keepRule("lowest-id")
            .dataFile("rows.csv")
            .rowCount(3)
            .sha256("ab")
            .createdAt("2026-11-25T10:00:00Z")
            .completedAt("2026-11-25T10:00:01Z")
            .dataFormat(BackupManifest.PG_COPY_CSV)
            .build();

    private static final BackupManifest EXPORT = BackupManifest.builder()
            .format(1)
            .kind(BackupManifest.Kind.EXPORT)
            .status(BackupManifest.Status.COMPLETE)
            .table("t")
            .tableName("t")
            .columns(List.of())
            .idColumn("id")
            .keyColumns(List.of())
            .dataFile("rows.csv")
            .sha256("cd")
            .createdAt("x")
            .completedAt("y")
            .build();

    /** As version 0.1.0 wrote it (with Jackson's data binding, which also wrote the derived "postgresCopy"). */
    private static final String COPY_AS_WRITTEN_BY_0_1_0 = """
            {
              "format" : 2,
              "kind" : "dedupe",
              "status" : "pending",
              "table" : "public.model_metadata",
              "schema" : "public",
              "tableName" : "model_metadata",
              "columns" : [ {
                "name" : "id",
                "jdbcType" : 4,
                "typeName" : "INTEGER"
              }, {
                "name" : "name",
                "jdbcType" : 12,
                "typeName" : "VARCHAR"
              } ],
              "idColumn" : "id",
              "keyColumns" : [ "name", "version" ],
              "keepRule" : "lowest-id",
              "where" : null,
              "dataFile" : "rows.csv",
              "rowCount" : 3,
              "sha256" : "ab",
              "repointFile" : null,
              "repointCount" : 0,
              "repointSha256" : null,
              "createdAt" : "2026-11-25T10:00:00Z",
              "completedAt" : "2026-11-25T10:00:01Z",
              "dataFormat" : "postgresql-copy-csv",
              "postgresCopy" : true
            }
            """;

    @Test
    void writesTheSameTextAsBeforeWithoutTheDerivedFlag(@TempDir Path dir) throws IOException {
        COPY.write(dir);
        assertEquals(
                COPY_AS_WRITTEN_BY_0_1_0.replace(",\n  \"postgresCopy\" : true", ""),
                Files.readString(dir.resolve(BackupManifest.FILE)));
    }

    @Test
    void readsManifestsOfEarlierVersionsAndRoundTrips(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(BackupManifest.FILE), COPY_AS_WRITTEN_BY_0_1_0);
        assertEquals(COPY, BackupManifest.read(dir));
        assertTrue(BackupManifest.read(dir).isPostgresCopy());

        EXPORT.write(dir);
        String text = Files.readString(dir.resolve(BackupManifest.FILE));
        assertFalse(text.contains("dataFormat"), "format 1 has no dataFormat: " + text);
        assertEquals(EXPORT, BackupManifest.read(dir));
    }

    @Test
    void missingKeysReadAsNullOrZeroAndWrongTypesNameTheKey(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(BackupManifest.FILE), "{\"format\": 1, \"kind\": \"export\", \"extra\": [1]}");
        BackupManifest sparse = BackupManifest.read(dir);
        assertEquals(1, sparse.format());
        assertEquals(0, sparse.rowCount());
        assertEquals(null, sparse.sha256());
        assertEquals(null, sparse.columns());

        Files.writeString(dir.resolve(BackupManifest.FILE), "{\"format\": 1, \"rowCount\": \"3\"}");
        IOException e = assertThrows(IOException.class, () -> BackupManifest.read(dir));
        assertEquals(dir.resolve(BackupManifest.FILE) + ": 'rowCount' must be an integer", e.getMessage());

        Files.writeString(dir.resolve(BackupManifest.FILE), "{\"format\": 1, \"status\": \"done\"}");
        e = assertThrows(IOException.class, () -> BackupManifest.read(dir));
        assertEquals(
                dir.resolve(BackupManifest.FILE)
                        + ": 'status' must be one of pending, complete, rolled-back, in-progress",
                e.getMessage());

        Files.writeString(dir.resolve(BackupManifest.FILE), "{\"columns\": [\"id\"]}");
        e = assertThrows(IOException.class, () -> BackupManifest.read(dir));
        assertEquals(dir.resolve(BackupManifest.FILE) + ": 'columns' must be an array of objects", e.getMessage());
    }
}
