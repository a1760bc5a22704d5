package io.github.migrationsafety.rehearsal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A unique key's column, or expression, as the data counts' duplicates query groups and orders it
 * ({@link DataCheck}).
 *
 * @param column    the column's name, or the expression as the index has it
 * @param sql       the element in SQL: the column quoted, or the expression
 * @param type      the column's type, as {@code format_type} spells it; {@code null} when the catalog has no such column
 * @param collation the column's collation, qualified and quoted, or {@code null} for a type without one
 * @param bytewise  whether grouping in byte order finds the same groups: the collation is deterministic, so two
 *                  values are equal only when their bytes are
 */
record KeyCollation(String column, String sql, String type, String collation, boolean bytewise) {

    /**
     * In byte order ({@code COLLATE "C"}) when that finds the same groups: the sort of every row then compares bytes,
     * and mostly their first bytes alone (abbreviated keys), instead of calling the locale's comparison for each pair,
     * as PostgreSQL does under a libc collation such as {@code C.UTF-8} or {@code en_US.UTF-8}: about a fifth less
     * time for 5,000,000 keys (docs/goals/smoke.md).
     */
    String grouped() {
        return inByteOrder() ? sql + " COLLATE \"C\"" : sql;
    }

    /** For the samples, which are the first keys in the column's own order: {@code alias}, the grouped element. */
    String ordered(String alias) {
        return inByteOrder() ? alias + " COLLATE " + collation : alias;
    }

    /**
     * Whether the keys are grouped in byte order: a built-in string type under a deterministic collation, whose
     * equality is byte equality. Not another collatable type, an extension's say, which may define equality its own
     * way.
     */
    boolean inByteOrder() {
        return collation != null && bytewise && builtInString();
    }

    /** {@code text}, {@code varchar}, {@code char} or {@code name}. */
    boolean builtInString() {
        return type != null
                && (type.equals("text")
                        || type.equals("name")
                        || type.startsWith("character varying")
                        || type.startsWith("character(")
                        || type.equals("character"));
    }

    /**
     * Whether {@code hashtext} of two equal values is the same: {@code text} or {@code varchar} under a collation,
     * whose hash follows the collation's equality, a nondeterministic one's too. Not {@code char(n)}, whose equality
     * ignores trailing spaces that the hash would not, nor a type of an extension ({@code citext}).
     */
    boolean hashesAsItCompares() {
        return collation != null && type != null && (type.equals("text") || type.startsWith("character varying"));
    }

    /**
     * The collations of {@code unique}'s key in {@code table} (qualified, quoted), in its order, from its catalog; an
     * expression's is its own (no type read: grouped as it is, never in parts).
     */
    static List<KeyCollation> of(SnapshotReads production, int major, String table, Effect.Unique unique)
            throws SQLException {
        // collisdeterministic came with PostgreSQL 12; every collation before was deterministic
        String sql = "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                + " CASE WHEN a.attcollation = 0 THEN NULL ELSE quote_ident(n.nspname) || '.' || quote_ident(c.collname)"
                + " END, " + (major >= 12 ? "c.collisdeterministic" : "true")
                + " FROM pg_attribute a LEFT JOIN pg_collation c ON c.oid = a.attcollation"
                + " LEFT JOIN pg_namespace n ON n.oid = c.collnamespace"
                + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped";
        Map<String, KeyCollation> byName = production.inSavepoint(connection -> {
            Map<String, KeyCollation> found = new HashMap<>();
            try (var statement = connection.prepareStatement(sql)) {
                statement.setString(1, table);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        found.put(
                                rs.getString(1),
                                new KeyCollation(
                                        rs.getString(1),
                                        DataCheck.quote(rs.getString(1)),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getBoolean(4)));
                    }
                }
            }
            return found;
        });
        List<KeyCollation> key = new ArrayList<>();
        for (int i = 0; i < unique.columns().size(); i++) {
            String column = unique.columns().get(i);
            key.add(
                    unique.expressions().contains(i) || !byName.containsKey(column)
                            ? new KeyCollation(column, unique.key(i), null, null, false)
                            : byName.get(column));
        }
        return key;
    }
}
