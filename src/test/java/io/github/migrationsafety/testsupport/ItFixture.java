package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.db.ConnectionSettings;
import java.io.File;
import java.util.List;

/** Fixtures for the invoker ITs (called from setup.groovy / verify.groovy through the test class path). */
public final class ItFixture {

    private ItFixture() {
    }

    /** The H2 file database every dedupe/restore/backup IT uses: {@code target/db/app} under the IT's basedir. */
    public static ConnectionSettings database(File basedir) {
        new File(basedir, "target/db").mkdirs();
        return new ConnectionSettings("jdbc:h2:file:" + new File(basedir, "target/db/app").getAbsolutePath()
                + ";MODE=PostgreSQL", "sa", "");
    }

    /** {@code model_metadata} with two duplicate groups: (churn, 1.0) ×3 and (fraud, 2.0) ×2. */
    public static void models(File basedir) {
        Sql.run(database(basedir), "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20),"
                + " created_at TIMESTAMP WITH TIME ZONE, payload VARCHAR(100))",
                "INSERT INTO model_metadata VALUES"
                        + " (1, 'churn', '1.0', TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00', 'a'),"
                        + " (2, 'churn', '1.0', TIMESTAMP WITH TIME ZONE '2025-02-01 00:00:00+00', ''),"
                        + " (3, 'churn', '1.0', NULL, NULL),"
                        + " (4, 'fraud', '2.0', NULL, 'x'),"
                        + " (5, 'fraud', '2.0', NULL, 'y'),"
                        + " (6, 'rank', '1.0', NULL, 'z')");
    }

    /** An empty {@code model_metadata}. */
    public static void emptyModels(File basedir) {
        Sql.run(database(basedir), "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20),"
                + " created_at TIMESTAMP WITH TIME ZONE, payload VARCHAR(100))");
    }

    public static void run(File basedir, String... sql) {
        Sql.run(database(basedir), sql);
    }

    /** Runs dedupe apply on the fixture table like the goal would; returns the backup directory. */
    public static java.nio.file.Path applyDedupe(File basedir) throws Exception {
        try (java.sql.Connection connection = io.github.migrationsafety.db.Databases.open(database(basedir))) {
            return new io.github.migrationsafety.dedupe.DedupeEngine(connection, new CapturingLog()).run(
                    io.github.migrationsafety.dedupe.DedupeConfig.defaults("model_metadata", List.of("name", "version"),
                            new File(basedir, "target/setup-report.csv").toPath(),
                            new File(basedir, "target/migration-safety/backups").toPath()).withApply(true)).backup();
        }
    }

    /** Every row of {@code model_metadata} in id order, for before/after comparisons. */
    public static List<String> rows(File basedir) {
        return Snapshot.of(database(basedir), "SELECT * FROM model_metadata ORDER BY id");
    }

    /**
     * SHA-256 of every input file of an IT: everything under basedir except the build's own output
     * ({@code build.log}, {@code target/}), but including backups under {@code target/migration-safety/backups}
     * because restore ITs read them. One "relative-path sha256" line per file, sorted.
     */
    public static List<String> fileSums(File basedir) {
        java.nio.file.Path root = basedir.toPath();
        java.nio.file.Path target = root.resolve("target");
        java.nio.file.Path backups = target.resolve("migration-safety/backups");
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
            return files.filter(java.nio.file.Files::isRegularFile)
                    .filter(f -> !f.equals(root.resolve("build.log")) && (!f.startsWith(target) || f.startsWith(backups)))
                    .map(f -> root.relativize(f) + " " + sha256(f)).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Records {@link #fileSums} in {@code target/files-before.txt}; call it last in setup.groovy. */
    public static void recordFiles(File basedir) {
        try {
            java.nio.file.Files.createDirectories(basedir.toPath().resolve("target"));
            java.nio.file.Files.write(basedir.toPath().resolve("target/files-before.txt"), fileSums(basedir));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The files that differ from {@code target/files-before.txt} (empty when nothing changed), for verify.groovy. */
    public static List<String> changedFiles(File basedir) {
        try {
            List<String> before = java.nio.file.Files.readAllLines(basedir.toPath().resolve("target/files-before.txt"));
            List<String> after = fileSums(basedir);
            java.util.List<String> changed = new java.util.ArrayList<>();
            before.stream().filter(line -> !after.contains(line)).forEach(line -> changed.add("- " + line));
            after.stream().filter(line -> !before.contains(line)).forEach(line -> changed.add("+ " + line));
            return changed;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(java.nio.file.Path file) {
        try {
            return io.github.migrationsafety.db.HashingFile.sha256(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
