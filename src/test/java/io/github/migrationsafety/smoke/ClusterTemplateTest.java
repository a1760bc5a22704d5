package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.testsupport.CapturingLog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded servers' initdb template, on real servers: saved from a fresh initdb, copied for the next server,
 * never used when damaged or refused, and no server's data directory left behind.
 */
class ClusterTemplateTest {

    @TempDir
    Path dir;

    @Test
    void aServerStartsFromTheTemplateTheFirstServersInitdbSavedAndLeavesNoDataDirectory() throws Exception {
        // the library's own wait for the copy's start: a shorter one would take a slow machine's start for a refusal
        ClusterTemplate template = new ClusterTemplate(dir.resolve("templates/t"), null);
        try (EmbeddedPostgresServer first =
                EmbeddedPostgresServer.start(dir.resolve("1.log"), null, template, new CapturingLog())) {
            assertEquals("1", query(first, "SELECT 1"));
        }
        assertTrue(ranInitdb(dir.resolve("1.log")));
        // complete, with the manifest written last, and nothing of the server's own
        List<String> manifest = Files.readAllLines(template.directory().resolve("migration-safety-template.txt"));
        assertTrue(manifest.contains("f 3 PG_VERSION"), manifest::toString);
        assertFalse(manifest.stream().anyMatch(l -> l.endsWith("epg-lock") || l.endsWith("postmaster.pid")));

        Path data;
        try (EmbeddedPostgresServer second =
                EmbeddedPostgresServer.start(dir.resolve("2.log"), null, template, new CapturingLog())) {
            data = Path.of(query(second, "SHOW data_directory"));
            assertFalse(ranInitdb(dir.resolve("2.log")), "the second server ran initdb");
            assertEquals("UTF8", query(second, "SHOW server_encoding"));
            query(second, "CREATE TABLE t(id int)");
        }
        assertFalse(Files.exists(data), data + " left behind");
        assertEquals(manifest, Files.readAllLines(template.directory().resolve("migration-safety-template.txt")));
        try (Stream<Path> files = Files.walk(template.directory())) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().equals("postmaster.pid")));
        }
    }

    @Test
    void aTemplateTheServerRefusesIsReplacedByInitdbsOutput() throws Exception {
        ClusterTemplate template = refusedTemplate();

        CapturingLog log = new CapturingLog();
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("3.log"), null, template, log)) {
            assertEquals("1", query(server, "SELECT 1"));
        }
        assertTrue(log.text().contains("did not start from the cluster template"), log::text);
        assertTrue(ranInitdb(dir.resolve("3.log")));
        assertTrue(
                Files.readString(template.directory().resolve("PG_VERSION")).startsWith("1"),
                "initdb's output saved in its place");
        assertTrue(Files.exists(template.directory().resolve("base")));
    }

    @Test
    void aRefusedCopysServerRunsInANewDirectoryAndAServerThatDoesNotStartLeavesNoDirectory() throws Exception {
        ClusterTemplate template = refusedTemplate();
        Path first = Files.createDirectories(dir.resolve("servers/first"));
        List<Exception> refused = new ArrayList<>();
        ClusterTemplate.Started started =
                template.start(first, data -> EmbeddedPostgres.builder().setDataDirectory(data), refused::add);
        try (EmbeddedPostgres server = started.server()) {
            assertEquals(1, refused.size());
            assertFalse(Files.exists(first), "the refused copy's directory is removed");
            assertEquals(dir.resolve("servers"), started.dataDirectory().getParent());
            try (Connection c = server.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW data_directory")) {
                rs.next();
                assertEquals(
                        started.dataDirectory().toRealPath(),
                        Path.of(rs.getString(1)).toRealPath());
            }
        } finally {
            ClusterTemplate.deleteQuietly(started.dataDirectory());
        }

        // a setting no server knows: initdb's cluster does not start, and nothing is left
        Path second = Files.createDirectories(dir.resolve("servers/second"));
        ClusterTemplate none = new ClusterTemplate(dir.resolve("templates/none"), Duration.ofSeconds(1));
        assertThrows(
                Exception.class,
                () -> none.start(
                        second,
                        data -> EmbeddedPostgres.builder()
                                .setDataDirectory(data)
                                .setServerConfig("no_such_setting", "1")
                                .setPGStartupWait(Duration.ofMillis(200)),
                        refused::add));
        try (Stream<Path> left = Files.list(dir.resolve("servers"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void onlyTheTemplatesUsedLastAreKept() throws Exception {
        Path cluster = Files.createDirectories(dir.resolve("cluster/base"));
        Files.writeString(dir.resolve("cluster/PG_VERSION"), "15\n");
        Path root = dir.resolve("templates");
        // four templates (four binaries locations, say), saved an hour apart, the first longest ago
        Instant now = Instant.now();
        for (int i = 1; i <= ClusterTemplate.KEPT; i++) {
            assertTrue(new ClusterTemplate(root.resolve("t" + i), null).save(dir.resolve("cluster")));
            Files.setLastModifiedTime(
                    root.resolve("t" + i + "/migration-safety-template.txt"),
                    FileTime.from(now.minus(Duration.ofHours(5 - i))));
        }
        // a copy marks its template used now: t1 is then the one used last, t2 the one used longest ago
        assertTrue(new ClusterTemplate(root.resolve("t1"), null).copyTo(Files.createDirectories(dir.resolve("copy"))));

        assertTrue(new ClusterTemplate(root.resolve("t5"), null).save(dir.resolve("cluster")));
        try (Stream<Path> kept = Files.list(root)) {
            assertEquals(
                    List.of("t1", "t3", "t4", "t5"),
                    kept.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** A template of another major, say: it matches its manifest, but a server refuses its files. */
    private ClusterTemplate refusedTemplate() throws Exception {
        Path cluster = Files.createDirectories(dir.resolve("refused"));
        Files.writeString(cluster.resolve("PG_VERSION"), "99\n");
        Files.writeString(cluster.resolve("postgresql.conf"), "# not a cluster\n");
        // no server ever starts from it, on any machine: a short wait decides the same, sooner
        ClusterTemplate template = new ClusterTemplate(dir.resolve("templates/t"), Duration.ofMillis(200));
        assertTrue(template.save(cluster));
        return template;
    }

    @Test
    void aTemplateWhoseFilesDifferFromItsManifestIsNotCopied() throws Exception {
        Path cluster = Files.createDirectories(dir.resolve("cluster/base"));
        Files.writeString(dir.resolve("cluster/PG_VERSION"), "15\n");
        Files.writeString(cluster.resolve("1"), "x".repeat(100));
        ClusterTemplate template = new ClusterTemplate(dir.resolve("templates/t"), Duration.ofSeconds(1));
        assertTrue(template.save(dir.resolve("cluster")));
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("templates"))));
        Path target = Files.createDirectories(dir.resolve("target"));
        assertTrue(template.copyTo(target));
        assertEquals("15\n", Files.readString(target.resolve("PG_VERSION")));
        assertEquals(100, Files.size(target.resolve("base/1")));

        // a template others may write in (placed in a shared temporary directory by someone else, say) is not used
        ClusterTemplate.deleteQuietly(target);
        Files.createDirectories(target);
        Files.setPosixFilePermissions(template.directory(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertFalse(template.copyTo(target));
        Files.setPosixFilePermissions(template.directory(), PosixFilePermissions.fromString("rwx------"));
        assertTrue(template.copyTo(target));

        ClusterTemplate.deleteQuietly(target);
        Files.createDirectories(target);
        Files.writeString(template.directory().resolve("base/1"), "short");
        assertFalse(template.copyTo(target));
        try (Stream<Path> left = Files.list(target)) {
            assertEquals(0, left.count(), "the half-made copy is removed");
        }

        Files.delete(template.directory().resolve("base/1"));
        assertFalse(template.copyTo(target));

        // a manifest that names a path outside the data directory (and a file there to copy)
        Files.writeString(dir.resolve("templates/PG_VERSION"), "99\n");
        Files.write(
                template.directory().resolve("migration-safety-template.txt"),
                List.of("f 3 PG_VERSION", "f 3 ../PG_VERSION"));
        assertFalse(template.copyTo(target));
        assertFalse(Files.exists(dir.resolve("PG_VERSION")));
        template.discard();
        assertFalse(Files.exists(template.directory()));
        assertFalse(template.copyTo(target));
    }

    @Test
    void aSecondSaveLeavesTheFirstTemplateAndNoStagingDirectory() throws Exception {
        Files.createDirectories(dir.resolve("cluster"));
        Files.writeString(dir.resolve("cluster/PG_VERSION"), "15\n");
        ClusterTemplate template = new ClusterTemplate(dir.resolve("templates/t"), Duration.ofSeconds(1));
        assertTrue(template.save(dir.resolve("cluster")));
        Files.writeString(dir.resolve("cluster/PG_VERSION"), "16\n");
        assertFalse(template.save(dir.resolve("cluster")));
        assertEquals("15\n", Files.readString(template.directory().resolve("PG_VERSION")));
        try (Stream<Path> siblings = Files.list(dir.resolve("templates"))) {
            assertEquals(
                    List.of("t"), siblings.map(p -> p.getFileName().toString()).toList());
        }

        // what is left of a template without its manifest is replaced
        Files.delete(template.directory().resolve("migration-safety-template.txt"));
        Path target = Files.createDirectories(dir.resolve("target"));
        assertFalse(template.copyTo(target));
        assertTrue(template.save(dir.resolve("cluster")));
        assertTrue(template.copyTo(target));
        assertEquals("16\n", Files.readString(target.resolve("PG_VERSION")));
    }

    @Test
    void theTemplateOfOtherBinariesOrAnotherLocaleIsAnotherDirectory() throws Exception {
        Path jar = Files.writeString(dir.resolve("postgres-binaries.jar"), "not read here");
        ClassLoader loader = ClusterTemplateTest.class.getClassLoader();
        assertEquals(
                ClusterTemplate.of(null, loader).directory(),
                ClusterTemplate.of(null, loader).directory());
        assertFalse(ClusterTemplate.of(jar, loader)
                .directory()
                .equals(ClusterTemplate.of(null, loader).directory()));
        assertEquals(
                Path.of(System.getProperty("java.io.tmpdir"), "migration-safety-pg-templates"),
                ClusterTemplate.of(null, loader).directory().getParent());
    }

    /** initdb's first line of output, which zonky sends to the server log. */
    private static boolean ranInitdb(Path serverLog) throws Exception {
        return Files.readString(serverLog, StandardCharsets.UTF_8)
                .contains("The files belonging to this database system");
    }

    private static String query(EmbeddedPostgresServer server, String sql) throws Exception {
        try (Connection c = server.connection();
                Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return null;
            }
            try (ResultSet rs = s.getResultSet()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
