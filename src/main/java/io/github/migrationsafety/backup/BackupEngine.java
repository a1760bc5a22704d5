package io.github.migrationsafety.backup;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.Executables;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.db.TableRef;
import io.github.migrationsafety.db.ValueCodec;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVPrinter;

/**
 * Backs up tables before a migration: {@code pg_dump -Fc} when the database is PostgreSQL and {@code pg_dump} is
 * found, otherwise a consistent JDBC export — every table read in one repeatable-read, read-only transaction — in
 * the CSV + manifest format that {@link RestoreEngine} reads.
 */
public final class BackupEngine {

    /** How to back up. */
    public enum Method {
        AUTO,
        PG_DUMP,
        JDBC;

        public static Method parse(String text) {
            String value = text == null ? "auto" : text.strip().toLowerCase(Locale.ROOT);
            return switch (value) {
                case "auto" -> AUTO;
                case "pg_dump", "pg-dump" -> PG_DUMP;
                case "jdbc" -> JDBC;
                default ->
                    throw new IllegalArgumentException("Parameter 'method': '" + text + "' is not supported."
                            + " Use auto (pg_dump when found, else JDBC export), pg_dump or jdbc.");
            };
        }
    }

    /**
     * @param tables     tables to back up; empty = every table of the current schema
     * @param directory  where the backup goes
     * @param method     auto, pg_dump or jdbc
     * @param pgDump     pg_dump executable: a path, or a name looked up on the PATH
     * @param fetchSize  rows per round trip of the JDBC export
     */
    public record Config(List<String> tables, Path directory, Method method, String pgDump, int fetchSize) {}

    /**
     * @param method      what was used
     * @param locations   the dump file, or one backup directory per table
     * @param rows        rows exported (JDBC only; -1 for pg_dump)
     * @param took        how long the backup took, the time of its one check
     */
    public record Result(Method method, List<Path> locations, long rows, Duration took) implements EngineResult {

        private Result(Method method, List<Path> locations, long rows) {
            this(method, locations, rows, Duration.ZERO);
        }

        /** The method, the files written and the rows exported. */
        @Override
        public Map<String, Object> summary() {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("method", method.name().toLowerCase(Locale.ROOT));
            summary.put("locations", locations.stream().map(Path::toString).toList());
            summary.put("rows", rows);
            return summary;
        }

        /** A backup that cannot be written stops with an exception, so a result has nothing to find. */
        @Override
        public List<Finding> findings() {
            return List.of();
        }

        /** One passed check named by the files written. */
        @Override
        public List<Check> checks() {
            return List.of(Check.passed(
                    "backup",
                    String.join(", ", locations.stream().map(Path::toString).toList()),
                    took));
        }

        @Override
        public String headline() {
            return "backup failed";
        }
    }

    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]+).*");

    private final ConnectionSettings settings;
    private final EngineLog log;

    public BackupEngine(ConnectionSettings settings, EngineLog log) {
        this.settings = settings;
        this.log = log;
    }

    public Result run(Config config) throws DatabaseException, BackupException {
        long started = System.nanoTime();
        Result result = export(config);
        return new Result(
                result.method(), result.locations(), result.rows(), Duration.ofNanos(System.nanoTime() - started));
    }

    private Result export(Config config) throws DatabaseException, BackupException {
        BackupWriter writer;
        try {
            writer = BackupWriter.open(config.directory());
        } catch (IOException e) {
            throw new BackupException(BackupWriter.cannotWrite(config.directory(), e)
                    + ". Make it writable or choose another directory.");
        }
        Instant stamp = Instant.now();
        try (Connection connection = Databases.open(settings)) {
            SchemaCatalog catalog = SchemaCatalog.of(connection);
            List<TableRef> tables = new ArrayList<>();
            if (config.tables().isEmpty()) {
                String schema = catalog.currentSchema();
                for (String name : catalog.tables(schema).keySet()) {
                    tables.add(new TableRef(schema, name, catalog.dialect()));
                }
            } else {
                for (String name : config.tables()) {
                    tables.add(catalog.table(name, "tables"));
                }
            }
            boolean postgres = catalog.dialect() == Dialect.POSTGRESQL;
            if (config.method() == Method.PG_DUMP && !postgres) {
                throw new DatabaseException("Parameter 'method' is pg_dump but the database at " + settings.safeUrl()
                        + " is not PostgreSQL. Use method auto or jdbc.");
            }
            if (postgres && config.method() != Method.JDBC) {
                Path executable = Executables.find(config.pgDump());
                if (executable != null) {
                    try {
                        return pgDump(executable, config, tables, stamp);
                    } catch (DatabaseException e) {
                        if (config.method() == Method.PG_DUMP) {
                            throw e;
                        }
                        log.warn(e.getMessage() + " Falling back to a JDBC export.");
                    }
                } else if (config.method() == Method.PG_DUMP) {
                    throw new DatabaseException("Parameter 'pgDump': executable '" + config.pgDump() + "' not found"
                            + " on the PATH. Install the PostgreSQL client (pg_dump) or set 'pgDump' to its path.");
                } else {
                    log.info("pg_dump not found ('" + config.pgDump() + "'); exporting with JDBC instead");
                }
            }
            return export(connection, tables, config, writer, stamp);
        } catch (SQLException e) {
            throw new DatabaseException(
                    "Backup failed: " + e.getMessage() + ". Nothing was written that restore would"
                            + " accept (a backup without manifest.json is incomplete).",
                    e);
        } catch (IOException e) {
            throw new BackupException(
                    "Cannot write the backup under " + config.directory().toAbsolutePath() + ": " + e.getMessage()
                            + ". Check free space and permissions of 'backupDirectory'.",
                    e);
        }
    }

    private Result export(
            Connection connection, List<TableRef> tables, Config config, BackupWriter writer, Instant stamp)
            throws SQLException, IOException, DatabaseException {
        SchemaCatalog catalog = SchemaCatalog.of(connection);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        // one snapshot for every table: the export is consistent across them
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
        List<Path> directories = new ArrayList<>();
        long total = 0;
        try {
            for (TableRef table : tables) {
                List<ColumnRef> columns = catalog.columns(table);
                List<ColumnRef> primaryKey = catalog.primaryKey(table);
                BackupWriter.Directory directory = writer.create(table.name(), stamp);
                long rows = directory.rows(
                        columns.stream().map(ColumnRef::name).toList(),
                        csv -> exportRows(connection, table, columns, config.fetchSize(), csv));
                directory.writeManifest(BackupManifest.builder()
                        .kind(BackupManifest.Kind.EXPORT)
                        .status(BackupManifest.Status.COMPLETE)
                        .table(table)
                        .columns(columns.stream().map(BackupManifest.Column::of).toList())
                        .idColumn(primaryKey.size() == 1 ? primaryKey.get(0).name() : null)
                        .keyColumns(List.of())
                        .rowCount(rows));
                log.info("Exported " + rows + " row(s) of " + table.display() + " to " + directory.path()
                        + (primaryKey.size() == 1
                                ? ""
                                : " (no single-column primary key: restore cannot match rows by id)"));
                directories.add(directory.path());
                total += rows;
            }
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
            connection.setAutoCommit(autoCommit);
        }
        return new Result(Method.JDBC, directories, total);
    }

    /** Prints every row of {@code table} as {@link ValueCodec} text; returns how many. */
    private static long exportRows(
            Connection connection, TableRef table, List<ColumnRef> columns, int fetchSize, CSVPrinter csv)
            throws SQLException, IOException {
        String select = "SELECT "
                + String.join(", ", columns.stream().map(ColumnRef::sql).toList()) + " FROM " + table.sql();
        long rows = 0;
        try (PreparedStatement statement =
                connection.prepareStatement(select, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(fetchSize);
            String[] values = new String[columns.size()];
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = ValueCodec.read(rs, i + 1, columns.get(i));
                    }
                    csv.printRecord((Object[]) values);
                    rows++;
                }
            }
        }
        return rows;
    }

    private Result pgDump(Path executable, Config config, List<TableRef> tables, Instant stamp)
            throws DatabaseException, IOException {
        Matcher url = POSTGRES_URL.matcher(settings.url());
        if (!url.matches()) {
            throw new DatabaseException(
                    "Cannot derive host, port and database for pg_dump from 'url' " + settings.safeUrl() + ".");
        }
        Path file = config.directory().resolve(url.group(3) + "-" + BackupWriter.timestamp(stamp) + ".dump");
        List<String> command = new ArrayList<>(List.of(
                executable.toString(),
                "--format=custom",
                "--no-password",
                "--host=" + url.group(1),
                "--port=" + (url.group(2) == null ? "5432" : url.group(2)),
                "--dbname=" + url.group(3),
                "--file=" + file));
        if (settings.username() != null) {
            command.add("--username=" + settings.username());
        }
        for (TableRef table : tables) {
            command.add("--table=" + table.sql());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // the password reaches pg_dump through its environment only, never its command line
        builder.environment().remove("PGPASSWORD");
        if (settings.password() != null) {
            builder.environment().put("PGPASSWORD", settings.password());
        }
        Path output = Files.createTempFile("pg_dump", ".log");
        builder.redirectOutput(output.toFile());
        try {
            Process process = builder.start();
            if (!process.waitFor(6, TimeUnit.HOURS)) {
                process.destroyForcibly();
                throw new DatabaseException("pg_dump did not finish within 6 hours; it was stopped.");
            }
            String said = Databases.scrub(settings, Files.readString(output, StandardCharsets.UTF_8));
            if (process.exitValue() != 0) {
                Files.deleteIfExists(file);
                throw new DatabaseException("pg_dump (" + executable + ") failed with exit code " + process.exitValue()
                        + ": " + said.strip().replace('\n', ' ') + ".");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("Interrupted while pg_dump was running.");
        } finally {
            Files.deleteIfExists(output);
        }
        log.info("pg_dump wrote " + file + " (" + Files.size(file) + " bytes, SHA-256 " + HashingFile.sha256(file)
                + "); restore it with pg_restore --dbname=<database> " + file);
        return new Result(Method.PG_DUMP, List.of(file), -1);
    }
}
