package io.github.migrationsafety.smoke;

import io.github.migrationsafety.report.EngineLog;
import java.util.ArrayList;
import java.util.List;
import liquibase.changelog.ChangeSet;

/**
 * The unique keys a Liquibase changelog adds, with the changeset that adds each, so {@code dedupe} can look for
 * rows that would make that changeset fail. A small API of {@code smoke} that {@code dedupe} depends on (one way):
 * the changelog is read exactly as the smoke reads it, with the same parameters and class loader.
 */
public final class ChangelogUniqueKeys {

    private ChangelogUniqueKeys() {}

    /** Parses the changelog (nothing connects to a database); a changelog that does not parse is an exception. */
    public static List<UniqueKey> read(ChangelogSource source, EngineLog log) throws SmokeException {
        ChangelogReader.Result parsed = ChangelogReader.read(source, log);
        if (!parsed.parsed()) {
            throw new SmokeException(
                    "Parameter 'changeLogFile': " + parsed.parseError().describe());
        }
        List<UniqueKey> keys = new ArrayList<>();
        for (ChangeSet changeSet : parsed.changeLog().getChangeSets()) {
            keys.addAll(UniqueKey.addedBy(changeSet));
        }
        return keys;
    }
}
