package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.changelog.ChangelogException;
import io.github.migrationsafety.changelog.ChangelogSource;
import io.github.migrationsafety.changelog.ChangelogUniqueKeys;
import io.github.migrationsafety.changelog.MigrationKeys;
import io.github.migrationsafety.changelog.UniqueKey;
import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.EngineResult;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dry-runs dedupe for every unique key a pending changeset or Flyway migration adds, so the build says which migration
 * would fail in production and on which rows — before it runs. One CSV report per key next to {@code reportFile}.
 */
public final class ChangelogKeysCheck {

    /**
     * @param checked       the pending keys checked, with their results
     * @param findings      findings of all of them, each naming its changeset or migration
     * @param tool          {@code liquibase} or {@code flyway}
     * @param changeLogFile the master changelog, relative to its directory, or the Flyway locations
     * @param took          how long the check took, the time of each passed key's check
     */
    public record Result(
            List<Checked> checked, List<Finding> findings, String tool, String changeLogFile, Duration took)
            implements EngineResult {

        /** The JSON report's summary: the mode, the changelog, each pending key's counts, and the groups in all. */
        @Override
        public Map<String, Object> summary() {
            List<Map<String, Object>> keys = new ArrayList<>();
            long groups = 0;
            for (Checked one : checked) {
                groups += one.result().groups();
                keys.add(Map.of(
                        one.key().kind().equals(UniqueKey.CHANGESET) ? "changeSet" : "migration",
                        one.key().migration(),
                        "table",
                        one.result().subject(),
                        "groups",
                        one.result().groups(),
                        "rowsToDelete",
                        one.result().rowsToDelete(),
                        "reportFile",
                        one.result().reportFile().toString()));
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("mode", "keysFromChangelog");
            summary.put("flyway".equals(tool) ? "flywayLocations" : "changeLogFile", changeLogFile);
            summary.put("pendingKeys", keys);
            summary.put("groups", groups);
            return summary;
        }

        /** A passed check for each pending key without duplicates, as long as the run took. */
        @Override
        public List<Check> checks() {
            return checked.stream()
                    .filter(one -> one.result().groups() == 0)
                    .map(one -> Check.passed("dedupe.changelog", one.key().migration(), took))
                    .toList();
        }

        /** "2 pending unique key(s) in db/changelog.xml would fail on duplicate rows". */
        @Override
        public String headline() {
            long failing = checked.stream().filter(c -> c.result().groups() > 0).count();
            return failing + " pending unique key(s) in " + changeLogFile + " would fail on duplicate rows";
        }

        /** Each pending key's dedupe summary, in the changelog's order. */
        @Override
        public List<String> summaryLines() {
            return checked.stream()
                    .flatMap(one -> one.result().summaryLines().stream())
                    .toList();
        }
    }

    /** One pending key and what dedupe found for it. */
    public record Checked(UniqueKey key, DedupeResult result) {}

    private final Connection connection;
    private final ConnectionSource second;
    private final EngineLog log;

    /** A check that does all its work on {@code connection}. */
    public ChangelogKeysCheck(Connection connection, EngineLog log) {
        this(connection, null, log);
    }

    /** A check whose dry-runs may search near duplicates on a second connection, as {@link DedupeEngine} does. */
    public ChangelogKeysCheck(Connection connection, ConnectionSource second, EngineLog log) {
        this.connection = connection;
        this.second = second;
        this.log = log;
    }

    /**
     * @param source the changelog as the smoke reads it; its dialect is replaced by this connection's database
     *               when that is H2 or PostgreSQL, so database-specific changelog properties resolve as they will
     * @param base   the dedupe settings to use for each key (table, keyColumns and reportFile are replaced)
     */
    public Result run(ChangelogSource source, DedupeConfig base)
            throws DatabaseException, IOException, ChangelogException {
        return run(ChangelogUniqueKeys.of(source), base);
    }

    /**
     * @param migrations the project's migrations: which unique keys they add, and which of those are pending on this
     *                   connection's database
     * @param base       the dedupe settings to use for each key (table, keyColumns and reportFile are replaced)
     */
    public Result run(MigrationKeys migrations, DedupeConfig base)
            throws DatabaseException, IOException, ChangelogException {
        long started = System.nanoTime();
        boolean flyway = "flyway".equals(migrations.tool());
        ChangelogUniqueKeys.Keys keys = migrations.read(connection, log);
        List<UniqueKey> pending = keys.pending();
        log.info((flyway ? "Flyway migrations " : "Changelog ") + migrations.label() + ": "
                + keys.all().size()
                + " unique key(s) added, " + pending.size() + " by " + (flyway ? "migrations" : "changesets")
                + " not yet applied here");
        List<Checked> checked = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        Path reports = base.reportFile().toAbsolutePath().getParent();
        for (UniqueKey key : pending) {
            if (!exists(key.table())) {
                log.info(capitalized(key.origin()) + " adds a unique key on " + key.display() + "; " + key.table()
                        + " does not exist in this database yet (a pending migration creates it), so it has no rows"
                        + " to check");
                continue;
            }
            Path report =
                    reports.resolve(fileName("dedupe-" + key.table() + "-" + String.join("-", key.columns()) + ".csv"));
            DedupeConfig config = new DedupeConfig(
                    key.table(),
                    key.columns(),
                    null,
                    base.keep(),
                    false,
                    null,
                    base.onReferences(),
                    base.nullsDistinct() && !key.nullsNotDistinct(),
                    report,
                    base.backupDirectory(),
                    base.fetchSize(),
                    base.nearDuplicates());
            DedupeResult result;
            try {
                result = new DedupeEngine(connection, second, log).run(config);
            } catch (DatabaseException e) {
                throw new DatabaseException(
                        capitalized(key.origin()) + " adds a unique key on " + key.display()
                                + ", which cannot be checked: " + e.getMessage(),
                        e);
            }
            checked.add(new Checked(key, result));
            for (Finding finding : result.findings()) {
                findings.add(new Finding(
                        finding.severity(),
                        finding.rule(),
                        finding.subject(),
                        key.origin() + " (" + key.change() + ")"
                                + (finding.severity() == Severity.ERROR ? " would fail: " : " would pass, but: ")
                                + finding.message(),
                        finding.expected(),
                        finding.actual(),
                        finding.hint(),
                        key.file() == null ? finding.file() : key.file(),
                        key.file() == null ? finding.line() : key.line()));
            }
        }
        return new Result(
                checked,
                findings,
                migrations.tool(),
                migrations.label(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Whether the table is in this database; a key on one that a pending migration creates has no rows to check.
     *
     * @throws DatabaseException when the catalog cannot be read
     */
    private boolean exists(String table) throws DatabaseException {
        try {
            SchemaCatalog.of(connection).table(table, "keysFromChangelog");
            return true;
        } catch (DatabaseException e) {
            if (e.getCause() != null) {
                throw e;
            }
            return false;
        }
    }

    /** A report file's name from a key's table and columns: quotes and other characters a path dislikes as _. */
    private static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
