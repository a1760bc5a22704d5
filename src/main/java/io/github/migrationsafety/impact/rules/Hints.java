package io.github.migrationsafety.impact.rules;

import io.github.migrationsafety.impact.Catalog.Index;
import io.github.migrationsafety.impact.Catalog.Table;
import java.util.regex.Pattern;

/** SQL for the hints, from the catalog's own definitions of what the change built. */
final class Hints {

    private static final Pattern SCHEMA = Pattern.compile(" ON (ONLY )?(\"[^\"]+\"|[a-z_][a-z0-9_$]*)\\.");
    private static final Pattern CREATE_INDEX = Pattern.compile("^CREATE (UNIQUE )?INDEX ");

    private Hints() {}

    /** {@code pg_get_indexdef} as one would write it: no schema, no {@code USING btree}. */
    static String indexDefinition(Index index) {
        return SCHEMA.matcher(index.definition()).replaceFirst(" ON $1").replace(" USING btree ", " ");
    }

    /** The index's own definition, built {@code CONCURRENTLY}. */
    static String concurrently(Index index) {
        return CREATE_INDEX.matcher(indexDefinition(index)).replaceFirst("CREATE $1INDEX CONCURRENTLY ");
    }

    /** The same definition on {@code ONLY} the partitioned parent (instant, the index stays invalid until attached). */
    static String onOnly(Index index, Table table) {
        return indexDefinition(index)
                .replaceFirst(" ON " + Pattern.quote(table.name()) + " ", " ON ONLY " + table.name() + " ");
    }

    /** The columns of the index ({@code (a, b)} with any {@code WHERE}), after the table name. */
    static String columns(Index index) {
        String definition = indexDefinition(index);
        int open = definition.indexOf(" (");
        return open < 0 ? "" : definition.substring(open + 1);
    }
}
