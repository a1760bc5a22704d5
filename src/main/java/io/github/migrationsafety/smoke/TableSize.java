package io.github.migrationsafety.smoke;

/**
 * A production table's size as its database's statistics give it.
 *
 * @param table  the table, as the catalog stores its name
 * @param rows   its row count by those statistics
 * @param source where the count came from, e.g. {@code pg_class.reltuples}
 */
record TableSize(String table, long rows, String source) {}
