package io.github.migrationsafety.db;

/**
 * A column that exists, as the database stores it.
 *
 * @param name     stored name
 * @param jdbcType {@link java.sql.Types} constant
 * @param typeName the database's own type name, e.g. {@code int8}, {@code CHARACTER VARYING}
 * @param nullable whether the column accepts NULL
 */
public record ColumnRef(String name, int jdbcType, String typeName, boolean nullable, Dialect dialect) {

    /** The quoted name, safe to put into SQL. */
    public String sql() {
        return dialect.quote(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
