package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.db.TableRef;
import io.github.migrationsafety.db.ValueCodec;
import io.github.migrationsafety.report.Finding;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVPrinter;

/**
 * The foreign keys that point at the dedupe target's id column, and what apply does with their rows that point at
 * a row it deletes: count and list them ({@code onReferences=fail}), or record and repoint them to the kept row of
 * the group ({@code repoint}). Works on apply's plan table ({@link DedupeSql#PLAN}), inside its transaction.
 */
final class ReferenceRepointer {

    private static final int SAMPLES = 5;

    private final Connection connection;
    private final DedupeTarget target;
    private final int fetchSize;

    ReferenceRepointer(Connection connection, DedupeTarget target, int fetchSize) {
        this.connection = connection;
        this.target = target;
        this.fetchSize = fetchSize;
    }

    /** Foreign keys of other tables (and this one) that point at the id column. */
    List<Reference> references() throws SQLException, DatabaseException {
        Map<String, List<String[]>> byKey = new LinkedHashMap<>();
        DatabaseMetaData metaData = connection.getMetaData();
        try (ResultSet rs = metaData.getExportedKeys(
                null, target.table().schema(), target.table().name())) {
            while (rs.next()) {
                String name = rs.getString("FKTABLE_SCHEM") + "." + rs.getString("FKTABLE_NAME") + "."
                        + rs.getString("FK_NAME");
                byKey.computeIfAbsent(name, k -> new ArrayList<>()).add(new String[] {
                    rs.getString("FKTABLE_SCHEM"),
                    rs.getString("FKTABLE_NAME"),
                    rs.getString("FKCOLUMN_NAME"),
                    rs.getString("PKCOLUMN_NAME"),
                    rs.getString("FK_NAME")
                });
            }
        }
        SchemaCatalog catalog = SchemaCatalog.of(connection);
        List<Reference> references = new ArrayList<>();
        for (List<String[]> parts : byKey.values()) {
            String[] first = parts.get(0);
            TableRef table = new TableRef(first[0], first[1], target.dialect());
            if (parts.size() != 1 || !first[3].equals(target.id().name())) {
                throw new DatabaseException("Foreign key " + first[4] + " of " + table.display() + " references "
                        + target.table().display() + " by columns other than the id column "
                        + target.id().name()
                        + "; dedupe can only check and repoint single-column references to the id. Drop or adjust"
                        + " that foreign key first. Nothing was changed.");
            }
            ColumnRef column = catalog.column(table, target.dialect().quote(first[2]), "onReferences");
            List<ColumnRef> primaryKey = catalog.primaryKey(table);
            ColumnRef rowId = primaryKey.size() == 1 ? primaryKey.get(0) : null;
            references.add(new Reference(first[4], table, column, rowId));
        }
        return references;
    }

    /** The references with rows pointing at a row to delete, and how many, in the order given. */
    Map<Reference, Long> referencedCounts(List<Reference> references) throws SQLException {
        Map<Reference, Long> counts = new LinkedHashMap<>();
        for (Reference reference : references) {
            long n;
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(DedupeSql.referencedCount(reference))) {
                rs.next();
                n = rs.getLong(1);
            }
            if (n > 0) {
                counts.put(reference, n);
            }
        }
        return counts;
    }

    /** The error of {@code onReferences=fail}: each reference, its count and a few of its rows. */
    Finding finding(Map<Reference, Long> referenced) throws SQLException {
        StringBuilder text = new StringBuilder("rows to delete are referenced by foreign keys; nothing was changed:");
        for (Map.Entry<Reference, Long> entry : referenced.entrySet()) {
            Reference reference = entry.getKey();
            text.append("\n - ")
                    .append(reference.display())
                    .append(" (")
                    .append(reference.name())
                    .append("): ")
                    .append(entry.getValue())
                    .append(" row(s)");
            List<String> samples = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(DedupeSql.referencedSamples(reference))) {
                while (rs.next() && samples.size() < SAMPLES) {
                    samples.add(
                            (reference.rowId() == null ? "" : reference.rowId().name() + "=" + rs.getString(1) + " -> ")
                                    + target.id().name() + "=" + rs.getString(2));
                }
            }
            text.append(", e.g. ").append(String.join(", ", samples));
        }
        return Finding.error("dedupe.referenced", target.subject(), text.toString())
                .withHint("set <onReferences>repoint</onReferences> to move these references to the kept row of each"
                        + " group (recorded in the backup), or fix the referencing rows first.");
    }

    /**
     * Prints each row of {@code reference} that a repoint moves (schema, table, column, row id column, row id, old
     * value, new value) to {@code csv}, so restore can put the old value back; returns how many.
     */
    long record(Reference reference, CSVPrinter csv) throws SQLException, IOException {
        if (reference.rowId() == null) {
            throw new SQLException("table " + reference.table().display() + " references "
                    + target.table().display()
                    + " but has no single-column primary key, so its repointed rows could not be restored; use"
                    + " onReferences=fail and fix the references by hand");
        }
        long n = 0;
        try (PreparedStatement statement = connection.prepareStatement(DedupeSql.repoints(reference))) {
            statement.setFetchSize(fetchSize);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    printRepoint(csv, reference, target, rs);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * One line of the repoint log restore reads: schema, table, column, row id column, then the row id, old value and
     * new value from the first three columns of {@code rs}.
     */
    static void printRepoint(CSVPrinter csv, Reference reference, DedupeTarget target, ResultSet rs)
            throws SQLException, IOException {
        csv.printRecord(
                reference.table().schema(),
                reference.table().name(),
                reference.column().name(),
                reference.rowId().name(),
                ValueCodec.read(rs, 1, reference.rowId()),
                ValueCodec.read(rs, 2, reference.column()),
                ValueCodec.read(rs, 3, target.id()));
    }

    /** Points the rows of {@code reference} at the kept row of their group; returns how many were updated. */
    long repoint(Reference reference) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(DedupeSql.repoint(reference));
        }
    }
}
