package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.db.ConnectionSettings;
import java.sql.Connection;
import java.util.List;

/** What differs between the tools: their history table, the run on the copy, the rebuild of what was applied. */
interface RehearsalSource {

    /** The tool as messages name it. */
    String tool();

    /** How messages name what the tool runs. */
    Terms terms();

    /** What the rehearsal-wide findings name. */
    String subject();

    ProductionSession.History history(ProductionSession production) throws RehearsalException;

    /**
     * The schema the migrations work in, which the rehearsal copies, rebuilds and counts in: production's current
     * schema unless the tool names another.
     */
    default String schema(ProductionSession production) {
        return production.schema();
    }

    String historyName();

    /** Runs what is pending on the copy; the update carries the copy's catalog from before it (production's). */
    ChangelogOnCopy.Update pending(Connection connection, ConnectionSettings copy, String schema) throws Exception;

    List<Drift> drift(
            DriftCheck check,
            ScratchServer server,
            String schema,
            ProductionSession.History history,
            ChangelogOnCopy.Update update,
            Catalog production)
            throws Exception;
}
