package io.github.migrationsafety.flyway;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.PlaceholderReplacingReader;

/**
 * The migrations' SQL in Flyway's order with the placeholders replaced by Flyway's own replacing reader, without any
 * database: what a reviewer reads. A Java migration's SQL is known only when it runs.
 */
final class FlywayOfflineSql {

    /**
     * @param text         the whole script
     * @param perMigration each migration's SQL, by key
     */
    record Script(String text, Map<String, String> perMigration) {}

    /** A placeholder the migrations use and the settings do not give. */
    static final class PlaceholderException extends Exception {
        final String migration;

        PlaceholderException(String migration, String message) {
            super(message);
            this.migration = migration;
        }
    }

    private FlywayOfflineSql() {}

    static Script generate(FlywaySource source, List<Migration> migrations, String header)
            throws IOException, PlaceholderException {
        Configuration configuration = source.configure();
        StringBuilder text = new StringBuilder(header);
        Map<String, String> perMigration = new LinkedHashMap<>();
        for (Migration migration : migrations) {
            String sql;
            if (migration.sql()) {
                sql = replaced(configuration, migration, FlywayMigrations.url(source, migration));
            } else {
                sql = "-- Java migration " + migration.script() + ": its SQL is known only when it runs\n";
            }
            perMigration.put(migration.key(), sql);
            text.append("\n-- Migration ")
                    .append(migration.key())
                    .append(" (")
                    .append(migration.label())
                    .append(": ")
                    .append(migration.description())
                    .append(")\n")
                    .append(sql);
            if (!sql.endsWith("\n")) {
                text.append('\n');
            }
        }
        return new Script(text.toString(), perMigration);
    }

    static String replaced(Configuration configuration, Migration migration, URL url)
            throws IOException, PlaceholderException {
        if (url == null) {
            throw new IOException("cannot read " + migration.key());
        }
        Charset encoding = configuration.getEncoding();
        try (Reader raw = new InputStreamReader(url.openStream(), encoding)) {
            Reader reader = raw;
            if (configuration.isPlaceholderReplacement()) {
                reader = new PlaceholderReplacingReader(
                        configuration.getPlaceholderPrefix(),
                        configuration.getPlaceholderSuffix(),
                        configuration.getPlaceholderSeparator(),
                        placeholders(configuration, migration),
                        raw);
            }
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            for (int n; (n = reader.read(buffer)) > 0; ) {
                text.append(buffer, 0, n);
            }
            String sql = text.toString();
            return sql.startsWith("\uFEFF") ? sql.substring(1) : sql;
        } catch (RuntimeException e) {
            throw new PlaceholderException(migration.key(), FlywayMessages.clean(e.getMessage()));
        }
    }

    /** The configured placeholders and Flyway's own {@code flyway:*} ones, as a new database would see them. */
    private static Map<String, String> placeholders(Configuration configuration, Migration migration) {
        Map<String, String> placeholders = new HashMap<>(configuration.getPlaceholders());
        String schema = configuration.getDefaultSchema() != null
                ? configuration.getDefaultSchema()
                : configuration.getSchemas().length > 0 ? configuration.getSchemas()[0] : "public";
        placeholders.putIfAbsent("flyway:defaultSchema", schema);
        placeholders.putIfAbsent("flyway:table", configuration.getTable());
        placeholders.putIfAbsent(
                "flyway:filename", Path.of(migration.script()).getFileName().toString());
        placeholders.putIfAbsent("flyway:user", "");
        placeholders.putIfAbsent("flyway:database", "");
        placeholders.putIfAbsent(
                "flyway:timestamp", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        placeholders.putIfAbsent("flyway:workingDirectory", System.getProperty("user.dir"));
        return placeholders;
    }
}
