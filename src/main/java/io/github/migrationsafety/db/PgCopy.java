package io.github.migrationsafety.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * PostgreSQL's {@code COPY} through pgjdbc's {@code CopyManager}: the server streams CSV while the client writes
 * it, with no per-row decoding in the JVM (a fetch-size cursor waits for each batch instead).
 *
 * <p>The CSV is the same dialect as {@link RowCsv}: RFC 4180, {@code \n} line ends, {@code FORCE_QUOTE *} so every
 * non-NULL value is quoted and NULL is an unquoted empty field. Values are PostgreSQL's own text output, which
 * {@code COPY ... FROM} reads back exactly; {@link #canonicalText} fixes the settings that text depends on.
 */
public final class PgCopy {

    /** {@code COPY} options of every file this class writes; no HEADER: callers write the quoted header themselves. */
    public static final String CSV_OUT = "(FORMAT csv, FORCE_QUOTE *)";

    private PgCopy() {}

    /**
     * Sets, for the current transaction only ({@code SET LOCAL}), the session settings the text form of values
     * depends on, so a backup does not change with the server's or the role's defaults: UTC time stamps, ISO dates,
     * hex bytea, shortest-exact floats, {@code postgres} intervals.
     */
    public static void canonicalText(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL TimeZone = 'UTC'");
            statement.execute("SET LOCAL DateStyle = 'ISO, YMD'");
            statement.execute("SET LOCAL IntervalStyle = 'postgres'");
            statement.execute("SET LOCAL bytea_output = 'hex'");
            statement.execute("SET LOCAL extra_float_digits = 3");
        }
    }

    /** Streams {@code select} as CSV (without header) to {@code out}; returns the number of rows. */
    public static long copyOut(Connection connection, String select, OutputStream out)
            throws SQLException, IOException {
        return connection
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyOut("COPY (" + select + ") TO STDOUT WITH " + CSV_OUT, out);
    }

    /** Receives the rows of {@link #copyOutRows}, one CSV record (its line end included) per call. */
    public interface RowSink {
        void row(byte[] record) throws IOException;
    }

    /**
     * Streams {@code select} as CSV (without header) to {@code sink}, one record per call: the server sends each
     * row of {@code COPY TO STDOUT} as one message (the protocol says so), so a record is never split. Returns
     * the number of rows. When the sink fails, the copy is cancelled so the connection can be used and closed.
     */
    public static long copyOutRows(Connection connection, String select, RowSink sink)
            throws SQLException, IOException {
        CopyOut copy = connection
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyOut("COPY (" + select + ") TO STDOUT WITH " + CSV_OUT);
        try {
            byte[] record;
            while ((record = copy.readFromCopy()) != null) {
                sink.row(record);
            }
            return copy.getHandledRowCount();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Loads CSV with a header line from {@code in} into {@code target} (a table and column list); returns the rows. */
    public static long copyIn(Connection connection, String target, InputStream in) throws SQLException, IOException {
        return connection
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + target + " FROM STDIN WITH (FORMAT csv, HEADER true)", in);
    }
}
