package io.github.migrationsafety.db;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * The CSV dialect of reports and backups: RFC 4180, {@code \n} line ends, every non-NULL value quoted and
 * NULL written as an unquoted empty field — the same convention as PostgreSQL's {@code COPY ... CSV FORCE QUOTE *},
 * so {@code ""} (empty string) and an empty field (NULL) read back as what they were.
 */
public final class RowCsv {

    public static final CSVFormat FORMAT = CSVFormat.RFC4180
            .builder()
            .setNullString("")
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .setRecordSeparator("\n")
            .get();

    private RowCsv() {}

    public static CSVPrinter printer(Writer writer) throws IOException {
        return new CSVPrinter(writer, FORMAT);
    }

    /** One record in this dialect, with its line end, e.g. a header written before {@code COPY} output. */
    public static String line(List<String> values) throws IOException {
        StringBuilder text = new StringBuilder();
        FORMAT.printRecord(text, values.toArray());
        return text.toString();
    }

    /** A parser whose first record is the header. */
    public static CSVParser parser(Reader reader) throws IOException {
        return CSVParser.builder()
                .setReader(reader)
                .setFormat(
                        FORMAT.builder().setHeader().setSkipHeaderRecord(true).get())
                .get();
    }
}
