package io.github.migrationsafety.flyway;

import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes the migrations' SQL, placeholders replaced, to the smoke's SQL file. */
final class FlywaySqlFile {

    private FlywaySqlFile() {}

    /**
     * The SQL of each migration by its key, after writing them all to {@code sqlFile}; none, and a finding, when a
     * placeholder has no value.
     */
    static Map<String, String> write(
            FlywaySource source, Path sqlFile, List<Migration> migrations, FlywaySmokeReport report, EngineLog log)
            throws IOException {
        long started = System.nanoTime();
        String header = "-- SQL of the Flyway migrations " + source.label()
                + " in Flyway's order, placeholders replaced, written by migration-safety:smoke\n";
        FlywayOfflineSql.Script script;
        try {
            script = FlywayOfflineSql.generate(source, migrations, header);
        } catch (FlywayOfflineSql.PlaceholderException e) {
            report.add(Finding.error("smoke.offline-sql", e.migration, "the SQL cannot be written: " + e.getMessage())
                    .withHint("give the placeholder a value in 'flywayConfiguration'"
                            + " (<placeholders.name>value</placeholders.name>) or the project's flyway.placeholders.*"
                            + " properties, as the application's Flyway configuration does"));
            return Map.of();
        }
        if (sqlFile.getParent() != null) {
            Files.createDirectories(sqlFile.getParent());
        }
        Files.writeString(sqlFile, script.text(), StandardCharsets.UTF_8);
        report.put("sqlFile", sqlFile.toString());
        log.info("Wrote the SQL to " + sqlFile + " (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
        return script.perMigration();
    }
}
