package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.db.TableRef;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import liquibase.change.Change;
import liquibase.change.core.CreateTableChange;
import liquibase.changelog.ChangeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Loads {@link SeedData} right after the changeset it belongs to (see {@link SeedData} for the rule), through
 * the same connection Liquibase uses, and commits so the next changeset sees the rows. The Flyway smoke inserts
 * with {@link #insert} inside Flyway's own transaction.
 */
public final class SeedLoader {

    private final List<SeedData> seeds;
    private final Set<SeedData> loaded = new HashSet<>();

    SeedLoader(List<SeedData> seeds) {
        this.seeds = seeds;
    }

    /** Seeds that never found their changeset in this run. */
    List<SeedData> neverLoaded() {
        return seeds.stream().filter(s -> !loaded.contains(s)).toList();
    }

    void afterRan(ChangeSet changeSet, Connection connection) throws SQLException, IOException, DatabaseException {
        for (SeedData seed : seeds) {
            if (triggers(seed, changeSet)) {
                load(seed, connection);
                loaded.add(seed);
            }
        }
    }

    static boolean triggers(SeedData seed, ChangeSet changeSet) {
        if (seed.afterChangeset() != null && !seed.afterChangeset().isBlank()) {
            return seed.afterChangeset().equals(changeSet.getId())
                    || seed.afterChangeset().equals(ChangesetKey.of(changeSet));
        }
        String table = bare(seed.table());
        for (Change change : changeSet.getChanges()) {
            if (change instanceof CreateTableChange create && table.equalsIgnoreCase(create.getTableName())) {
                return true;
            }
        }
        return false;
    }

    private static String bare(String table) {
        return table.contains(".") ? table.substring(table.lastIndexOf('.') + 1) : table;
    }

    private static void load(SeedData seed, Connection connection) throws SQLException, IOException, DatabaseException {
        insert(seed, connection);
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** Inserts the seed's rows into its table, without committing; the table and the CSV's columns validated. */
    public static void insert(SeedData seed, Connection connection)
            throws SQLException, IOException, DatabaseException {
        SchemaCatalog catalog = SchemaCatalog.of(connection);
        TableRef table = catalog.table(seed.table(), "seedData");
        try (Reader reader = Files.newBufferedReader(seed.file(), StandardCharsets.UTF_8);
                CSVParser csv = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(reader)) {
            List<ColumnRef> columns = catalog.columns(table, csv.getHeaderNames(), "seedData");
            String sql = "INSERT INTO " + table.sql() + " ("
                    + columns.stream().map(ColumnRef::sql).collect(Collectors.joining(", ")) + ") VALUES ("
                    + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
            boolean postgres = catalog.dialect() == Dialect.POSTGRESQL;
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (CSVRecord record : csv) {
                    for (int i = 0; i < columns.size(); i++) {
                        String value = record.get(i);
                        if (value.isEmpty()) {
                            insert.setNull(i + 1, columns.get(i).jdbcType());
                        } else if (postgres) {
                            // let the server convert the text to the column's type, as psql's COPY would
                            insert.setObject(i + 1, value, Types.OTHER);
                        } else {
                            insert.setString(i + 1, value);
                        }
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            } catch (SQLException e) {
                throw new SQLException(
                        "seed file " + seed.file() + " does not fit table " + table.display() + ": "
                                + e.getMessage().toLowerCase(Locale.ROOT).charAt(0)
                                + e.getMessage().substring(1),
                        e);
            }
        }
    }
}
