package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.RowCsv;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The plan of a delete: the (id to delete, kept id) pair of every {@code DELETE} record of the report, in group order,
 * written as CSV with a header while the report streams (so the rows deleted are exactly the rows the same stream
 * backed up), never held in memory. The online apply journals it as its plan file; the one-transaction apply loads it
 * into the temporary table {@link DedupeSql#PLAN} ({@link #load}) that its reference checks, repoint and delete join.
 */
final class DeletePlan implements DedupeReport.RecordListener {

    /** The plan file's header. */
    static final List<String> HEADER = List.of("ms_del", "ms_kept");

    private final OutputStream out;
    private final StringBuilder line = new StringBuilder();
    private String kept;
    private long pairs;

    /** A plan written to {@code out}, its header first. */
    DeletePlan(OutputStream out) throws IOException {
        this.out = out;
        out.write(RowCsv.line(HEADER).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void record(String id, boolean keep) throws IOException {
        if (keep) {
            kept = id;
            return;
        }
        line.setLength(0);
        line.append('"').append(quoted(id)).append("\",\"").append(quoted(kept)).append("\"\n");
        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        pairs++;
    }

    /** A value inside the quotes of {@link RowCsv}'s dialect: quotes doubled. */
    private static String quoted(String value) {
        return value.indexOf('"') < 0 ? value : value.replace("\"", "\"\"");
    }

    /** The pairs written so far. */
    long pairs() {
        return pairs;
    }

    /**
     * Creates {@link DedupeSql#PLAN} in the current transaction and loads the plan {@code file} into it: PostgreSQL by
     * {@code COPY ... FROM STDIN}, other databases by batched inserts of {@code batchSize} pairs. Returns the pairs
     * loaded.
     */
    static long load(Connection connection, DedupeTarget target, Path file, int batchSize)
            throws SQLException, IOException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(DedupeSql.createPlan(target));
        }
        if (target.dialect() == Dialect.POSTGRESQL) {
            try (InputStream in = Files.newInputStream(file)) {
                return PgCopy.copyIn(connection, DedupeSql.PLAN_COLUMNS, in);
            }
        }
        long loaded = 0;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = RowCsv.parser(reader);
                PreparedStatement insert = connection.prepareStatement(DedupeSql.insertPair())) {
            for (CSVRecord record : parser) {
                insert.setString(1, record.get(0));
                insert.setString(2, record.get(1));
                insert.addBatch();
                if (++loaded % batchSize == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return loaded;
    }
}
