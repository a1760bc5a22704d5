package io.github.migrationsafety.impact;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The schema as PostgreSQL's catalog knows it at one moment: its tables with their columns, indexes and constraints,
 * and its enum types. Read inside the migrating transaction, so it sees what the change did before the commit.
 *
 * <p>The trace reads the full detail once, then after each change only the tables the migrating transaction holds a
 * lock of {@code ShareUpdateExclusiveLock} or stronger on: any DDL on a table takes one and keeps it until the
 * commit, so the other tables are as they were, and their detail is carried over ({@link #merge}).
 */
public record Catalog(Map<Long, Table> tables, Map<Long, EnumLabel> enumLabels) {

    /** The tables' names, in lower case. */
    Set<String> lowerCaseNames() {
        Set<String> names = new HashSet<>();
        tables.values().forEach(t -> names.add(t.name().toLowerCase(Locale.ROOT)));
        return names;
    }

    /**
     * One round trip after each change, inside its transaction: the schema's tables with their storage, the locks the
     * migrating backend holds, the tables it scanned or updated or deleted rows of, its lock_timeout, the enum labels, and the columns, indexes and
     * constraints of the tables it holds a DDL lock on (ShareUpdateExclusiveLock or stronger), or of every table
     * when the parameter is true. Only catalog reads: no lock on a user table.
     */
    static final String QUERY = "WITH t AS (SELECT c.oid, c.relname, c.relfilenode, c.relkind FROM pg_class c"
            + " WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
            + " AND c.relkind IN ('r', 'p') AND c.relname NOT ILIKE 'databasechangelog%'),"
            + " l AS (SELECT relation, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation'"
            + " AND granted),"
            + " d AS (SELECT oid FROM t WHERE ? OR oid IN (SELECT relation FROM l WHERE mode IN"
            + " ('ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock',"
            + " 'AccessExclusiveLock')))"
            + " SELECT 'table', t.oid::bigint, t.relfilenode::bigint, t.relname::text, t.relkind::text, NULL::text,"
            + " NULL::text, COALESCE((SELECT h.inhparent FROM pg_inherits h WHERE h.inhrelid = t.oid LIMIT 1), 0)::bigint,"
            + " 0::bigint, false, false FROM t"
            + " UNION ALL SELECT 'lock', l.relation::bigint, 0, NULL, l.mode::text, NULL, NULL, 0, 0, false, false FROM l"
            + " UNION ALL SELECT 'scan', s.relid::bigint, s.seq_scan, NULL, NULL, NULL, NULL, 0, 0, false, false"
            + " FROM pg_stat_xact_user_tables s WHERE s.seq_scan > 0"
            + " UNION ALL SELECT 'indexscan', s.relid::bigint, s.idx_scan, NULL, NULL, NULL, NULL, 0, 0, false, false"
            + " FROM pg_stat_xact_user_tables s WHERE s.idx_scan > 0"
            + " UNION ALL SELECT 'written', s.relid::bigint, s.n_tup_upd + s.n_tup_del, NULL, NULL, NULL, NULL, 0, 0,"
            + " false, false FROM pg_stat_xact_user_tables s WHERE s.n_tup_upd + s.n_tup_del > 0"
            + " UNION ALL SELECT 'timeout', 0, 0, NULL, current_setting('lock_timeout'), NULL, NULL, 0, 0, false, false"
            + " UNION ALL SELECT 'column', a.attrelid::bigint, a.attnum::bigint, a.attname::text,"
            + " format_type(a.atttypid, a.atttypmod), pg_get_expr(ad.adbin, ad.adrelid),"
            + " a.attidentity::text || a.attgenerated::text, a.atttypid::bigint, a.atttypmod::bigint, a.attnotnull,"
            + " false FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
            + " WHERE a.attrelid IN (SELECT oid FROM d) AND a.attnum > 0 AND NOT a.attisdropped"
            + " UNION ALL SELECT 'index', i.indrelid::bigint, i.indexrelid::bigint, x.relname::text,"
            + " pg_get_indexdef(i.indexrelid), i.indkey::text, CASE WHEN i.indpred IS NULL THEN '' ELSE 'partial' END,"
            + " x.relfilenode::bigint, 0, i.indisvalid, i.indisunique FROM pg_index i"
            + " JOIN pg_class x ON x.oid = i.indexrelid WHERE i.indrelid IN (SELECT oid FROM d)"
            + " UNION ALL SELECT 'constraint', o.conrelid::bigint, o.oid::bigint, o.conname::text,"
            + " pg_get_constraintdef(o.oid), o.conkey::text, o.contype::text, o.confrelid::bigint, o.conindid::bigint,"
            + " o.convalidated, false FROM pg_constraint o WHERE o.conrelid IN (SELECT oid FROM d)"
            + " UNION ALL SELECT 'enum', e.enumtypid::bigint, e.oid::bigint, y.typname::text, e.enumlabel::text, NULL,"
            + " NULL, 0, 0, false, false FROM pg_enum e JOIN pg_type y ON y.oid = e.enumtypid"
            + " WHERE y.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())";

    /** A table ({@code relkind} {@code r} or {@code p}) with its detail; {@code parent} is 0 unless a partition. */
    public record Table(
            long oid,
            String name,
            long fileNode,
            boolean partitioned,
            long parent,
            Map<Integer, Column> columns,
            Map<Long, Index> indexes,
            Map<Long, Constraint> constraints) {

        public Column column(int attnum) {
            return columns.get(attnum);
        }

        /** Column names in the order of {@code attnums} (0, an expression, is left out). */
        public List<String> columnNames(List<Integer> attnums) {
            List<String> names = new ArrayList<>();
            for (int attnum : attnums) {
                Column column = columns.get(attnum);
                if (column != null) {
                    names.add(column.name());
                }
            }
            return names;
        }
    }

    /**
     * @param identityOrGenerated {@code attidentity} and {@code attgenerated} ({@code a}/{@code d} identity, {@code s}
     *                            stored generated), empty for a plain column
     * @param defaultExpression   the default ({@code pg_get_expr}), or {@code null}
     */
    public record Column(
            int attnum,
            String name,
            String type,
            long typeOid,
            long typeMod,
            boolean notNull,
            String identityOrGenerated,
            String defaultExpression) {

        public boolean identity() {
            return identityOrGenerated.contains("a") || identityOrGenerated.contains("d");
        }

        public boolean storedGenerated() {
            return identityOrGenerated.contains("s");
        }

        public boolean serial() {
            return defaultExpression != null && defaultExpression.startsWith("nextval(");
        }
    }

    /** @param definition {@code pg_get_indexdef} */
    public record Index(
            long oid,
            String name,
            long fileNode,
            boolean valid,
            boolean unique,
            boolean partial,
            List<Integer> keys,
            String definition) {}

    /**
     * @param type       {@code contype}: {@code c} check, {@code f} foreign key, {@code p} primary key, {@code u}
     *                   unique, {@code x} exclusion ({@code n}, PostgreSQL 18's NOT NULL, and {@code t} are not
     *                   judged)
     * @param definition {@code pg_get_constraintdef}
     * @param referenced the referenced table of a foreign key, else 0
     * @param index      the index that backs it ({@code conindid}), else 0
     */
    public record Constraint(
            long oid,
            String name,
            char type,
            boolean validated,
            List<Integer> columns,
            long referenced,
            long index,
            String definition) {}

    /** One label of an enum type. */
    public record EnumLabel(long oid, long typeOid, String typeName, String label) {}

    /** Builds a catalog from the trace query's rows; tables without a detail row get the detail of {@code previous}. */
    static Catalog read(ResultSet rs, Catalog previous, TraceRows rows) throws SQLException {
        Map<Long, Table> tables = new HashMap<>();
        Map<Long, List<Object[]>> detail = new HashMap<>();
        Map<Long, EnumLabel> labels = new HashMap<>();
        while (rs.next()) {
            String kind = rs.getString(1);
            long rel = rs.getLong(2);
            long id = rs.getLong(3);
            switch (kind) {
                case "table" ->
                    tables.put(
                            rel,
                            new Table(
                                    rel,
                                    rs.getString(4),
                                    id,
                                    "p".equals(rs.getString(5)),
                                    rs.getLong(8),
                                    new HashMap<>(),
                                    new HashMap<>(),
                                    new HashMap<>()));
                case "column", "index", "constraint" ->
                    detail.computeIfAbsent(rel, k -> new ArrayList<>()).add(new Object[] {
                        kind,
                        id,
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getLong(8),
                        rs.getLong(9),
                        rs.getBoolean(10),
                        rs.getBoolean(11)
                    });
                case "enum" -> labels.put(id, new EnumLabel(id, rel, rs.getString(4), rs.getString(5)));
                default -> rows.other(kind, rel, id, rs.getString(5));
            }
        }
        for (Map.Entry<Long, Table> entry : tables.entrySet()) {
            Table table = entry.getValue();
            List<Object[]> own = detail.get(table.oid());
            if (own == null) {
                // not touched by DDL since the last read: the same detail (and, unchanged, the same object)
                Table before = previous == null ? null : previous.tables().get(table.oid());
                if (before != null && before.name().equals(table.name()) && before.fileNode() == table.fileNode()) {
                    entry.setValue(before);
                } else if (before != null) {
                    table.columns().putAll(before.columns());
                    table.indexes().putAll(before.indexes());
                    table.constraints().putAll(before.constraints());
                }
                continue;
            }
            for (Object[] row : own) {
                add(table, row);
            }
        }
        return new Catalog(tables, labels);
    }

    private static void add(Table table, Object[] row) {
        long id = (Long) row[1];
        String name = (String) row[2];
        String a = (String) row[3];
        String b = (String) row[4];
        String c = (String) row[5];
        long n1 = (Long) row[6];
        long n2 = (Long) row[7];
        boolean f1 = (Boolean) row[8];
        boolean f2 = (Boolean) row[9];
        switch ((String) row[0]) {
            case "column" ->
                table.columns().put((int) id, new Column((int) id, name, a, n1, n2, f1, c == null ? "" : c, b));
            case "index" ->
                table.indexes().put(id, new Index(id, name, n1, f1, f2, "partial".equals(c), attnums(b), a));
            default ->
                table.constraints()
                        .put(
                                id,
                                new Constraint(
                                        id,
                                        name,
                                        c == null || c.isEmpty() ? ' ' : c.charAt(0),
                                        f1,
                                        attnums(b),
                                        n1,
                                        n2,
                                        a));
        }
    }

    /** {@code "1 3"} ({@code int2vector}) or {@code "{1,3}"} (an array) as attnums. */
    static List<Integer> attnums(String text) {
        List<Integer> attnums = new ArrayList<>();
        if (text == null) {
            return attnums;
        }
        for (String part : text.replaceAll("[{}]", "").split("[ ,]+")) {
            if (!part.isBlank()) {
                attnums.add(Integer.parseInt(part.trim()));
            }
        }
        return attnums;
    }

    /** The rows of the trace query that are not catalog: locks, scans, the lock_timeout. */
    interface TraceRows {
        void other(String kind, long relation, long count, String text);
    }
}
