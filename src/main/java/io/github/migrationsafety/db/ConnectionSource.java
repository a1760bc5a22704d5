package io.github.migrationsafety.db;

import java.sql.Connection;

/** Opens another connection to the database a goal works on, for work that runs beside its own connection. */
@FunctionalInterface
public interface ConnectionSource {

    Connection open() throws DatabaseException;

    /** New connections with {@code settings}, as {@link Databases#open} makes them. */
    static ConnectionSource of(ConnectionSettings settings) {
        return () -> Databases.open(settings);
    }
}
