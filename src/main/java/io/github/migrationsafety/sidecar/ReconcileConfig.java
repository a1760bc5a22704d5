package io.github.migrationsafety.sidecar;

import io.github.migrationsafety.db.ConnectionSettings;
import java.util.Objects;

/**
 * Database reconciliation: the query lists the models the application will load, as (name, version) in its
 * first two columns.
 *
 * @param connection where the models are listed
 * @param query      e.g. {@code SELECT name, version FROM model_metadata}
 */
public record ReconcileConfig(ConnectionSettings connection, String query) {

    public static final String DEFAULT_QUERY = "SELECT name, version FROM model_metadata";

    public ReconcileConfig {
        Objects.requireNonNull(connection, "connection");
        query = query == null || query.isBlank() ? DEFAULT_QUERY : query.strip();
    }
}
