package io.github.migrationsafety.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The databases the engine knows the rules of. Others get {@link #GENERIC} best-effort treatment. */
public enum Dialect {
    /** H2 folds unquoted identifiers to upper case. */
    H2,
    /** PostgreSQL folds unquoted identifiers to lower case. */
    POSTGRESQL,
    /** Any other JDBC database: standard SQL quoting, upper-case folding. */
    GENERIC;

    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            return H2;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        return GENERIC;
    }

    /** How the database stores a name that was written without quotes. */
    public String foldUnquoted(String name) {
        return this == POSTGRESQL ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT);
    }

    /** A delimited identifier: the name exactly as stored, with embedded quotes doubled. */
    public String quote(String storedName) {
        return '"' + storedName.replace("\"", "\"\"") + '"';
    }
}
