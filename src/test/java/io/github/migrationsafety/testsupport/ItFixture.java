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

    /** The master changelog the gate ITs use, relative to {@code src/main/resources}. */
    public static final String GATE_CHANGELOG = "db/changelog/db.changelog-master.yaml";

    /**
     * The changelog fingerprint computed independently of the plugin, so the gate ITs check the plugin against the
     * documented rule rather than against itself: SHA-256 over, per changelog file in path order, the relative path,
     * a zero byte and the SHA-256 of its bytes (the gate ITs have one changelog file).
     */
    public static String changelogFingerprint(File basedir) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update(GATE_CHANGELOG.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(java.security.MessageDigest.getInstance("SHA-256").digest(
                    java.nio.file.Files.readAllBytes(basedir.toPath().resolve("src/main/resources/" + GATE_CHANGELOG))));
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code target/migration-safety/smoke-report.json} as the smoke goal would, for the gate ITs. */
    public static void writeSmokeReport(File basedir, String status, String project, java.time.Instant startedAt,
            String fingerprint) {
        java.util.Map<String, Object> summary = new java.util.LinkedHashMap<>();
        summary.put("project", project);
        summary.put("changeLogFile", GATE_CHANGELOG);
        summary.put("fingerprint", fingerprint);
        summary.put("dialect", "postgresql");
        java.util.Map<String, Object> report = new java.util.LinkedHashMap<>();
        report.put("goal", "smoke");
        report.put("status", status);
        report.put("startedAt", startedAt.toString());
        report.put("durationMillis", 1000);
        report.put("summary", summary);
        report.put("findings", List.of());
        report.put("checks", List.of());
        try {
            java.nio.file.Path dir = basedir.toPath().resolve("target/migration-safety");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve("smoke-report.json"), io.github.migrationsafety.report.Json.pretty(report));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(java.nio.file.Path file) {
        try {
            return io.github.migrationsafety.backup.HashingFile.sha256(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
