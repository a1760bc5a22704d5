package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.changelog.LiquibaseMessages;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.change.Change;
import liquibase.change.core.AddNotNullConstraintChange;
import liquibase.changelog.ChangeSet;

/**
 * The production rows that would break what each pending changeset adds to an existing table, counted with
 * {@link DataCheck}: a {@link RehearsalEngine#DATA} error per effect that rows break, a warning per effect not counted.
 */
final class DataCounts {

    private final RehearsalConfig config;
    private final EngineLog log;
    private final RehearsalFindings results;

    DataCounts(RehearsalConfig config, EngineLog log, RehearsalFindings results) {
        this.config = config;
        this.log = log;
        this.results = results;
    }

    void count(ProductionSession production, Catalog catalog, ChangelogOnCopy.Update update) {
        long started = System.nanoTime();
        List<Map<String, Object>> entries = new ArrayList<>();
        results.put("data", entries);
        DataCheck check = new DataCheck(production, catalog, config.samples(), config.rowLimit());
        int failing = 0;
        int counted = 0;
        for (ChangelogOnCopy.Outcome outcome : update.pending()) {
            for (Effect effect : outcome.effects()) {
                if (filledByDefault(outcome.changeSet(), effect)) {
                    continue;
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("changeset", outcome.key());
                entry.put("check", effect.describe());
                entries.add(entry);
                DataCheck.Count count;
                try {
                    count = check.count(effect);
                } catch (SQLException e) {
                    String why = "57014".equals(e.getSQLState())
                            ? "statement_timeout (" + config.statementTimeout().toSeconds() + " s) reached"
                            : Databases.scrub(config.production(), LiquibaseMessages.rootMessage(e));
                    entry.put("rows", "not counted: " + why);
                    results.add(Finding.warning(
                                    RehearsalEngine.DATA,
                                    outcome.key(),
                                    effect.describe() + ": the production rows that would break it were not"
                                            + " counted: " + why)
                            .withHint("raise 'rehearsalStatementTimeout' or set 'rehearsalRowLimit'"));
                    continue;
                }
                counted++;
                entry.put("rows", count.count());
                entry.put("keyColumns", count.keyName());
                entry.put("keys", count.samples());
                results.add(
                        count.count() == 0
                                ? Check.passed("rehearsal.data", outcome.key() + " " + effect.describe(), Duration.ZERO)
                                : Check.failed(
                                        "rehearsal.data",
                                        outcome.key() + " " + effect.describe(),
                                        Duration.ZERO,
                                        rows(count)));
                if (count.count() != 0) {
                    failing++;
                    results.add(Finding.error(
                                    RehearsalEngine.DATA,
                                    outcome.key(),
                                    effect.describe() + ": " + rows(count) + " in production would make it fail"
                                            + (config.rowLimit() == null
                                                    ? ""
                                                    : " (first " + config.rowLimit() + " rows of the table read)"))
                            .withExpectation("0 rows", count.count() < 0 ? "at least 1 row" : count.count() + " rows")
                            .withHint(hint(effect, count))
                            .at(outcome.changeSet().getFilePath(), 0));
                }
            }
        }
        log.info("Rehearsal: data: " + counted + " check" + (counted == 1 ? "" : "s") + " of production's rows"
                + " against the pending changesets, " + failing + " would fail (" + Millis.since(started) + " ms)");
    }

    private static String rows(DataCheck.Count count) {
        String rows = count.count() < 0
                ? "at least one row whose value does not convert"
                : count.count() + (count.count() == 1 ? " row" : " rows");
        return rows
                + (count.samples().isEmpty()
                        ? ""
                        : " (" + count.keyName() + ": " + String.join(", ", count.samples())
                                + (count.count() > count.samples().size() ? ", ..." : "") + ")");
    }

    private static String hint(Effect effect, DataCheck.Count count) {
        if (effect instanceof Effect.Unique unique) {
            return "review and remove the duplicates with migration-safety:dedupe (table=" + unique.table()
                    + ", keyColumns=" + String.join(",", unique.columns()) + ") before the migration; they are listed"
                    + " by: " + count.query();
        }
        return "fix those rows before the migration; they are listed by: " + count.query();
    }

    /** An addNotNullConstraint with {@code defaultNullValue} fills the NULLs itself before it adds the constraint. */
    private static boolean filledByDefault(ChangeSet changeSet, Effect effect) {
        if (!(effect instanceof Effect.NotNull notNull)) {
            return false;
        }
        for (Change change : changeSet.getChanges()) {
            if (change instanceof AddNotNullConstraintChange add
                    && add.getDefaultNullValue() != null
                    && notNull.table().equalsIgnoreCase(add.getTableName())
                    && notNull.column().equalsIgnoreCase(add.getColumnName())) {
                return true;
            }
        }
        return false;
    }
}
