package io.github.migrationsafety.flyway;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * Where a project's Flyway migrations are and the {@code flyway.*} settings its Flyway runs with, as the
 * application's Flyway reads them: locations ({@code classpath:} through the project's class loader, so SQL files in
 * its resources and Java migrations among its classes are found as at runtime, or {@code filesystem:}), placeholders,
 * prefixes, the history table.
 *
 * @param locations   Flyway locations; one without a prefix is a {@code classpath:} location, as in Flyway
 * @param settings    {@code flyway.*} settings (placeholders as {@code flyway.placeholders.name}); connection
 *                    settings among them are ignored, the smoke supplies its own databases
 * @param classLoader the project's classes and resources, for {@code classpath:} locations and Java migrations
 * @param baseDirectory what a relative {@code filesystem:} location is relative to (the project's directory, as for
 *                    flyway-maven-plugin), or {@code null} for the working directory
 */
public record FlywaySource(
        List<String> locations, Map<String, String> settings, ClassLoader classLoader, Path baseDirectory) {

    /** Settings that name a database or how to reach it: the smoke's own databases replace them. */
    private static final Set<String> CONNECTION = Set.of(
            "flyway.url", "flyway.user", "flyway.password", "flyway.driver", "flyway.locations", "flyway.configFiles");

    /** Flyway's PostgreSQL transactional advisory lock (default on). */
    static final String TRANSACTIONAL_LOCK = "flyway.postgresql.transactional.lock";

    public FlywaySource {
        locations =
                locations.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (locations.isEmpty()) {
            locations = List.of("db/migration");
        }
        Map<String, String> kept = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            String name = key.startsWith("flyway.") ? key : "flyway." + key;
            if (!CONNECTION.contains(name) && !name.startsWith("flyway.jdbcProperties.") && value != null) {
                kept.put(name, value);
            }
        });
        settings = Map.copyOf(kept);
        Objects.requireNonNull(classLoader, "classLoader");
    }

    public FlywaySource(List<String> locations, Map<String, String> settings, ClassLoader classLoader) {
        this(locations, settings, classLoader, null);
    }

    /** The locations as Flyway names them, prefix included: the report's and the gate's name for the migrations. */
    public String label() {
        return String.join(",", locations.stream().map(FlywaySource::prefixed).toList());
    }

    /** A relative {@code filesystem:} location made absolute against {@link #baseDirectory}. */
    private String resolved(String location) {
        String prefixed = prefixed(location);
        if (baseDirectory != null && prefixed.toLowerCase(Locale.ROOT).startsWith("filesystem:")) {
            Path path = Path.of(prefixed.substring("filesystem:".length()));
            if (!path.isAbsolute()) {
                return "filesystem:" + baseDirectory.resolve(path).normalize();
            }
        }
        return prefixed;
    }

    static String prefixed(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.startsWith("classpath:") || lower.startsWith("filesystem:") ? location : "classpath:" + location;
    }

    /** The path of a location without its prefix: {@code db/migration}. */
    static String path(String location) {
        String prefixed = prefixed(location);
        String path = prefixed.substring(prefixed.indexOf(':') + 1).replace('\\', '/');
        while (path.startsWith("/") && prefixed.startsWith("classpath:")) {
            path = path.substring(1);
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Flyway configured as the project's: its settings, its locations and class loader; clean disabled, no
     * connection yet.
     */
    FluentConfiguration configure() {
        Map<String, String> core = new LinkedHashMap<>(settings);
        // Flyway reads a database module's settings from properties only with jackson-databind, which the plugin
        // does not carry: the one PostgreSQL setting a project keeps is set on its extension instead
        String transactionalLock = core.remove(TRANSACTIONAL_LOCK);
        FluentConfiguration configuration = Flyway.configure(classLoader).configuration(core);
        if (transactionalLock != null) {
            configuration
                    .getConfigurationExtension(PostgreSQLConfigurationExtension.class)
                    .setTransactionalLock(Boolean.parseBoolean(transactionalLock.strip()));
        }
        return configuration
                .locations(locations.stream().map(this::resolved).toArray(String[]::new))
                .loggers(FlywayLog.class.getName())
                .cleanDisabled(true);
    }
}
