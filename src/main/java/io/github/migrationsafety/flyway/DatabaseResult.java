package io.github.migrationsafety.flyway;

import java.util.Map;

/** One database's migrate: the name the user reads, the report's key, the product and each migration's outcome. */
record DatabaseResult(String name, String group, String product, Map<String, MigrationRunner.Outcome> outcomes) {}
