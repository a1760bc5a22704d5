package io.github.migrationsafety.flyway;

import java.util.Map;

/**
 * One database's migrate: the name the user reads, the report's key, the product, each migration's outcome, and the
 * migrate's own failure that no migration was running (Flyway's validation, an {@code afterMigrate.sql} callback), or
 * {@code null}.
 */
record DatabaseResult(
        String name, String group, String product, Map<String, MigrationRunner.Outcome> outcomes, String failure) {}
