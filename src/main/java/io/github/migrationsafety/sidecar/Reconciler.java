package io.github.migrationsafety.sidecar;

import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Finding;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the models the database lists with the sidecars on disk, in both directions. The query is the
 * user's own SQL (a whole statement, not an identifier, so there is nothing to quote); it runs in a
 * read-only transaction that is rolled back, so a mistaken statement cannot change data.
 */
final class Reconciler {

    private Reconciler() {}

    /** The (name, version) pairs the query returns, in query order without repeats; NULLs stay null. */
    static Set<ModelId> listedModels(ReconcileConfig config) throws SidecarException {
        Set<ModelId> rows = new LinkedHashSet<>();
        try (Connection connection = Databases.open(config.connection())) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1000);
                try (ResultSet rs = statement.executeQuery(config.query())) {
                    if (rs.getMetaData().getColumnCount() < 2) {
                        throw new SidecarException("Parameter 'reconcileQuery': the query returns "
                                + rs.getMetaData().getColumnCount() + " column(s); it must return the model name and"
                                + " version as its first two columns, e.g. " + ReconcileConfig.DEFAULT_QUERY + ".");
                    }
                    while (rs.next()) {
                        rows.add(new ModelId(rs.getString(1), rs.getString(2)));
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (DatabaseException e) {
            throw new SidecarException(e.getMessage() + " (needed for reconcile=true)", e);
        } catch (SQLException e) {
            throw new SidecarException(
                    "Parameter 'reconcileQuery': the query '" + config.query() + "' failed on "
                            + config.connection().safeUrl() + ": "
                            + Databases.scrub(config.connection(), e.getMessage())
                            + ". It must be a SELECT returning name and version, e.g. " + ReconcileConfig.DEFAULT_QUERY
                            + ".",
                    e);
        }
        return rows;
    }

    /**
     * Findings for rows without a sidecar and sidecars without a row.
     *
     * @param sidecars the models the sidecars declare, mapped to the artifact (relative path) they describe
     */
    static List<Finding> compare(Set<ModelId> rows, Map<ModelId, String> sidecars, String query) {
        List<Finding> findings = new ArrayList<>();
        for (ModelId row : rows) {
            if (row.hasNull()) {
                findings.add(Finding.error(
                                "sidecars.reconcile-null",
                                "row " + row,
                                "the query (" + query + ") returns"
                                        + " a NULL name or version, which no sidecar can match")
                        .withHint("Fill in the row's name and version, or leave such rows out in reconcileQuery."));
            } else if (!sidecars.containsKey(row)) {
                findings.add(Finding.error(
                                "sidecars.reconcile-missing-artifact",
                                "row " + row,
                                "the database lists this model but no artifact under modelsDirectory has a sidecar with "
                                        + row)
                        .withHint("Deploy the artifact with its sidecar, or fix the row before the"
                                + " application tries to load the model."));
            }
        }
        sidecars.forEach((model, artifact) -> {
            if (!rows.contains(model)) {
                findings.add(
                        Finding.error(
                                        "sidecars.reconcile-missing-row",
                                        artifact,
                                        "its sidecar declares " + model + " but the query (" + query
                                                + ") returns no such row")
                                .withHint(
                                        "Insert the row the application needs, or remove the artifact if the model is retired."));
            }
        });
        return findings;
    }
}
