package io.github.migrationsafety.rehearsal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The schemas a changelog works in, of one PostgreSQL database, as {@code pg_catalog} describes them: tables, their
 * columns (type as {@code format_type} prints it, nullability, default, identity), indexes and constraints (primary
 * key, unique, foreign key, check, exclusion) in the server's own spelling ({@code pg_get_indexdef},
 * {@code pg_get_constraintdef}). Liquibase's own tables are left out.
 *
 * <p>Indexes and constraints are keyed by what they are, not by their names: a generated name differs from database
 * to database while the object is the same. Sequence names in defaults are left out for the same reason.
 *
 * <p>A table of the migrations' own schema is named by its name, a table of another schema by {@code schema.name}:
 * the names the findings show, which stay those of a one-schema changelog.
 *
 * @param schema    the migrations' own schema
 * @param schemas   the schemas read, {@code schema} first
 * @param tables    table name to its description, sorted by name
 * @param relations every table named here (the foreign keys' referenced ones included) to its schema and name
 */
record Catalog(String schema, List<String> schemas, Map<String, Table> tables, Map<String, Relation> relations) {

    /** A table's schema and name in the database. */
    record Relation(String schema, String name) {}

    /** A column: type, {@code NOT NULL}, default expression ({@code null} for none), identity or generated kind. */
    record Column(String name, String type, boolean notNull, String defaultValue, String identity) {

        String describe() {
            return type
                    + (notNull ? " NOT NULL" : " NULL")
                    + (defaultValue == null ? "" : " DEFAULT " + defaultValue)
                    + (identity.isEmpty() ? "" : " " + identity);
        }
    }

    /**
     * An index that no constraint owns, or a constraint.
     *
     * @param kind       {@code index}, {@code primary key}, {@code unique constraint}, {@code foreign key},
     *                   {@code check constraint}, {@code exclusion constraint}
     * @param name       its name in this database
     * @param definition the server's definition without the name (the key it is compared by)
     * @param unique     a unique index, primary key or unique constraint
     * @param validated  {@code false} for a constraint added {@code NOT VALID}
     * @param columns    the columns of its key, in order ({@code null} entries for expressions; an index's
     *                   {@code INCLUDE} columns are not its key)
     * @param elements   an index's key elements as the server prints them, column or expression
     *                   ({@code lower((label)::text)}); empty for a constraint
     * @param predicate  a partial index's {@code WHERE}, or {@code null}
     * @param refTable   a foreign key's referenced table, or {@code null}
     * @param refColumns a foreign key's referenced columns
     * @param operators  an exclusion constraint's operators, schema-qualified, one per element of {@code columns};
     *                   empty when an element is an expression or for another kind
     */
    record Keyed(
            String kind,
            String name,
            String definition,
            boolean unique,
            boolean validated,
            List<String> columns,
            List<String> elements,
            String predicate,
            String refTable,
            List<String> refColumns,
            List<String> operators) {}

    /**
     * A table: columns in their order, and its indexes and constraints by definition.
     *
     * @param partitionOf the partitioned table it is a partition of, by its name here, or {@code null}
     */
    record Table(String name, String partitionOf, Map<String, Column> columns, Map<String, Keyed> keyed) {

        /** The primary key's columns, empty when it has none. */
        List<String> primaryKey() {
            return keyed.values().stream()
                    .filter(k -> k.kind().equals("primary key"))
                    .map(Keyed::columns)
                    .findFirst()
                    .orElse(List.of());
        }
    }

    private static final String TABLES = "SELECT c.relname, n.nspname, p.relname, pn.nspname FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid"
            + " LEFT JOIN pg_class p ON p.oid = i.inhparent LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace"
            + " WHERE n.nspname = ANY (?) AND c.relkind IN ('r', 'p') ORDER BY 1";

    private static final String COLUMNS = "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),"
            + " a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, n.nspname"
            + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            + " WHERE n.nspname = ANY (?) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
            + " ORDER BY c.relname, a.attnum";

    /** Indexes that back no primary key, unique or exclusion constraint of their own table. */
    private static final String INDEXES = "SELECT t.relname, i.relname, quote_ident(i.relname),"
            + " pg_get_indexdef(i.oid), x.indisunique, pg_get_expr(x.indpred, x.indrelid),"
            + " ARRAY(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(num, pos)"
            + " LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.num"
            + " WHERE k.pos <= x.indnkeyatts ORDER BY k.pos), n.nspname,"
            + " ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) k)"
            + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
            + " JOIN pg_namespace n ON n.oid = t.relnamespace"
            + " WHERE n.nspname = ANY (?) AND t.relkind IN ('r', 'p') AND NOT EXISTS (SELECT 1 FROM pg_constraint k"
            + " WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))";

    private static final String CONSTRAINTS = "SELECT t.relname, k.conname, k.contype, pg_get_constraintdef(k.oid),"
            + " k.convalidated,"
            + " ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(num, pos)"
            + " JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num ORDER BY u.pos),"
            + " r.relname,"
            + " ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(num, pos)"
            + " JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num ORDER BY u.pos),"
            + " n.nspname, rn.nspname,"
            + " CASE WHEN k.contype = 'x' AND NOT 0 = ANY (k.conkey) THEN ARRAY(SELECT quote_ident(opn.nspname) || '.'"
            + " || o.oprname FROM unnest(k.conexclop) WITH ORDINALITY u(op, pos) JOIN pg_operator o ON o.oid = u.op"
            + " JOIN pg_namespace opn ON opn.oid = o.oprnamespace ORDER BY u.pos) END,"
            + " (SELECT pg_get_expr(xi.indpred, xi.indrelid) FROM pg_index xi WHERE xi.indexrelid = k.conindid)"
            + " FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid"
            + " JOIN pg_namespace n ON n.oid = t.relnamespace LEFT JOIN pg_class r ON r.oid = k.confrelid"
            + " LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace"
            + " WHERE n.nspname = ANY (?) AND k.contype IN ('p', 'u', 'f', 'c', 'x')";

    /**
     * @param schema  the migrations' own schema, whose tables go by their names
     * @param schemas every schema to read, {@code schema} among them
     */
    static Catalog read(Connection connection, String schema, List<String> schemas, String historyTable)
            throws SQLException {
        String history = historyTable.toLowerCase(Locale.ROOT);
        Map<String, Table> tables = new TreeMap<>();
        Map<String, Relation> relations = new TreeMap<>();
        Array names = connection.createArrayOf("text", schemas.toArray());
        try (PreparedStatement statement = connection.prepareStatement(TABLES)) {
            statement.setArray(1, names);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String relation = rs.getString(1);
                    String lower = relation.toLowerCase(Locale.ROOT);
                    if (!lower.equals(history) && !lower.equals(history + "lock")) {
                        String name = name(schema, rs.getString(2), relation);
                        String parent = rs.getString(3) == null ? null : name(schema, rs.getString(4), rs.getString(3));
                        tables.put(name, new Table(name, parent, new LinkedHashMap<>(), new TreeMap<>()));
                        relations.put(name, new Relation(rs.getString(2), relation));
                    }
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            statement.setArray(1, names);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Table table = tables.get(name(schema, rs.getString(8), rs.getString(1)));
                    if (table != null) {
                        String identity = switch (String.valueOf(rs.getString(6))) {
                            case "a" -> "GENERATED ALWAYS AS IDENTITY";
                            case "d" -> "GENERATED BY DEFAULT AS IDENTITY";
                            default -> "s".equals(rs.getString(7)) ? "GENERATED ALWAYS AS (expression) STORED" : "";
                        };
                        table.columns()
                                .put(
                                        rs.getString(2),
                                        new Column(
                                                rs.getString(2),
                                                rs.getString(3),
                                                rs.getBoolean(4),
                                                normalizeDefault(rs.getString(5)),
                                                identity));
                    }
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(INDEXES)) {
            statement.setArray(1, names);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Table table = tables.get(name(schema, rs.getString(8), rs.getString(1)));
                    if (table != null) {
                        String definition =
                                rs.getString(4).replaceFirst(" INDEX \\Q" + rs.getString(3) + "\\E ON ", " INDEX ON ");
                        put(
                                table.keyed(),
                                "index " + definition,
                                new Keyed(
                                        "index",
                                        rs.getString(2),
                                        definition,
                                        rs.getBoolean(5),
                                        true,
                                        strings(rs.getArray(7)),
                                        strings(rs.getArray(9)),
                                        rs.getString(6),
                                        null,
                                        List.of(),
                                        List.of()));
                    }
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(CONSTRAINTS)) {
            statement.setArray(1, names);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Table table = tables.get(name(schema, rs.getString(9), rs.getString(1)));
                    if (table != null) {
                        String kind = switch (rs.getString(3)) {
                            case "p" -> "primary key";
                            case "u" -> "unique constraint";
                            case "f" -> "foreign key";
                            case "c" -> "check constraint";
                            default -> "exclusion constraint";
                        };
                        String definition = rs.getString(4);
                        String referenced = null;
                        if (rs.getString(7) != null) {
                            referenced = name(schema, rs.getString(10), rs.getString(7));
                            relations.putIfAbsent(referenced, new Relation(rs.getString(10), rs.getString(7)));
                        }
                        put(
                                table.keyed(),
                                kind + " " + definition,
                                new Keyed(
                                        kind,
                                        rs.getString(2),
                                        definition,
                                        kind.equals("primary key") || kind.equals("unique constraint"),
                                        rs.getBoolean(5),
                                        strings(rs.getArray(6)),
                                        List.of(),
                                        kind.equals("exclusion constraint") ? rs.getString(12) : null,
                                        referenced,
                                        strings(rs.getArray(8)),
                                        strings(rs.getArray(11))));
                    }
                }
            }
        }
        return new Catalog(
                schema,
                List.copyOf(schemas),
                Collections.unmodifiableMap(tables),
                Collections.unmodifiableMap(relations));
    }

    /** {@code name} of the migrations' own schema, {@code other.name} of another. */
    private static String name(String schema, String namespace, String relation) {
        return namespace.equals(schema) ? relation : namespace + "." + relation;
    }

    /**
     * A table named here, quoted and qualified by its schema: {@code "app"."thing"}. A name the catalog did not read
     * is a table of the migrations' own schema.
     */
    String qualified(String name) {
        Relation relation = relations.getOrDefault(name, new Relation(schema, name));
        return ProductionSession.quote(relation.schema()) + "." + ProductionSession.quote(relation.name());
    }

    /** Two equal indexes (one added twice under two names) are two objects. */
    private static void put(Map<String, Keyed> keyed, String key, Keyed value) {
        String unique = key;
        for (int n = 2; keyed.containsKey(unique); n++) {
            unique = key + " #" + n;
        }
        keyed.put(unique, value);
    }

    /** {@code nextval('t_id_seq'::regclass)}: the sequence's name is generated, the default is what counts. */
    static String normalizeDefault(String expression) {
        if (expression == null) {
            return null;
        }
        return expression.replaceAll("nextval\\('[^']*'::regclass\\)", "nextval(<sequence>)");
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            values.add(value == null ? null : value.toString());
        }
        return Collections.unmodifiableList(values);
    }
}
