package io.github.migrationsafety.changelog;

import io.github.migrationsafety.report.EngineLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.RanChangeSet;
import liquibase.database.Database;

/**
 * The unique keys a Liquibase changelog adds, with the changeset that adds each, so {@code dedupe} can look for
 * rows that would make that changeset fail. The changelog is read exactly as the smoke reads it, with the same
 * parameters and class loader, and what is pending is decided by the smoke's {@link PendingChangesets}.
 */
public final class ChangelogUniqueKeys {

    /**
     * @param all     the keys every changeset of the files adds
     * @param pending the keys of the changesets an update would run, in changelog order
     */
    public record Keys(List<UniqueKey> all, List<UniqueKey> pending) {}

    private ChangelogUniqueKeys() {}

    /**
     * The unique keys the changelog adds, and those of the changesets a Liquibase update of a database with history {@code ran} would run:
     * selected by the source's contexts, labels and dialect, and matched to the history as {@link
     * PendingChangesets} matches them ({@code isSameAs}, {@code runAlways}, {@code runOnChange}).
     *
     * @param ran the database's history rows ({@link ChangelogHistory}); empty when Liquibase never ran there
     */
    public static Keys pending(ChangelogSource source, List<RanChangeSet> ran, EngineLog log)
            throws ChangelogException {
        try (TrackingResourceAccessor accessor = ChangelogReader.accessor(source)) {
            return LiquibaseSession.run(log, accessor, source.classLoader(), () -> {
                ChangelogReader.Result parsed = ChangelogReader.read(source, accessor);
                if (!parsed.parsed()) {
                    throw new ChangelogException(
                            "Parameter 'changeLogFile': " + parsed.parseError().describe());
                }
                Database kind = ChangelogReader.offlineDatabase(source.dialect(), accessor);
                Set<String> pending = PendingChangesets.of(
                                parsed.changeLog(),
                                ran,
                                new ChangesetSelection(source.contexts(), source.labels(), List.of(kind)),
                                kind,
                                new ChangesetLocator(source.directory()))
                        .pending();
                List<UniqueKey> all = new ArrayList<>();
                List<UniqueKey> toRun = new ArrayList<>();
                for (ChangeSet changeSet : parsed.changeLog().getChangeSets()) {
                    List<UniqueKey> added = UniqueKey.addedBy(changeSet);
                    all.addAll(added);
                    if (pending.contains(ChangesetKey.of(changeSet))) {
                        toRun.addAll(added);
                    }
                }
                return new Keys(all, toRun);
            });
        } catch (ChangelogException e) {
            throw e;
        } catch (Exception e) {
            throw new ChangelogException(
                    "Cannot read the changelog " + source.file() + ": " + LiquibaseMessages.rootMessage(e), e);
        }
    }
}
