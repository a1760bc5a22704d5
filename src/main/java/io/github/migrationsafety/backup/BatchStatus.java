package io.github.migrationsafety.backup;

import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.RowCsv;
import java.io.ByteArrayInputStream;
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
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** What PostgreSQL says about a batch of an online dedupe after a stop: its transaction, and its rows. */
final class BatchStatus {

    private BatchStatus() {}

    /**
     * {@code committed}, {@code aborted}, {@code in progress}, or null when the server no longer knows the xid. An id
     * "in the future" belonged to a transaction whose first WAL record never reached the disk before a crash: it did
     * not commit.
     */
    static String txid(Connection connection, long xid) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT txid_status(?)")) {
            statement.setLong(1, xid);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            if ("22023".equals(e.getSQLState())) {
                return "aborted";
            }
            throw e;
        }
    }

    /** How many rows of the batch file {@code rows} (COPY CSV of whole rows) are in the table, by id. */
    static long presentIds(Connection connection, BackupManifest manifest, Path rows) throws SQLException, IOException {
        int idIndex = -1;
        for (int i = 0; i < manifest.columns().size(); i++) {
            if (manifest.columns().get(i).name().equals(manifest.idColumn())) {
                idIndex = i;
            }
        }
        Dialect dialect = Dialect.POSTGRESQL;
        String table = dialect.quote(manifest.schema()) + "." + dialect.quote(manifest.tableName());
        String id = dialect.quote(manifest.idColumn());
        StringBuilder ids = new StringBuilder("id\n");
        try (Reader reader = Files.newBufferedReader(rows, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder()
                        .setReader(reader)
                        .setFormat(RowCsv.FORMAT)
                        .get()) {
            for (CSVRecord record : parser) {
                ids.append(RowCsv.line(List.of(record.get(idIndex))));
            }
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE ms_settle_ids ON COMMIT DROP AS SELECT " + id + " AS id FROM "
                    + table + " WITH NO DATA");
            PgCopy.copyIn(
                    connection,
                    "ms_settle_ids (id)",
                    new ByteArrayInputStream(ids.toString().getBytes(StandardCharsets.UTF_8)));
            try (ResultSet rs = statement.executeQuery(
                    "SELECT COUNT(*) FROM ms_settle_ids s JOIN " + table + " t ON t." + id + " = s.id")) {
                rs.next();
                return rs.getLong(1);
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }
}
