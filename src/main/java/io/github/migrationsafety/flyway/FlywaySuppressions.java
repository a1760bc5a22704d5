package io.github.migrationsafety.flyway;

import io.github.migrationsafety.changelog.ChangelogException;
import io.github.migrationsafety.changelog.SuppressionMarker;
import io.github.migrationsafety.smoke.SmokeException;
import io.github.migrationsafety.smoke.SuppressionRule;
import io.github.migrationsafety.smoke.Suppressions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The findings the user has accepted for Flyway migrations. */
final class FlywaySuppressions {

    private FlywaySuppressions() {}

    /**
     * The migrations' {@code -- migration-safety:ignore} markers, read from each file as written (or its SQL with
     * placeholders replaced when Flyway read it from a jar), and the POM's {@code suppressions}.
     */
    static Suppressions read(List<Migration> migrations, Map<String, String> sql, List<SuppressionRule> configured)
            throws IOException, SmokeException {
        List<SuppressionMarker> markers = new ArrayList<>();
        for (Migration migration : migrations) {
            String text = migration.physical() != null && Files.isRegularFile(Path.of(migration.physical()))
                    ? Files.readString(Path.of(migration.physical()), StandardCharsets.UTF_8)
                    : sql.get(migration.key());
            try {
                markers.addAll(SuppressionMarker.inMigration(migration.key(), migration.file(), text));
            } catch (ChangelogException e) {
                throw new SmokeException(e.getMessage(), e);
            }
        }
        return new Suppressions(markers, configured);
    }
}
