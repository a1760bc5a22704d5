package io.github.migrationsafety.flyway;

import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.SchemaCatalog;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.smoke.SeedData;
import io.github.migrationsafety.smoke.SeedLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The smoke's {@code seedData} on one Flyway run, by the Liquibase smoke's rule: each seed's rows are inserted right
 * after the migration named by {@code afterChangeset} (its key {@code db/migration/V1__create.sql}, its file name, or
 * its version {@code 1} / {@code V1}), or, without it, right after the first migration after which the table exists
 * (the one that creates it). They go in through Flyway's migrating connection inside that migration's transaction,
 * so they are committed with it and in the table before every later migration runs.
 */
final class FlywaySeeds {

    private final List<SeedData> seeds;
    private final Set<SeedData> loaded = new LinkedHashSet<>();

    FlywaySeeds(List<SeedData> seeds) {
        this.seeds = List.copyOf(seeds);
    }

    boolean none() {
        return seeds.isEmpty();
    }

    /**
     * Inserts the seeds that belong after {@code migration}, which just ran on {@code connection}.
     *
     * @throws IllegalStateException with the message for the user, when a seed does not fit its table
     */
    void afterMigration(Migration migration, Connection connection) {
        for (SeedData seed : seeds) {
            if (loaded.contains(seed)) {
                continue;
            }
            try {
                if (triggers(seed, migration, connection)) {
                    SeedLoader.insert(seed, connection);
                    loaded.add(seed);
                }
            } catch (SQLException | IOException | DatabaseException e) {
                throw new IllegalStateException("Seed data after migration " + migration.key()
                        + " could not be loaded: " + FlywayMessages.clean(e.getMessage())
                        + ". Check the seed CSV (its header names columns of the table and every value fits its"
                        + " column) and 'afterChangeset'.");
            }
        }
    }

    /** One error per seed that never found its migration on the run called {@code name}. */
    List<Finding> notLoaded(String name) {
        List<Finding> findings = new ArrayList<>();
        for (SeedData seed : seeds) {
            if (!loaded.contains(seed)) {
                findings.add(Finding.error(
                                "smoke.seed-not-loaded",
                                seed.table(),
                                "the seed file " + seed.file() + " was not loaded on " + name + ": "
                                        + (named(seed)
                                                ? "migration " + seed.afterChangeset() + " did not run"
                                                : "no migration that ran creates the table"))
                        .withHint("set <afterChangeset> to the migration after which the rows belong (its file"
                                + " name, e.g. V1__create_model_metadata.sql, or its version)"));
            }
        }
        return findings;
    }

    private static boolean triggers(SeedData seed, Migration migration, Connection connection)
            throws DatabaseException {
        if (named(seed)) {
            String after = seed.afterChangeset().strip();
            return after.equals(migration.key())
                    || after.equals(Path.of(migration.script()).getFileName().toString())
                    || after.equals(migration.script())
                    || migration.version() != null
                            && (after.equals(migration.version()) || after.equals("V" + migration.version()));
        }
        try {
            SchemaCatalog.of(connection).table(seed.table(), "seedData");
            return true;
        } catch (DatabaseException notYet) {
            return false;
        }
    }

    private static boolean named(SeedData seed) {
        return seed.afterChangeset() != null && !seed.afterChangeset().isBlank();
    }
}
