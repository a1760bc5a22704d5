package io.github.migrationsafety.flyway;

import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks of the migrations that need no database: what Flyway's validate will refuse in production (released
 * migrations edited or removed) and what would make its migrate hang (CONCURRENTLY under its own lock).
 */
final class FlywayLint {

    private final FlywaySmokeReport report;
    private final EngineLog log;

    FlywayLint(FlywaySmokeReport report, EngineLog log) {
        this.report = report;
        this.log = log;
    }

    /** Released migrations edited or removed since: Flyway's validate refuses both in production. */
    void released(List<Migration> migrations, Map<String, Integer> released) {
        Map<String, Migration> byKey = new LinkedHashMap<>();
        migrations.forEach(m -> byKey.put(m.key(), m));
        for (Map.Entry<String, Integer> entry : released.entrySet()) {
            Migration now = byKey.get(entry.getKey());
            if (now == null) {
                report.lint(Finding.error(
                                FlywaySmoke.RELEASED_REMOVED,
                                entry.getKey(),
                                "the migration was released but is gone; Flyway's validate will refuse"
                                        + " to migrate production (applied migration not resolved locally)")
                        .withHint("restore the file: a released migration stays as it was; undo its effect"
                                + " with a new versioned migration")
                        .at(entry.getKey(), 1));
            } else if (!entry.getValue().equals(now.checksum())) {
                report.lint(Finding.error(
                                FlywaySmoke.RELEASED_EDITED,
                                now.key(),
                                "the migration was released but has been edited since; Flyway's validate"
                                        + " will refuse to migrate production (checksum mismatch)")
                        .withExpectation(String.valueOf(entry.getValue()), String.valueOf(now.checksum()))
                        .withHint("undo the edit and put the change into a new versioned migration")
                        .at(now.file(), 1));
            }
        }
    }

    /**
     * Flyway's transactional advisory lock (PostgreSQL, on by default) is a transaction that a
     * {@code CREATE INDEX CONCURRENTLY} waits for: Flyway's migrate waits for ever, here as in production.
     * Reported, and the PostgreSQL run left out instead of hanging the build.
     */
    boolean waitsForItsOwnLock(FlywaySource source, List<Migration> migrations, Map<String, String> sql) {
        String lock = source.settings().get(FlywaySource.TRANSACTIONAL_LOCK);
        if (lock != null && lock.strip().equalsIgnoreCase("false")) {
            return false;
        }
        boolean waits = false;
        for (Migration migration : migrations) {
            String text = sql.getOrDefault(migration.key(), "").replaceAll("--[^\\n]*", "");
            if (text.matches("(?is).*\\bconcurrently\\b.*")) {
                waits = true;
                report.add(Finding.error(
                                "smoke.flyway.concurrently-with-transactional-lock",
                                migration.key(),
                                "builds or drops an index CONCURRENTLY while Flyway holds its transactional"
                                        + " advisory lock: PostgreSQL waits for that lock's transaction to end, so"
                                        + " Flyway's migrate hangs for ever, in production too")
                        .withHint("set flyway.postgresql.transactional.lock=false in the application's Flyway"
                                + " configuration and in 'flywayConfiguration'"
                                + " (<postgresql.transactional.lock>false</postgresql.transactional.lock>)")
                        .at(migration.file(), 1));
            }
        }
        if (waits) {
            log.warn("PostgreSQL: not run, Flyway's migrate would wait for ever on its own lock (see the error)");
        }
        return waits;
    }
}
