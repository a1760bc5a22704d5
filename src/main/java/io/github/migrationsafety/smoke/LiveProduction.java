package io.github.migrationsafety.smoke;

import java.util.List;
import java.util.Map;
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
 */
record LiveProduction(
        String url,
        String product,
        String schema,
        Map<String, TableSize> sizes,
        String changelogTable,
        List<RanChangeSet> ran) {

    LiveProduction {
        sizes = Map.copyOf(sizes);
        ran = List.copyOf(ran);
    }
}
