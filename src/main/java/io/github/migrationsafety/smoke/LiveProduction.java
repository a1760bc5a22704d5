package io.github.migrationsafety.smoke;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.changelog.RanChangeSet;

/**
 * What the smoke read, read-only, from the production database at {@code url}.
 *
 * @param url            the URL, safe for messages (no password)
 * @param product        database product and version, e.g. {@code PostgreSQL 15.4}
 * @param schema         the schema whose tables were read (the connection's current one)
 * @param sizes          its tables (lower case) with their sizes from the statistics
 * @param changelogTable Liquibase's history table as found, {@code schema.name}; {@code null} when it does not exist
 * @param ran            the changesets that table lists, as Liquibase reads them
 * @param lockTimeout    the lock_timeout a session there starts with (the role's and the database's settings over
 *                       the server's), e.g. {@code 0} or {@code 5s}; {@code null} when not read (H2)
 * @param lockTimeoutFrom where that value comes from, e.g. {@code ALTER ROLE app IN DATABASE prod}, or {@code null}
 */
record LiveProduction(
        String url,
        String product,
        String schema,
        Map<String, TableSize> sizes,
        String changelogTable,
        List<RanChangeSet> ran,
        String lockTimeout,
        String lockTimeoutFrom) {

    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.\\d+)*");

    LiveProduction {
        sizes = Map.copyOf(sizes);
        ran = List.copyOf(ran);
    }

    /** The major version of {@code product} ({@code PostgreSQL 15.4} gives 15), or 0 when it has none. */
    static int major(String product) {
        Matcher version = VERSION.matcher(product == null ? "" : product);
        return version.find() ? Integer.parseInt(version.group(1)) : 0;
    }
}
