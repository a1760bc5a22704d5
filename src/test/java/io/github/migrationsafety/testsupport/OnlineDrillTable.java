package io.github.migrationsafety.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.migrationsafety.backup.BackupManifest;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.RowCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The table of the online-apply drills: {@code original} holds the rows as created, {@code model_metadata} the rows
 * the plugin works on; one row in {@code dupEvery} is a duplicate of another. Checks that compare the two.
 */
public final class OnlineDrillTable {

    private OnlineDrillTable() {}

    /** Creates both tables with {@code rows} rows; returns how many rows a dedupe deletes. */
    public static long create(ConnectionSettings settings, int rows, int dupEvery) {
        int distinct = rows - rows / dupEvery;
        Sql.run(
                settings,
                "CREATE TABLE original(id bigint PRIMARY KEY, name text, version text, created_at timestamptz, payload text)",
                "INSERT INTO original SELECT g, 'model-' || (g % " + distinct + "), 'v' || ((g % " + distinct
                        + ") % 7), TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * INTERVAL '1 second',"
                        + " CASE WHEN g % 13 = 0 THEN NULL WHEN g % 17 = 0 THEN '' ELSE md5(g::text) || ' ü \"q\"' END"
                        + " FROM generate_series(1, " + rows + ") g",
                "CREATE TABLE model_metadata (LIKE original INCLUDING ALL)",
                "INSERT INTO model_metadata SELECT * FROM original");
        return count(settings, "SELECT COUNT(*) - COUNT(DISTINCT (name, version)) FROM original");
    }

    public static void reset(ConnectionSettings settings) {
        Sql.run(settings, "TRUNCATE model_metadata", "INSERT INTO model_metadata SELECT * FROM original");
    }

    public static String digest(ConnectionSettings settings, String table) {
        return Sql.rows(settings, "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM " + table + " t")
                .get(0);
    }

    public static long count(ConnectionSettings settings, String query) {
        return Long.parseLong(Sql.rows(settings, query).get(0));
    }

    /** Every kept row (lowest id of each original group) is still in the table. */
    public static void keptRowsPresent(ConnectionSettings settings, String when) {
        assertEquals(
                0,
                count(
                        settings,
                        "SELECT COUNT(*) FROM (SELECT MIN(id) AS id FROM original GROUP BY name, version) k"
                                + " WHERE NOT EXISTS (SELECT 1 FROM model_metadata t WHERE t.id = k.id)"),
                when + ": every kept row is in the table");
    }

    /**
     * Table + backup = original: the backup's rows are all absent from the table, and the counts add up (the
     * backup's rows are checked by value when it is restored).
     */
    public static void nothingLost(ConnectionSettings settings, List<Path> backups, String when) {
        long table = count(settings, "SELECT COUNT(*) FROM model_metadata");
        long backedUp = 0;
        for (Path backup : backups) {
            List<String> ids = ids(backup);
            backedUp += ids.size();
            if (!ids.isEmpty()) {
                assertEquals(
                        0,
                        count(
                                settings,
                                "SELECT COUNT(*) FROM model_metadata WHERE id IN (" + String.join(",", ids) + ")"),
                        when + ": no row of the backup " + backup.getFileName() + " is in the table");
            }
        }
        assertEquals(
                count(settings, "SELECT COUNT(*) FROM original"),
                table + backedUp,
                when + ": table (" + table + ") + backup (" + backedUp + ") hold every original row");
    }

    /** The ids in a backup's rows.csv, as far as its manifest counts them. */
    public static List<String> ids(Path backup) {
        List<String> ids = new ArrayList<>();
        try (CSVParser parser = RowCsv.parser(Files.newBufferedReader(backup.resolve(BackupManifest.ROWS)))) {
            for (CSVRecord record : parser) {
                ids.add(record.get(0));
            }
            assertEquals(BackupManifest.read(backup).rowCount(), ids.size(), "rows.csv holds rowCount rows");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    /** The backup directories with a manifest under {@code root}. */
    public static List<Path> backups(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(BackupManifest::exists).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
