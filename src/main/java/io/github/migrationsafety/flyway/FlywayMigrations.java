package io.github.migrationsafety.flyway;

import io.github.migrationsafety.changelog.ChangelogFingerprint;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The project's migrations as Flyway resolves them, in the order its migrate applies them to a new database
 * (versioned by version, then repeatables), and the fingerprint over their files that {@code gate} compares.
 */
public final class FlywayMigrations {

    /**
     * What Flyway resolved.
     *
     * @param migrations  in Flyway's order; empty when {@code error} is set
     * @param fingerprint SHA-256 over every migration's file (SQL file, or Java class file), or {@code null}
     * @param error       why Flyway could not resolve them (duplicate versions, a bad name), or {@code null}
     */
    public record Resolved(List<Migration> migrations, ChangelogFingerprint fingerprint, String error) {

        public boolean ok() {
            return error == null;
        }
    }

    private FlywayMigrations() {}

    /**
     * Resolves the migrations with Flyway's own resolver, against a throw-away in-memory H2 (Flyway resolves only
     * with a database at hand; an empty one has nothing applied, so every migration is listed).
     *
     * @throws IOException when a migration's file cannot be read for the fingerprint
     */
    public static Resolved read(FlywaySource source) throws IOException {
        MigrationInfo[] all;
        Flyway flyway = source.configure()
                .dataSource("jdbc:h2:mem:migration-safety-flyway-" + UUID.randomUUID(), "sa", "")
                .load();
        try {
            all = flyway.info().all();
        } catch (FlywayException e) {
            return new Resolved(List.of(), null, FlywayMessages.clean(e.getMessage()));
        }
        List<Migration> migrations = new ArrayList<>();
        Map<String, URL> files = new LinkedHashMap<>();
        for (MigrationInfo info : all) {
            Migration migration = of(source, info);
            migrations.add(migration);
            URL url = url(source, migration);
            if (url != null) {
                files.put(migration.key(), url);
            }
        }
        return new Resolved(List.copyOf(migrations), ChangelogFingerprint.of(files), null);
    }

    static Migration of(FlywaySource source, MigrationInfo info) {
        String type = String.valueOf(info.getType());
        String script = info.getScript();
        String physical = info.getPhysicalLocation();
        boolean java = type.contains("JDBC") || type.contains("JAVA");
        String key;
        String file;
        if (java) {
            key = script;
            file = script.replace('.', '/') + ".java";
        } else {
            key = keyOf(source, script, physical);
            file = key;
        }
        return new Migration(
                key,
                info.getVersion() == null ? null : info.getVersion().getVersion(),
                info.getDescription(),
                script,
                type,
                info.getChecksum(),
                file,
                physical == null || physical.isBlank() ? null : physical);
    }

    /** {@code db/migration/V1__init.sql}: the script under the location it was found in. */
    private static String keyOf(FlywaySource source, String script, String physical) {
        String normalized = physical == null ? "" : physical.replace('\\', '/');
        if (source.baseDirectory() != null && physical != null) {
            Path path = Path.of(physical);
            if (path.isAbsolute() && path.startsWith(source.baseDirectory())) {
                normalized = source.baseDirectory().relativize(path).toString().replace('\\', '/');
            }
        }
        for (String location : source.locations()) {
            String path = FlywaySource.path(location);
            if (normalized.endsWith("/" + path + "/" + script) || normalized.equals(path + "/" + script)) {
                return path + "/" + script;
            }
        }
        String first = FlywaySource.path(source.locations().get(0));
        return source.locations().size() == 1 ? first + "/" + script : script;
    }

    /** Where the migration's bytes are: its file on disk, or its resource (a Java migration's class file). */
    static URL url(FlywaySource source, Migration migration) throws IOException {
        if (migration.physical() != null && Files.isRegularFile(Path.of(migration.physical()))) {
            return Path.of(migration.physical()).toUri().toURL();
        }
        String resource = migration.sql() ? migration.key() : migration.script().replace('.', '/') + ".class";
        return source.classLoader().getResource(resource);
    }
}
