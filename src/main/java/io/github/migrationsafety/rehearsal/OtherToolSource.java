package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.db.ConnectionSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Another tool's migrations, each one's effect read from the catalog when the tool says it ran. */
final class OtherToolSource implements RehearsalSource {

    private final MigrationTool tool;

    OtherToolSource(MigrationTool tool) {
        this.tool = tool;
    }

    @Override
    public String tool() {
        return tool.name();
    }

    @Override
    public Terms terms() {
        return Terms.MIGRATIONS;
    }

    @Override
    public String subject() {
        return tool.label();
    }

    @Override
    public String historyName() {
        return tool.historyTable();
    }

    /** Flyway's default schema ({@code defaultSchema}, else the first of {@code schemas}) when it names one. */
    @Override
    public String schema(ProductionSession production) {
        return tool.historySchema() != null ? tool.historySchema() : production.schema();
    }

    @Override
    public ProductionSession.History history(ProductionSession production) throws RehearsalException {
        return production.history(tool.historyTable(), tool.historySchema(), tool.historyOrder());
    }

    @Override
    public ChangelogOnCopy.Update pending(Connection connection, ConnectionSettings copy, String schema)
            throws Exception {
        Map<String, ChangelogOnCopy.Outcome> outcomes = new LinkedHashMap<>();
        Set<String> named = new LinkedHashSet<>(List.of(schema));
        named.addAll(tool.schemas());
        List<String> schemas = List.copyOf(named);
        Catalog production = Catalog.read(connection, schema, schemas, historyName());
        Set<String> existing = production.tables().keySet();
        Catalog[] last = {production};
        String refused = tool.pending(copy, schema, new MigrationTool.Listener() {
            @Override
            public void pending(String key, String file) {
                outcomes.put(key, new ChangelogOnCopy.Outcome(key, file, null, "not run", null, List.of(), List.of()));
            }

            @Override
            public void passed(String key, Connection migrating) {
                try {
                    Catalog after = Catalog.read(migrating, schema, schemas, historyName());
                    List<Effect> effects = Effect.between(last[0], after, existing);
                    last[0] = after;
                    outcomes.put(
                            key, new ChangelogOnCopy.Outcome(key, file(key), null, "passed", null, effects, List.of()));
                } catch (SQLException e) {
                    throw new IllegalStateException(
                            "the rehearsal could not read the copy's catalog after " + key + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void failed(String key, String error, List<String> ranLater) {
                outcomes.put(
                        key,
                        new ChangelogOnCopy.Outcome(
                                key, file(key), null, "failed", error, List.of(), List.copyOf(ranLater)));
            }

            private String file(String key) {
                ChangelogOnCopy.Outcome known = outcomes.get(key);
                return known == null ? key : known.file();
            }
        });
        return new ChangelogOnCopy.Update(null, List.of(), List.copyOf(outcomes.values()), refused, production);
    }

    @Override
    public List<Drift> drift(
            DriftCheck check,
            ScratchServer server,
            String schema,
            ProductionSession.History history,
            ChangelogOnCopy.Update update,
            Catalog production)
            throws Exception {
        int applied = 0;
        int success = history == null ? -1 : history.columns().indexOf("success");
        for (List<Object> row : history == null ? List.<List<Object>>of() : history.rows()) {
            applied += success < 0 || Boolean.TRUE.equals(row.get(success)) ? 1 : 0;
        }
        return check.run(
                server,
                schema,
                historyName(),
                history,
                production,
                tool.label(),
                Terms.MIGRATIONS.count(applied, "applied") + (applied == 1 ? " makes" : " make"),
                HistoryGaps.of(tool.gaps()),
                (connection, settings) -> tool.rebuild(settings, schema));
    }
}
