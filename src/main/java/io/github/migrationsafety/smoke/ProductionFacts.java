package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.ChangelogReader;
import io.github.migrationsafety.changelog.ChangesetKey;
import io.github.migrationsafety.changelog.ChangesetLocator;
import io.github.migrationsafety.changelog.ChangesetSelection;
import io.github.migrationsafety.changelog.PendingChangesets;
import io.github.migrationsafety.changelog.TrackingResourceAccessor;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import liquibase.GlobalConfiguration;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;

/**
 * What the smoke knows of production before it judges the impact: read from the production database at
 * {@code url}, given in {@code productionRows}, or the release boundary the project declares. Apart from the
 * engine so that the engine only orders the steps; what it read goes back as a {@link Facts} value, and the
 * engine places it in the summary and the findings where the user reads it.
 */
final class ProductionFacts {

    /**
     * What was read.
     *
     * @param production what production is, for the trace and the rules
     * @param summary    the report's {@code production} entry, or {@code null} when no production database was read
     * @param findings   changesets that ran in production with another checksum
     */
    record Facts(Production production, Map<String, Object> summary, List<Finding> findings) {

        static Facts of(Production production) {
            return new Facts(production, null, List.of());
        }
    }

    private final SmokeConfig config;
    private final TrackingResourceAccessor accessor;
    private final EngineLog log;

    ProductionFacts(SmokeConfig config, TrackingResourceAccessor accessor, EngineLog log) {
        this.config = config;
        this.accessor = accessor;
        this.log = log;
    }

    /**
     * What production is: with {@code url}, read from that database (read only); otherwise what
     * {@code productionRows} says.
     */
    Facts read(DatabaseChangeLog changeLog, Map<String, String> released) throws Exception {
        ImpactSettings impact = config.impact();
        if (impact.production() == null) {
            return Facts.of(impact.rows().isEmpty() ? releaseBoundary(changeLog, released) : Production.of(impact));
        }
        if (!config.postgres().enabled()) {
            log.warn("Parameter 'url' is not used: the production database's sizes and pending changesets feed"
                    + " the production-impact trace, which runs on PostgreSQL; set 'postgres' to embedded to use"
                    + " them.");
            return Facts.of(Production.of(impact));
        }
        if (!impact.trace() && config.rehearsal()) {
            log.info("Production database " + impact.production().safeUrl() + ": read by the rehearsal only;"
                    + " the production-impact trace is off ('impact' false).");
            return Facts.of(Production.of(impact));
        }
        if (!impact.trace()) {
            log.warn("Parameter 'url' is not used: the production database feeds the production-impact trace"
                    + " and the rehearsal, and 'impact' and 'rehearsal' are false; set either to true to use"
                    + " it.");
            return Facts.of(Production.of(impact));
        }
        LiveProduction live = ProductionReader.read(
                impact.production(),
                GlobalConfiguration.DATABASECHANGELOG_TABLE_NAME.getCurrentValue(),
                GlobalConfiguration.LIQUIBASE_SCHEMA_NAME.getCurrentValue());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("url", live.url());
        entry.put("product", live.product());
        entry.put("schema", live.schema());
        entry.put("readOnly", true);
        entry.put("changelogTable", live.changelogTable() == null ? "" : live.changelogTable());
        if (live.lockTimeout() != null) {
            entry.put("lockTimeout", live.lockTimeout());
            if (live.lockTimeoutFrom() != null) {
                entry.put("lockTimeoutFrom", live.lockTimeoutFrom());
            }
        }
        String where = "Production database " + live.url() + " (" + live.product() + ", read only, schema "
                + live.schema()
                + (live.lockTimeout() == null
                        ? ""
                        : ", lock_timeout " + live.lockTimeout()
                                + (live.lockTimeoutFrom() == null ? "" : " from " + live.lockTimeoutFrom()))
                + "): ";
        if (live.changelogTable() == null) {
            entry.put("changesetsRan", 0);
            entry.put("pending", "all");
            log.info(where + "no " + GlobalConfiguration.DATABASECHANGELOG_TABLE_NAME.getCurrentValue()
                    + " table, so Liquibase never ran there: every changeset is pending; "
                    + live.sizes().size() + " tables");
            return new Facts(Production.of(impact, live, null), entry, List.of());
        }
        Database kind = ChangelogReader.offlineDatabase(
                live.product().toLowerCase(Locale.ROOT).startsWith("h2") ? "h2" : "postgresql", accessor);
        PendingChangesets.Result pending = PendingChangesets.of(
                changeLog,
                live.ran(),
                new ChangesetSelection(config.contexts(), config.labels(), List.of(kind)),
                kind,
                new ChangesetLocator(accessor.root()));
        entry.put("changesetsRan", pending.ran());
        entry.put("pending", List.copyOf(pending.pending()));
        List<String> listed = pending.pending().stream().limit(20).toList();
        log.info(where + live.changelogTable() + " lists " + pending.ran() + " of the changelog's changesets as"
                + " ran; " + pending.pending().size() + " pending"
                + (listed.isEmpty() ? "" : ": " + String.join(", ", listed))
                + (pending.pending().size() > listed.size()
                        ? " and " + (pending.pending().size() - listed.size()) + " more (see the report)"
                        : ""));
        return new Facts(Production.of(impact, live, pending.pending()), entry, pending.checksumChanged());
    }

    /**
     * Without {@code url} and {@code productionRows}, the release the project declares: the changesets in
     * {@code releasedChecksums}, or else those up to the last {@code tagDatabase}, ran in production; the
     * changesets after them are the ones judged. Without either, nothing says what production is.
     */
    private Production releaseBoundary(DatabaseChangeLog changeLog, Map<String, String> released) {
        ImpactSettings impact = config.impact();
        if (!released.isEmpty()) {
            return Production.released(impact, released.keySet(), "releasedChecksums");
        }
        List<ChangeSet> changeSets = changeLog.getChangeSets();
        for (int last = changeSets.size() - 1; last >= 0; last--) {
            if (changeSets.get(last).getChanges().stream().anyMatch(c -> c instanceof TagDatabaseChange)) {
                Set<String> tagged = new LinkedHashSet<>();
                changeSets.subList(0, last + 1).forEach(c -> tagged.add(ChangesetKey.of(c)));
                return Production.released(impact, tagged, "tagDatabase " + ChangesetKey.of(changeSets.get(last)));
            }
        }
        return Production.of(impact);
    }

    /**
     * A warning when the smoke's PostgreSQL is not production's major version: lock modes, rewrites and plans
     * change between majors, so the trace may not be what production does. Before {@code failOn}: the engine
     * judges it like the other impact rules.
     */
    static Optional<Finding> versionMismatch(Production production, DatabaseRun postgres, SmokeConfig config) {
        LiveProduction live = production.live();
        if (live == null || !live.product().toLowerCase(Locale.ROOT).startsWith("postgres")) {
            return Optional.empty();
        }
        int theirs = LiveProduction.major(live.product());
        int ours = LiveProduction.major(postgres.product());
        if (theirs == 0 || ours == 0 || theirs == ours) {
            return Optional.empty();
        }
        return Optional.of(Finding.warning(
                        SmokeEngine.VERSION_MISMATCH,
                        live.url(),
                        "production runs " + live.product() + ", the smoke ran on " + postgres.product()
                                + ": locks, rewrites and scans can differ between major versions, so the trace"
                                + " may not show what production will do")
                .withExpectation("PostgreSQL " + theirs, "PostgreSQL " + ours)
                .withHint(
                        config.postgres().embedded()
                                ? "set <postgresVersion>" + theirs
                                        + "</postgresVersion> (-Dmigration-safety.postgresVersion=" + theirs
                                        + ") so the embedded PostgreSQL is production's major version"
                                : "give 'postgres' the URL of a throw-away PostgreSQL " + theirs + " server"));
    }
}
