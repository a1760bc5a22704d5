package io.github.migrationsafety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package table of DESIGN.md ("Code layout"), checked on the sources: which package may use which. Reads every
 * line, so fully-qualified references count as much as imports.
 *
 * <ul>
 *   <li>{@code maven} (the mojos) may use everything below it;</li>
 *   <li>{@code changelog} (reading a Liquibase changelog and deciding what is pending) uses {@code db},
 *       {@code report} and libraries; {@code impact} (the trace of what PostgreSQL did and its rules) and
 *       {@code gate} use those and {@code changelog};</li>
 *   <li>the capabilities {@code dedupe}, {@code backup}, {@code smoke}, {@code sidecar} may use {@code db},
 *       {@code report} and libraries, {@code dedupe} also {@code changelog}, {@code smoke} also {@code changelog}
 *       and {@code impact}, and each other only through the ties listed in {@link #TIES};</li>
 *   <li>{@code db} and {@code report} use libraries only;</li>
 *   <li>no package but {@code maven} uses Maven or Plexus, and nothing uses {@code maven}.</li>
 * </ul>
 *
 * Known violations are listed by name in {@link #KNOWN_VIOLATIONS}; one that no longer occurs fails the test too,
 * so the list only shrinks.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/io/github/migrationsafety");
    private static final String BASE = "io.github.migrationsafety.";

    /** Package -> the project packages it may use besides itself. */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry(
                    "maven",
                    Set.of(
                            "db",
                            "report",
                            "changelog",
                            "impact",
                            "gate",
                            "dedupe",
                            "backup",
                            "smoke",
                            "sidecar",
                            "rehearsal",
                            "flyway")),
            Map.entry("dedupe", Set.of("db", "report", "changelog")),
            Map.entry("backup", Set.of("db", "report")),
            Map.entry("smoke", Set.of("db", "report", "changelog", "impact")),
            // Flyway migrations, read and applied by Flyway: the smoke's result, embedded server, expectations and
            // schema snapshot are reused (smoke), the gate's fingerprint has one home (changelog), and the
            // production-impact trace is impact's, driven from Flyway's callbacks (impact); the rehearsal on
            // production's
            // schema is rehearsal's, with Flyway's migrate behind its MigrationTool (rehearsal)
            Map.entry("flyway", Set.of("db", "report", "changelog", "smoke", "impact", "rehearsal")),
            Map.entry("gate", Set.of("db", "report", "changelog")),
            Map.entry("impact", Set.of("db", "report", "changelog")),
            Map.entry("changelog", Set.of("db", "report")),
            Map.entry("sidecar", Set.of("db", "report")),
            // the rehearsal runs after the smoke and adds to its result: it reads the changelog as the smoke does
            // (changelog), uses the smoke's PostgreSQL (PostgresTarget, EmbeddedPostgresServer), what a change works
            // on (impact's ChangeTargets) and returns a SmokeResult; nothing in smoke uses it
            Map.entry("rehearsal", Set.of("db", "report", "changelog", "impact", "smoke")),
            Map.entry("db", Set.of()),
            Map.entry("report", Set.of()));

    /**
     * One-way ties between capabilities, each to one class: "package -> fully-qualified class" (nested classes of it
     * included). dedupe backs up the rows it deletes in backup's format, so that restore reads them: the manifest and
     * the writer of a backup directory.
     */
    static final Set<String> TIES = Set.of(
            "dedupe -> io.github.migrationsafety.backup.BackupManifest",
            "dedupe -> io.github.migrationsafety.backup.BackupWriter",
            // online apply: its backup directory is journaled by backup's OnlineJournal (the manifest's online state),
            // so restore can settle an unfinished run; HashingFile fsyncs and hashes its plan and batch files
            "dedupe -> io.github.migrationsafety.backup.OnlineJournal",
            "dedupe -> io.github.migrationsafety.backup.OnlineState",
            "dedupe -> io.github.migrationsafety.backup.OnlineLock",
            "dedupe -> io.github.migrationsafety.backup.HashingFile");

    /** "file -> referenced package" pairs that break the table today, each with the reason it is tolerated. */
    static final Map<String, String> KNOWN_VIOLATIONS = Map.of();

    private static final Pattern PROJECT_REFERENCE =
            Pattern.compile("\\bio\\.github\\.migrationsafety\\.([a-z]+)((?:\\.[A-Z]\\w*)*)");
    private static final Pattern FRAMEWORK_REFERENCE =
            Pattern.compile("\\b(org\\.apache\\.maven|org\\.codehaus\\.plexus)\\b");

    /** A source file: its path relative to {@link #SOURCES} (e.g. {@code db/Dialect.java}) and its lines. */
    record Source(String path, List<String> lines) {

        String packageName() {
            return path.substring(0, path.indexOf('/'));
        }
    }

    @Test
    void packagesUseOnlyWhatTheDesignAllows() throws IOException {
        Result result = check(sources(), KNOWN_VIOLATIONS);
        assertEquals(
                List.of(),
                result.violations(),
                "package table of DESIGN.md (Code layout) broken; fix the code,"
                        + " or, for a one-way tie the design wants, add it to TIES");
        assertEquals(
                Set.of(),
                result.unusedExceptions(),
                "these known violations are gone: remove them from" + " KNOWN_VIOLATIONS in "
                        + LayeringTest.class.getSimpleName());
    }

    @Test
    void everyPackageOfTheTableExists() {
        for (String name : ALLOWED.keySet()) {
            assertTrue(Files.isDirectory(SOURCES.resolve(name)), name);
        }
    }

    @Test
    void everySourcePackageIsInTheTable() throws IOException {
        Set<String> packages = new LinkedHashSet<>();
        for (Source source : sources()) {
            packages.add(source.packageName());
        }
        packages.removeAll(ALLOWED.keySet());
        assertEquals(Set.of(), packages, "packages missing from LayeringTest.ALLOWED");
    }

    /** Proves the checker fails: one synthetic file per kind of violation, and the allowed cases beside them. */
    @Test
    void checkerReportsEveryKindOfViolation() {
        List<Source> sources = List.of(
                new Source("db/Dialect.java", List.of("import io.github.migrationsafety.report.Finding;")),
                new Source("report/Json.java", List.of("import io.github.migrationsafety.smoke.SmokeResult;")),
                new Source(
                        "sidecar/Reconciler.java",
                        List.of(
                                "import io.github.migrationsafety.dedupe.DedupeEngine;",
                                "import io.github.migrationsafety.db.Databases;",
                                "import io.github.migrationsafety.report.Finding;")),
                new Source(
                        "dedupe/Keys.java",
                        List.of(
                                "import io.github.migrationsafety.changelog.ChangelogUniqueKeys.UniqueKey;",
                                "var x = io.github.migrationsafety.smoke.SmokeEngine.run();")),
                new Source("smoke/Gate.java", List.of("import io.github.migrationsafety.dedupe.ChangelogKeysCheck;")),
                new Source("backup/BackupEngine.java", List.of("import org.apache.maven.plugin.Mojo;")),
                new Source(
                        "smoke/Engine.java",
                        List.of(
                                "    org.codehaus.plexus.util.FileUtils.copy();",
                                "import io.github.migrationsafety.maven.SmokeMojo;")),
                new Source(
                        "maven/SmokeMojo.java",
                        List.of(
                                "import io.github.migrationsafety.smoke.SmokeEngine;",
                                "import org.apache.maven.plugin.AbstractMojo;")),
                new Source("db/BackupManifest.java", List.of("import io.github.migrationsafety.report.Json;")));
        Map<String, String> known = Map.of("db/BackupManifest.java -> report", "moves to backup");
        Result result = check(sources, known);
        assertEquals(
                List.of(
                        "db/Dialect.java:1: db must not use report: import io.github.migrationsafety.report.Finding;",
                        "report/Json.java:1: report must not use smoke: import io.github.migrationsafety.smoke.SmokeResult;",
                        "sidecar/Reconciler.java:1: sidecar must not use dedupe: import io.github.migrationsafety.dedupe.DedupeEngine;",
                        "dedupe/Keys.java:2: dedupe must not use smoke: var x = io.github.migrationsafety.smoke.SmokeEngine.run();",
                        "smoke/Gate.java:1: smoke must not use dedupe: import io.github.migrationsafety.dedupe.ChangelogKeysCheck;",
                        "backup/BackupEngine.java:1: backup must not use Maven: import org.apache.maven.plugin.Mojo;",
                        "smoke/Engine.java:1: smoke must not use Maven: org.codehaus.plexus.util.FileUtils.copy();",
                        "smoke/Engine.java:2: smoke must not use maven: import io.github.migrationsafety.maven.SmokeMojo;"),
                result.violations());
        assertEquals(Set.of(), result.unusedExceptions());
        assertEquals(
                Set.of("db/BackupManifest.java -> report"),
                check(List.of(), known).unusedExceptions(),
                "a known violation that no longer occurs is reported");
    }

    /**
     * @param violations       "file:line: what" for every reference the table forbids
     * @param unusedExceptions keys of the known violations that matched nothing
     */
    record Result(List<String> violations, Set<String> unusedExceptions) {}

    /** @param known "file -> referenced package" pairs tolerated, as in {@link #KNOWN_VIOLATIONS} */
    static Result check(List<Source> sources, Map<String, String> known) {
        List<String> violations = new ArrayList<>();
        Set<String> unused = new LinkedHashSet<>(known.keySet());
        for (Source source : sources) {
            String from = source.packageName();
            for (int i = 0; i < source.lines().size(); i++) {
                String line = source.lines().get(i);
                String where = source.path() + ":" + (i + 1) + ": ";
                if (!from.equals("maven") && FRAMEWORK_REFERENCE.matcher(line).find()) {
                    violations.add(where + from + " must not use Maven: " + line.strip());
                }
                Matcher reference = PROJECT_REFERENCE.matcher(line);
                while (reference.find()) {
                    String to = reference.group(1);
                    String type = BASE + to + reference.group(2);
                    if (to.equals(from) || ALLOWED.getOrDefault(from, Set.of()).contains(to) || tied(from, type)) {
                        continue;
                    }
                    String key = source.path() + " -> " + to;
                    if (known.containsKey(key)) {
                        unused.remove(key);
                        continue;
                    }
                    violations.add(where + from + " must not use " + to + ": " + line.strip());
                }
            }
        }
        return new Result(violations, unused);
    }

    private static boolean tied(String from, String type) {
        for (String tie : TIES) {
            String[] parts = tie.split(" -> ");
            if (parts[0].equals(from) && (type.equals(parts[1]) || type.startsWith(parts[1] + "."))) {
                return true;
            }
        }
        return false;
    }

    private static List<Source> sources() throws IOException {
        List<Source> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                sources.add(
                        new Source(SOURCES.relativize(file).toString().replace('\\', '/'), Files.readAllLines(file)));
            }
        }
        return sources;
    }
}
