package io.github.migrationsafety.db;

/**
 * A table that exists, with its schema and name exactly as the database stores them.
 * Only {@link SchemaCatalog} creates these, so a {@code TableRef} is always validated.
 */
public record TableRef(String schema, String name, Dialect dialect) {

    /** The quoted, schema-qualified name, safe to put into SQL. */
    public String sql() {
        return schema == null ? dialect.quote(name) : dialect.quote(schema) + "." + dialect.quote(name);
    }

    /** The name as a user would write it, for messages. */
    public String display() {
        return schema == null ? name : schema + "." + name;
    }

    @Override
    public String toString() {
        return display();
    }
}
