package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.PostgresServer;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Large public changelogs, applied by Liquibase's own update and by the smoke, each on a fresh PostgreSQL database
 * with the same contexts: the smoke must pass wherever Liquibase passes, with the same changesets executed and
 * marked ran. Run by {@code ./mvnw -B verify -Preal-changelogs}, which fetches the changelogs from Maven Central
 * into {@code target/real-changelogs/<name>/}; not part of the default build. Each run also writes the smoke's lint
 * findings to {@code target/real-changelogs/<name>-lint.txt} (the table in docs/goals/smoke.md comes from them).
 */
@Tag("real-changelog")
class RealChangelogComparison {

    /** One public changelog: where the build put it, its master file, the contexts production runs it with. */
    record Case(String name, String master, String contexts) {

        Path directory() {
            return Path.of(System.getProperty("migration-safety.realChangelogs", "target/real-changelogs")).resolve(name);
        }

        @Override
        public String toString() {
            return name + " (" + master + ")";
        }
    }

    static Stream<Case> changelogs() {
        return Stream.of(
                // Keycloak's JPA store: ~200 changesets, customChange classes, modifySql dbms="postgresql"
                new Case("keycloak", "META-INF/jpa-changelog-master.xml", null),
                // Gravitee APIM's JDBC repository: YAML, dbms-specific variants (mysql/mariadb, mssql, postgresql)
                new Case("gravitee", "liquibase/master.yml", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changelogs")
    void smokePassesWhereLiquibasePassesWithTheSameChangesetsRunAndMarkedRan(Case c) throws Exception {
        Path root = c.directory().resolve("changelog");
        assertTrue(Files.isRegularFile(root.resolve(c.master())), "run with -Preal-changelogs so the build fetches "
                + root.resolve(c.master()));
        try (URLClassLoader loader = new ClassesOnly(jars(c.directory().resolve("lib")), getClass().getClassLoader())) {
            Object session = keycloakSession(loader);
            try {
                Map<String, String> liquibase = liquibaseUpdate(c, root, loader);
                assertTrue(liquibase.size() >= 40, "Liquibase ran " + liquibase.size() + " changesets of " + c);

                CapturingLog log = new CapturingLog();
                ConnectionSettings smokeDatabase = PostgresServer.freshDatabase(c.name() + "_smoke");
                Path work = c.directory().resolve("smoke");
                SmokeConfig config = new SmokeConfig(new ChangelogSource(root, c.master(), Map.of(), "postgresql", loader),
                        c.contexts(), null, work.resolve("migration.sql"), work, RollbackMode.OFF,
                        new PostgresTarget(false, smokeDatabase), List.of(), List.of(), null, false, Severity.ERROR);
                SmokeResult result = new SmokeEngine(config, log).run();
                Map<String, String> smoke = smokeOnPostgres(result);
                writeLint(c, result, liquibase, smoke);

                List<String> errors = result.findings().stream().filter(f -> f.severity() == Severity.ERROR)
                        .map(Finding::describe).toList();
                assertEquals(List.of(), errors, "the smoke fails " + c + " where Liquibase's update passes");
                assertEquals(liquibase, smoke, "changesets EXECUTED / MARK_RAN on PostgreSQL, Liquibase vs smoke");
                for (Finding finding : result.findings()) {
                    if (finding.rule().equals("smoke.h2-only-failure")) {
                        assertEquals(Severity.WARNING, finding.severity());
                    }
                }
            } finally {
                if (session != null) {
                    keycloakSession(loader, null);
                }
            }
        }
    }

    /** Liquibase's own update on a fresh database: DATABASECHANGELOG's FILENAME::ID::AUTHOR → EXECTYPE. */
    private static Map<String, String> liquibaseUpdate(Case c, Path root, ClassLoader loader) throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase(c.name() + "_liquibase");
        try (Connection connection = Databases.open(settings);
             TrackingResourceAccessor accessor = new TrackingResourceAccessor(root)) {
            LiquibaseSession.run(new CapturingLog(), accessor, loader, () -> {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                new Liquibase(c.master(), accessor, database).update(new Contexts(c.contexts()), new LabelExpression());
                return null;
            });
            Map<String, String> ran = new TreeMap<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT filename, id, author, exectype FROM databasechangelog")) {
                while (rows.next()) {
                    ran.put(rows.getString(1) + "::" + rows.getString(2) + "::" + rows.getString(3), rows.getString(4));
                }
            }
            return ran;
        }
    }

    /** The smoke's PostgreSQL run, as its report has it: changeset → EXECUTED / MARK_RAN for those that ran. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> smokeOnPostgres(SmokeResult result) {
        Map<String, String> ran = new TreeMap<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) result.summary().get("changesets")) {
            Map<String, Object> postgres = (Map<String, Object>) entry.get("postgresql");
            if (postgres != null && "passed".equals(postgres.get("status"))) {
                ran.put((String) entry.get("changeset"), (String) postgres.get("execType"));
            }
        }
        return ran;
    }

    private static void writeLint(Case c, SmokeResult result, Map<String, String> liquibase, Map<String, String> smoke)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# changesets in the changelog: " + ((List<?>) result.summary().get("changesets")).size());
        lines.add("# Liquibase update on PostgreSQL: " + counts(liquibase));
        lines.add("# smoke on PostgreSQL: " + counts(smoke));
        Map<String, Long> byRule = result.findings().stream()
                .collect(Collectors.groupingBy(Finding::rule, TreeMap::new, Collectors.counting()));
        byRule.forEach((rule, count) -> lines.add("# " + rule + ": " + count));
        result.findings().forEach(f -> lines.add(f.severity().label() + " " + f.rule() + " " + f.describe()));
        Files.createDirectories(c.directory());
        Files.write(c.directory().getParent().resolve(c.name() + "-lint.txt"), lines, StandardCharsets.UTF_8);
    }

    /**
     * The jars' classes, without their {@code META-INF/services}: Keycloak registers its own Liquibase lock and
     * history services there, which Liquibase would pick up JVM-wide. The comparison is about the changelog under
     * plain Liquibase, for both sides.
     */
    private static final class ClassesOnly extends URLClassLoader {

        ClassesOnly(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        public Enumeration<URL> findResources(String name) throws IOException {
            return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration() : super.findResources(name);
        }

        @Override
        public URL findResource(String name) {
            return name.startsWith("META-INF/services/") ? null : super.findResource(name);
        }
    }

    private static String counts(Map<String, String> ran) {
        return ran.size() + " ran " + new TreeMap<>(ran.values().stream()
                .collect(Collectors.groupingBy(String::valueOf, Collectors.counting())));
    }

    private static URL[] jars(Path lib) throws IOException {
        if (!Files.isDirectory(lib)) {
            return new URL[0];
        }
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().map(f -> {
                try {
                    return f.toUri().toURL();
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }).toArray(URL[]::new);
        }
    }

    /**
     * Keycloak's customChange classes refuse to start without a Keycloak session bound to the thread; on a fresh
     * database they find no realm and generate nothing, so a stand-in that exists is all they need (Keycloak
     * binds its real session the same way before it runs Liquibase). Returns the stand-in, or {@code null} when
     * the changelog is not Keycloak's.
     */
    private static Object keycloakSession(ClassLoader loader) throws Exception {
        Class<?> sessionType;
        try {
            sessionType = Class.forName("org.keycloak.models.KeycloakSession", false, loader);
        } catch (ClassNotFoundException e) {
            return null;
        }
        Object session = Proxy.newProxyInstance(loader, new Class<?>[] {sessionType}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "toString" -> "stand-in KeycloakSession";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        keycloakSession(loader, session);
        return session;
    }

    private static void keycloakSession(ClassLoader loader, Object session) throws Exception {
        Class<?> context = Class.forName("org.keycloak.connections.jpa.updater.liquibase.ThreadLocalSessionContext",
                true, loader);
        context.getMethod("setCurrentSession", Class.forName("org.keycloak.models.KeycloakSession", false, loader))
                .invoke(null, session);
    }
}
