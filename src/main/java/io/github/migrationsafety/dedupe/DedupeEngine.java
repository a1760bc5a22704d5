package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ColumnRef;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Dialect;
import io.github.migrationsafety.db.PgCopy;
import io.github.migrationsafety.db.RowCsv;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.db.TableRef;
import io.github.migrationsafety.db.ValueCodec;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVPrinter;

/**
 * Finds the rows that would block a unique constraint on {@code keyColumns} and, with {@code apply}, deletes all
 * but one per group after writing them to a durable, hashed backup.
 *
 * <p>All the work is set-based SQL run by the database: a window function ranks the rows of each group and only
 * the rows of duplicate groups are streamed back (forward-only, with a fetch size), so the table is never held in
 * memory. Apply runs in one transaction: lock, rank into a temporary table, stream the report and backup, fsync,
 * delete by joining the temporary table, compare counts, commit.
 */
public final class DedupeEngine {

    private static final int TOP_GROUPS = 10;
    private static final int NEAR_DUPLICATES_SHOWN = 10;
    private static final long PROGRESS_EVERY = 1_000_000;
    static final String TEMP = "ms_dedupe_rows";

    private final Connection connection;
    private final EngineLog log;

    public DedupeEngine(Connection connection, EngineLog log) {
        this.connection = connection;
        this.log = log;
    }

    public DedupeResult run(DedupeConfig config) throws DatabaseException, IOException {
        try {
            DedupeTarget target = resolve(config);
            if (config.apply()) {
                return new DedupeApply(connection, log, this, target, config).run();
            }
            return dryRun(target, config);
        } catch (SQLException e) {
            throw new DatabaseException("Dedupe of table '" + config.table() + "' failed: " + e.getMessage()
                    + " (SQLState " + e.getSQLState() + "). Nothing was changed.", e);
        }
    }

    private DedupeTarget resolve(DedupeConfig config) throws DatabaseException, SQLException {
        SchemaCatalog catalog = SchemaCatalog.of(connection);
        TableRef table = catalog.table(config.table(), "table");
        if (config.keyColumns().isEmpty()) {
            throw new DatabaseException("Parameter 'keyColumns' is empty: name the columns that must be unique together,"
                    + " e.g. <keyColumns>name,version</keyColumns>.");
        }
        List<ColumnRef> keys = catalog.columns(table, config.keyColumns(), "keyColumns");
        List<ColumnRef> columns = catalog.columns(table);
        List<ColumnRef> primaryKey = catalog.primaryKey(table);
        ColumnRef id;
        if (config.idColumn() == null || config.idColumn().isBlank()) {
            if (primaryKey.size() != 1) {
                throw new DatabaseException("Table " + table.display() + " has "
                        + (primaryKey.isEmpty() ? "no primary key" : "a primary key of " + primaryKey.size() + " columns "
                        + primaryKey) + ", so rows cannot be identified. Set 'idColumn' to a column whose values are unique.");
            }
            id = primaryKey.get(0);
        } else {
            id = catalog.column(table, config.idColumn(), "idColumn");
            for (ColumnRef key : keys) {
                if (key.name().equals(id.name())) {
                    throw new DatabaseException("Parameters 'idColumn' and 'keyColumns' conflict: " + id.name()
                            + " is both the row id and a key column. The id must identify single rows and the keys the"
                            + " duplicates; set 'idColumn' to the primary key (or leave it out) or remove " + id.name()
                            + " from 'keyColumns'.");
                }
            }
        }
        boolean idIsPrimaryKey = primaryKey.size() == 1 && primaryKey.get(0).name().equals(id.name());
        if (!idIsPrimaryKey) {
            checkUnique(table, id);
        }
        ColumnRef keepColumn = config.keep().column() == null ? null : catalog.column(table, config.keep().column(), "keep");
        String where = null;
        if (config.where() != null && !config.where().isBlank()) {
            try {
                where = ScopePredicate.check(config.where());
            } catch (IllegalArgumentException e) {
                throw new DatabaseException(e.getMessage());
            }
            parseCheck(table, where);
        }
        return new DedupeTarget(table, columns, keys, id, idIsPrimaryKey, keepColumn, where, catalog.dialect());
    }

    /** Lets the database parse the predicate without reading a row, in a read-only transaction. */
    private void parseCheck(TableRef table, String where) throws DatabaseException, SQLException {
        boolean autoCommit = connection.getAutoCommit();
        boolean readOnly = connection.isReadOnly();
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1 FROM " + table.sql() + " WHERE (" + where + ") AND 1=0").close();
        } catch (SQLException e) {
            throw new DatabaseException("Parameter 'where': '" + where + "' is not a valid condition on table "
                    + table.display() + ": " + firstLine(e.getMessage()) + ". Give one plain SQL condition on the"
                    + " table's columns, e.g. created_at < DATE '2025-01-01'.");
        } finally {
            connection.rollback();
            connection.setReadOnly(readOnly);
            connection.setAutoCommit(autoCommit);
        }
    }

    private void checkUnique(TableRef table, ColumnRef id) throws DatabaseException, SQLException {
        String sql = "SELECT " + id.sql() + ", COUNT(*) FROM " + table.sql() + " GROUP BY " + id.sql()
                + " HAVING COUNT(*) > 1 OR " + id.sql() + " IS NULL";
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            if (rs.next()) {
                throw new DatabaseException("Parameter 'idColumn': column " + id.name() + " of " + table.display()
                        + " is not unique (value " + (rs.getString(1) == null ? "NULL" : "'" + rs.getString(1) + "'")
                        + " appears " + rs.getLong(2) + " times), so it cannot identify the rows to keep and delete."
                        + " Set 'idColumn' to the primary key or another unique, non-null column.");
            }
        }
    }

    /**
     * Every row of every duplicate group with its group number (by key order) and rank within the group
     * (1 = kept). Columns: the table's columns in table order ({@code narrow}: the id and key columns), then
     * {@code ms_rank}, {@code ms_next} and {@code ms_group}.
     *
     * <p>One sort of the table: {@code ROW_NUMBER} and {@code LEAD} share one window, and a row is in a duplicate
     * group when it is not the first of its group or has a successor. {@code COUNT(*) OVER} the group, the obvious
     * test, makes PostgreSQL hold every group back until its end, and a {@code FIRST_VALUE} for the kept id cost
     * another 0.5 s on 5,000,000 rows (the kept id is looked up by group where a repoint needs it). Only the rows
     * of duplicate groups reach the outer {@code DENSE_RANK}, whose input is already in key order.
     */
    String rankedQuery(DedupeTarget target, DedupeConfig config, boolean narrow) {
        List<String> filters = new ArrayList<>();
        if (config.nullsDistinct()) {
            for (ColumnRef key : target.keys()) {
                filters.add("t." + key.sql() + " IS NOT NULL");
            }
        }
        if (target.where() != null) {
            filters.add("(" + target.where() + ")");
        }
        String window = "(PARTITION BY " + target.keyList("t") + " ORDER BY " + keepOrder(target, config, "t") + ")";
        String rows = narrow ? "t." + target.id().sql() + ", " + target.keyList("t") : "t.*";
        String inner = "SELECT " + rows + ", ROW_NUMBER() OVER " + window + " AS ms_rank, LEAD(1) OVER " + window
                + " AS ms_next FROM "
                + target.table().sql() + " t" + (filters.isEmpty() ? "" : " WHERE " + String.join(" AND ", filters));
        String columns = narrow ? "s." + target.id().sql() + ", " + target.keyList("s") + ", s.ms_rank, s.ms_next" : "s.*";
        return "SELECT " + columns + ", DENSE_RANK() OVER (ORDER BY " + target.keyList("s") + ") AS ms_group FROM ("
                + inner + ") s WHERE s.ms_rank > 1 OR s.ms_next IS NOT NULL";
    }

    private static String keepOrder(DedupeTarget target, DedupeConfig config, String alias) {
        String id = alias + "." + target.id().sql();
        return switch (config.keep().kind()) {
            case LOWEST_ID -> id + " ASC";
            case HIGHEST_ID -> id + " DESC";
            case NEWEST -> alias + "." + target.keepColumn().sql() + " DESC NULLS LAST, " + id + " ASC";
            case OLDEST -> alias + "." + target.keepColumn().sql() + " ASC NULLS LAST, " + id + " ASC";
        };
    }

    private DedupeResult dryRun(DedupeTarget target, DedupeConfig config) throws SQLException, IOException {
        boolean autoCommit = connection.getAutoCommit();
        // PostgreSQL streams with a fetch size only inside a transaction; read-only so nothing can change
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try {
            Streamed streamed;
            long started = System.nanoTime();
            if (target.dialect() == Dialect.POSTGRESQL) {
                PgCopy.canonicalText(connection);
                // ordering by the keys (the order ms_group is numbered in) lets PostgreSQL reuse the window's sort order
                String select;
                if (target.idIsPrimaryKey()) {
                    // as in apply: rank only the id and key columns of every row (a far smaller sort than whole
                    // rows), then look the few rows of duplicate groups up by primary key
                    preferIndexLookups(target, true);
                    select = "SELECT " + reportColumns(target, "d", "t") + " FROM (" + rankedQuery(target, config, true)
                            + ") d JOIN " + target.table().sql() + " t ON t." + target.id().sql() + " = d."
                            + target.id().sql() + " ORDER BY " + target.keyList("d") + ", d.ms_rank";
                } else {
                    select = "SELECT " + reportColumns(target, "g") + " FROM (" + rankedQuery(target, config, false)
                            + ") g ORDER BY " + target.keyList("g") + ", g.ms_rank";
                }
                streamed = copyReport(target, select, config.reportFile(), null);
                preferIndexLookups(target, false);
            } else {
                String sql = "SELECT g.* FROM (" + rankedQuery(target, config, false) + ") g ORDER BY " + target.keyList("g")
                        + ", g.ms_rank";
                try (PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY)) {
                    statement.setFetchSize(config.fetchSize());
                    try (ResultSet rs = statement.executeQuery()) {
                        streamed = stream(rs, target, config.reportFile(), null);
                    }
                }
            }
            log.debug("dedupe: ranking and report took " + millis(started) + " ms");
            List<Finding> findings = new ArrayList<>();
            if (streamed.groups() > 0) {
                findings.add(duplicatesFinding(target, streamed, config));
            }
            if (config.nearDuplicates()) {
                started = System.nanoTime();
                findings.addAll(nearDuplicates(target));
                log.debug("dedupe: near-duplicate search took " + millis(started) + " ms");
            }
            return new DedupeResult(target.subject(), streamed.groups(), streamed.rows(), streamed.deletes(),
                    streamed.top(), findings, config.reportFile(), null, 0, 0, false);
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * PostgreSQL plans the join of the ranked ids with the table as a hash join over the whole table, as if its
     * pages were on disk; with the primary key index, looking the few rows up is several times faster. Switched on
     * for the statements that join ranked ids with the table only (the reports and the delete), and only when the id
     * is the primary key: for a join on a column without an index, the hash join is the right plan.
     */
    void preferIndexLookups(DedupeTarget target, boolean prefer) throws SQLException {
        if (target.dialect() != Dialect.POSTGRESQL || !target.idIsPrimaryKey()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL enable_hashjoin = " + (prefer ? "off" : "on"));
            statement.execute("SET LOCAL enable_mergejoin = " + (prefer ? "off" : "on"));
        }
    }

    private static Finding duplicatesFinding(DedupeTarget target, Streamed streamed, DedupeConfig config) {
        return Finding.error("dedupe.duplicates", target.subject(), streamed.groups() + " duplicate group(s), "
                        + streamed.rows() + " rows; " + streamed.deletes() + " row(s) would be deleted (keep "
                        + config.keep() + ")")
                .withHint("review " + config.reportFile() + ", then run with -Dmigration-safety.apply=true to delete"
                        + " them after a backup is written to " + config.backupDirectory() + ".")
                .at(config.reportFile().toString(), 0);
    }

    /** Counts of one streaming pass. */
    record Streamed(long groups, long rows, long deletes, List<DedupeResult.Group> top) {
    }

    /**
     * Writes the ranked rows to the report CSV and, when {@code backup} is given, the rows to delete (table
     * columns only) to the backup CSV. Rows arrive ordered by group and rank.
     */
    Streamed stream(ResultSet rs, DedupeTarget target, Path reportFile, CSVPrinter backup) throws SQLException, IOException {
        List<ColumnRef> columns = target.columns();
        int idIndex = target.indexOf(target.id());
        int[] keyIndexes = target.keys().stream().mapToInt(target::indexOf).toArray();
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            final int index = i;
            if (i != idIndex && java.util.Arrays.stream(keyIndexes).noneMatch(k -> k == index)) {
                others.add(i);
            }
        }
        int groupColumn = rs.findColumn("ms_group");
        int rankColumn = rs.findColumn("ms_rank");
        Path parent = reportFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = reportFile.resolveSibling(reportFile.getFileName() + ".tmp");
        PriorityQueue<DedupeResult.Group> top = new PriorityQueue<>(Comparator.comparingLong(DedupeResult.Group::rows)
                .thenComparing(Comparator.comparingLong(DedupeResult.Group::number).reversed()));
        long groups = 0;
        long rows = 0;
        long deletes = 0;
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
                CSVPrinter report = RowCsv.printer(writer)) {
            List<String> header = new ArrayList<>();
            header.add("group");
            for (int k : keyIndexes) {
                header.add(columns.get(k).name());
            }
            header.add(columns.get(idIndex).name());
            header.add("action");
            for (int o : others) {
                header.add(columns.get(o).name());
            }
            report.printRecord(header);
            String[] values = new String[columns.size()];
            String[] line = new String[header.size()];
            long currentGroup = -1;
            long groupRows = 0;
            List<String> groupKey = null;
            String keptId = null;
            while (rs.next()) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = ValueCodec.read(rs, i + 1, columns.get(i));
                }
                long group = rs.getLong(groupColumn);
                boolean keep = rs.getLong(rankColumn) == 1;
                if (group != currentGroup) {
                    if (groupKey != null) {
                        offer(top, new DedupeResult.Group(currentGroup, groupKey, groupRows, keptId));
                    }
                    currentGroup = group;
                    groupRows = 0;
                    groups++;
                    groupKey = new ArrayList<>();
                    for (int k : keyIndexes) {
                        groupKey.add(values[k]);
                    }
                    keptId = values[idIndex];
                }
                groupRows++;
                rows++;
                int n = 0;
                line[n++] = Long.toString(group);
                for (int k : keyIndexes) {
                    line[n++] = values[k];
                }
                line[n++] = values[idIndex];
                line[n++] = keep ? "KEEP" : "DELETE";
                for (int o : others) {
                    line[n++] = values[o];
                }
                report.printRecord((Object[]) line);
                if (!keep) {
                    deletes++;
                    if (backup != null) {
                        backup.printRecord((Object[]) values);
                    }
                }
                if (rows % PROGRESS_EVERY == 0) {
                    log.info("dedupe: " + rows + " rows of " + groups + " duplicate groups streamed so far");
                }
            }
            if (groupKey != null) {
                offer(top, new DedupeResult.Group(currentGroup, groupKey, groupRows, keptId));
            }
        }
        Files.move(temp, reportFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<DedupeResult.Group> largest = new ArrayList<>(top);
        largest.sort(Comparator.comparingLong(DedupeResult.Group::rows).reversed()
                .thenComparingLong(DedupeResult.Group::number));
        return new Streamed(groups, rows, deletes, largest);
    }

    /** Report header: group, key columns, id, action, the other columns. */
    static List<String> reportHeader(DedupeTarget target) {
        List<String> header = new ArrayList<>();
        header.add("group");
        target.keys().forEach(k -> header.add(k.name()));
        header.add(target.id().name());
        header.add("action");
        others(target).forEach(o -> header.add(o.name()));
        return header;
    }

    /**
     * SQL select list of the report, in {@link #reportHeader} order, over a row source {@code alias} that has the
     * table's columns, {@code ms_group} and {@code ms_rank}: the group number and the action are computed by the
     * database so {@code COPY} can write the report directly.
     */
    static String reportColumns(DedupeTarget target, String alias) {
        return reportColumns(target, alias, alias);
    }

    /** As {@link #reportColumns(DedupeTarget, String)}, with {@code ms_group} and {@code ms_rank} from {@code ranks}. */
    static String reportColumns(DedupeTarget target, String ranks, String rows) {
        List<String> select = new ArrayList<>();
        select.add(ranks + ".ms_group");
        target.keys().forEach(k -> select.add(rows + "." + k.sql()));
        select.add(rows + "." + target.id().sql());
        select.add("CASE WHEN " + ranks + ".ms_rank = 1 THEN 'KEEP' ELSE 'DELETE' END");
        others(target).forEach(o -> select.add(rows + "." + o.sql()));
        return String.join(", ", select);
    }

    private static List<ColumnRef> others(DedupeTarget target) {
        List<ColumnRef> others = new ArrayList<>();
        for (ColumnRef column : target.columns()) {
            if (!column.name().equals(target.id().name())
                    && target.keys().stream().noneMatch(k -> k.name().equals(column.name()))) {
                others.add(column);
            }
        }
        return others;
    }

    /**
     * PostgreSQL: writes the report with {@code COPY (select) TO STDOUT}, {@code select} giving
     * {@link #reportColumns} ordered by group and rank, and counts groups, rows and deletes from the first fields of
     * each record on the way to the file. With {@code backup}, the DELETE rows also go there from the same stream,
     * as the table's columns in table order (no header): the rows are read once for both files. The caller has set
     * {@link PgCopy#canonicalText}.
     */
    Streamed copyReport(DedupeTarget target, String select, Path reportFile, OutputStream backup)
            throws SQLException, IOException {
        Files.createDirectories(reportFile.toAbsolutePath().getParent());
        Path temp = reportFile.resolveSibling(reportFile.getFileName() + ".tmp");
        int keyCount = target.keys().size();
        Tally tally = new Tally(keyCount);
        int[] backupFields = backup == null ? null : tableOrderInReport(target);
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
            file.write(RowCsv.line(reportHeader(target)).getBytes(StandardCharsets.UTF_8));
            CsvFieldScanner scanner = new CsvFieldScanner(file, keyCount + 3, (fields, raw) -> {
                boolean keep = "KEEP".equals(fields[keyCount + 2]);
                tally.row(Long.parseLong(fields[0]), fields, fields[keyCount + 1], keep);
                if (backup != null && !keep) {
                    for (int i = 0; i < backupFields.length; i++) {
                        if (i > 0) {
                            backup.write(',');
                        }
                        raw.write(backupFields[i], backup);
                    }
                    backup.write('\n');
                }
            });
            if (backup != null) {
                scanner.withRawFields();
            }
            long copied = PgCopy.copyOut(connection, select, scanner);
            if (!scanner.complete() || copied != tally.rows) {
                throw new SQLException("COPY sent " + copied + " rows but the report holds " + tally.rows);
            }
        }
        Files.move(temp, reportFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return tally.finish();
    }

    /** For each table column in table order, its field index in a {@link #reportColumns} record. */
    static int[] tableOrderInReport(DedupeTarget target) {
        List<ColumnRef> columns = target.columns();
        List<ColumnRef> others = others(target);
        int keyCount = target.keys().size();
        int[] fields = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            ColumnRef column = columns.get(i);
            int key = -1;
            for (int k = 0; k < keyCount; k++) {
                if (target.keys().get(k).name().equals(column.name())) {
                    key = k;
                }
            }
            if (key >= 0) {
                fields[i] = 1 + key;
            } else if (column.name().equals(target.id().name())) {
                fields[i] = 1 + keyCount;
            } else {
                fields[i] = keyCount + 3 + others.indexOf(column);
            }
        }
        return fields;
    }

    /** Counts of the COPY path, fed one report row at a time in group and rank order. */
    private final class Tally {
        private final int keyCount;
        private final PriorityQueue<DedupeResult.Group> top = new PriorityQueue<>(Comparator
                .comparingLong(DedupeResult.Group::rows)
                .thenComparing(Comparator.comparingLong(DedupeResult.Group::number).reversed()));
        private long groups;
        private long rows;
        private long deletes;
        private long currentGroup = -1;
        private long groupRows;
        private List<String> groupKey;
        private String keptId;

        Tally(int keyCount) {
            this.keyCount = keyCount;
        }

        /** {@code fields}: group, keys, id, ... (reused by the caller, so copied when kept). */
        void row(long group, String[] fields, String id, boolean keep) {
            if (group != currentGroup) {
                if (groupKey != null) {
                    offer(top, new DedupeResult.Group(currentGroup, groupKey, groupRows, keptId));
                }
                currentGroup = group;
                groupRows = 0;
                groups++;
                groupKey = java.util.Arrays.asList(java.util.Arrays.copyOfRange(fields, 1, 1 + keyCount));
                keptId = id;
            }
            groupRows++;
            rows++;
            if (!keep) {
                deletes++;
            }
            if (rows % PROGRESS_EVERY == 0) {
                log.info("dedupe: " + rows + " rows of " + groups + " duplicate groups streamed so far");
            }
        }

        Streamed finish() {
            if (groupKey != null) {
                offer(top, new DedupeResult.Group(currentGroup, groupKey, groupRows, keptId));
            }
            List<DedupeResult.Group> largest = new ArrayList<>(top);
            largest.sort(Comparator.comparingLong(DedupeResult.Group::rows).reversed()
                    .thenComparingLong(DedupeResult.Group::number));
            return new Streamed(groups, rows, deletes, largest);
        }
    }

    static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static void offer(PriorityQueue<DedupeResult.Group> top, DedupeResult.Group group) {
        top.add(group);
        if (top.size() > TOP_GROUPS) {
            top.poll();
        }
    }

    /**
     * Key values that differ only by case or surrounding whitespace pass a unique constraint, but usually name the
     * same model: report them as warnings, one per set of distinct key tuples with the same normalised form
     * ({@code LOWER(TRIM(..))} of the text keys), compared set-based in the database.
     *
     * <p>Such a set always holds a tuple that normalisation changes: of distinct tuples with one normalised form, at
     * most one can already be in that form. So only the rows normalisation changes are collected ({@code
     * ms_changed}, usually few), and the rows whose tuple equals one of their normalised forms are added by a hash
     * lookup; grouping those few rows gives the same sets as grouping every distinct tuple of the table, which
     * needs a sort or hash of the whole table. Any wider choice of rows gives the same sets too (its extra tuples
     * are alone in their normalised form), which lets PostgreSQL use a cheaper test than {@code LOWER(TRIM(..))} on
     * every row: see {@link #mayChange}.
     *
     * <p>On PostgreSQL a count of those rows comes first: it is the one query here the planner runs with parallel
     * workers (its result is one row), and when it is zero, as in tables whose keys are all lower case and trimmed,
     * there are no near duplicates and the grouping query does not run.
     */
    List<Finding> nearDuplicates(DedupeTarget target) throws SQLException {
        if (target.keys().stream().noneMatch(ValueCodec::isText)) {
            return List.of();
        }
        List<String> scope = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> sameTuple = new ArrayList<>();
        for (ColumnRef key : target.keys()) {
            scope.add("t." + key.sql() + " IS NOT NULL");
            if (ValueCodec.isText(key)) {
                changed.add(target.dialect() == Dialect.POSTGRESQL ? mayChange("t." + key.sql())
                        : normalized(key, "t") + " <> t." + key.sql());
            }
            sameTuple.add(normalized(key, "c") + " = t." + key.sql());
        }
        if (target.where() != null) {
            scope.add("(" + target.where() + ")");
        }
        String rows = " FROM " + target.table().sql() + " t WHERE " + String.join(" AND ", scope);
        if (target.dialect() == Dialect.POSTGRESQL) {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
                    "SELECT COUNT(*)" + rows + " AND (" + String.join(" OR ", changed) + ")")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return List.of();
                }
            }
        }
        List<String> variants = new ArrayList<>();
        List<String> order = new ArrayList<>(List.of("COUNT(*) DESC"));
        List<String> groupBy = new ArrayList<>();
        for (ColumnRef key : target.keys()) {
            variants.add("MIN(d." + key.sql() + ")");
            variants.add("MAX(d." + key.sql() + ")");
            groupBy.add(normalized(key, "d"));
        }
        for (int column = 2; column <= 1 + variants.size(); column++) {
            order.add(Integer.toString(column));
        }
        String sql = "WITH ms_changed AS (SELECT " + target.keyList("t") + rows + " AND (" + String.join(" OR ", changed)
                + ")) SELECT COUNT(*), " + String.join(", ", variants) + " FROM (SELECT " + target.keyList("c")
                + " FROM ms_changed c UNION SELECT " + target.keyList("t") + rows
                + " AND EXISTS (SELECT 1 FROM ms_changed c WHERE " + String.join(" AND ", sameTuple) + ")) d GROUP BY "
                + String.join(", ", groupBy) + " HAVING COUNT(*) > 1 ORDER BY " + String.join(", ", order);
        List<Finding> findings = new ArrayList<>();
        long total = 0;
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                total++;
                if (findings.size() < NEAR_DUPLICATES_SHOWN) {
                    List<String> min = new ArrayList<>();
                    List<String> max = new ArrayList<>();
                    for (int k = 0; k < target.keys().size(); k++) {
                        min.add(quoted(rs.getString(2 + 2 * k)));
                        max.add(quoted(rs.getString(3 + 2 * k)));
                    }
                    findings.add(Finding.warning("dedupe.near-duplicate", target.subject(), rs.getLong(1)
                                    + " key values differ only by case or surrounding whitespace, e.g. ("
                                    + String.join(", ", min) + ") and (" + String.join(", ", max)
                                    + "); a unique constraint accepts them, but they probably name the same thing")
                            .withHint("normalise these values before adding the constraint if they are the same."));
                }
            }
        }
        if (total > NEAR_DUPLICATES_SHOWN) {
            findings.add(Finding.warning("dedupe.near-duplicate", target.subject(), (total - NEAR_DUPLICATES_SHOWN)
                    + " more near-duplicate key sets not shown"));
        }
        return findings;
    }

    /**
     * PostgreSQL: true for every value that {@code LOWER(TRIM(value))} changes, and for a few more. In a database
     * whose collation is not C, {@code LOWER} converts each value to wide characters and back, which costs more than
     * this whole test: lower-casing in the C collation only maps ASCII letters (no conversion), so values with other
     * characters, which {@code LOWER} may change, are caught by their byte length; {@code TRIM} only strips spaces.
     */
    static String mayChange(String column) {
        String c = column + " COLLATE \"C\"";
        return "LOWER(" + c + ") <> " + column + " OR OCTET_LENGTH(" + column + ") <> CHAR_LENGTH(" + column + ") OR " + c
                + " LIKE ' %' OR " + c + " LIKE '% '";
    }

    private static String normalized(ColumnRef key, String alias) {
        return ValueCodec.isText(key) ? "LOWER(TRIM(" + alias + "." + key.sql() + "))" : alias + "." + key.sql();
    }

    private static String quoted(String value) {
        return value == null ? "NULL" : "'" + value + "'";
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

}
