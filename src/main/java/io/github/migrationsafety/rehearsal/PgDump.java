package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.db.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pg_dump --schema-only} of production, through the client that can read it: pg_dump refuses a server newer
 * than itself, so the client is chosen by production's major version ({@code pgDump} when given, else
 * {@code /usr/lib/postgresql/<major>/bin/pg_dump} of that major or the next one installed, else {@code pg_dump} on
 * the PATH when it is new enough). It reads the snapshot the rehearsal's read-only transaction exported, takes
 * ACCESS SHARE locks only, and gives up on a lock after {@code --lock-wait-timeout}. The password reaches it in
 * its environment ({@code PGPASSWORD}), never on its command line.
 */
final class PgDump {

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/:?,]+)(?::(\\d+))?/([^?]+)(\\?.*)?");
    private static final Pattern SSL_MODE = Pattern.compile("[?&]sslmode=([a-z-]+)");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
    private static final Path DEBIAN = Path.of("/usr/lib/postgresql");

    private final Path executable;
    private final int major;

    private PgDump(Path executable, int major) {
        this.executable = executable;
        this.major = major;
    }

    Path executable() {
        return executable;
    }

    int major() {
        return major;
    }

    /**
     * The pg_dump that can read a server of major version {@code serverMajor}.
     *
     * @param configured the {@code pgDump} parameter: a path or a name on the PATH; {@code null} to search
     */
    static PgDump find(String configured, int serverMajor) throws RehearsalException {
        String fix = "Install the PostgreSQL " + serverMajor + " client (Debian: apt-get install postgresql-client-"
                + serverMajor + ") or set 'pgDump' (-Dmigration-safety.pgDump=/path/to/pg_dump) to a pg_dump of"
                + " version " + serverMajor + " or newer; or turn the rehearsal off with"
                + " -Dmigration-safety.rehearsal=false.";
        if (configured != null && !configured.isBlank()) {
            Path path = Executables.find(configured);
            if (path == null) {
                throw new RehearsalException("Parameter 'pgDump': '" + configured + "' is not an executable file"
                        + " nor found on the PATH. " + fix);
            }
            int version = version(path);
            if (version < serverMajor) {
                throw new RehearsalException("Parameter 'pgDump': " + path + " is pg_dump " + version
                        + ", which cannot read production's PostgreSQL " + serverMajor + " (pg_dump refuses a newer"
                        + " server). " + fix);
            }
            return new PgDump(path, version);
        }
        List<String> seen = new ArrayList<>();
        if (Files.isDirectory(DEBIAN)) {
            for (int major = serverMajor; major <= serverMajor + 10; major++) {
                Path candidate = DEBIAN.resolve(Integer.toString(major)).resolve("bin/pg_dump");
                if (Files.isExecutable(candidate)) {
                    return new PgDump(candidate, major);
                }
            }
        }
        Path path = Executables.find("pg_dump");
        if (path != null) {
            int version = version(path);
            if (version >= serverMajor) {
                return new PgDump(path, version);
            }
            seen.add("pg_dump " + version + " at " + path);
        }
        throw new RehearsalException("The rehearsal needs pg_dump " + serverMajor + " or newer to copy production's"
                + " schema (PostgreSQL " + serverMajor + "), and "
                + (seen.isEmpty()
                        ? "none was found on the PATH or under " + DEBIAN
                        : "found only " + seen.get(0) + ", which refuses a newer server")
                + ". " + fix);
    }

    /**
     * Writes production's schema as plain SQL to {@code file}.
     *
     * @param schemas  the schemas to copy: production's current one, and the one of Liquibase's history table when
     *                 that is elsewhere
     * @param snapshot the exported snapshot to read
     */
    void schemaOnly(ConnectionSettings production, List<String> schemas, String snapshot, Path file)
            throws RehearsalException {
        Matcher url = URL.matcher(production.url());
        if (!url.matches()) {
            throw new RehearsalException("Parameter 'url': the rehearsal cannot derive host, port and database for"
                    + " pg_dump from " + production.safeUrl() + ". Give jdbc:postgresql://host:port/database.");
        }
        List<String> command = new ArrayList<>(List.of(
                executable.toString(),
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                "--no-tablespaces",
                "--no-security-labels",
                "--no-publications",
                "--no-subscriptions",
                "--no-password",
                "--lock-wait-timeout=5000",
                "--snapshot=" + snapshot,
                "--host=" + url.group(1),
                "--port=" + (url.group(2) == null ? "5432" : url.group(2)),
                "--dbname=" + url.group(3),
                "--file=" + file));
        for (String schema : schemas) {
            command.add("--schema=" + schema);
        }
        if (production.username() != null) {
            command.add("--username=" + production.username());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // the password reaches pg_dump through its environment only, never its command line or a file
        builder.environment().remove("PGPASSWORD");
        if (production.password() != null) {
            builder.environment().put("PGPASSWORD", production.password());
        }
        Matcher ssl = SSL_MODE.matcher(url.group(4) == null ? "" : url.group(4));
        if (ssl.find()) {
            builder.environment().put("PGSSLMODE", ssl.group(1));
        }
        try {
            Path output = Files.createTempFile("migration-safety-pg_dump", ".log");
            try {
                builder.redirectOutput(output.toFile());
                Process process = builder.start();
                if (!process.waitFor(1, TimeUnit.HOURS)) {
                    process.destroyForcibly();
                    throw new RehearsalException(
                            "pg_dump --schema-only did not finish within an hour; it was stopped.");
                }
                if (process.exitValue() != 0) {
                    String said = Databases.scrub(production, Files.readString(output, StandardCharsets.UTF_8));
                    throw new RehearsalException("pg_dump (" + executable + ") could not copy production's schema"
                            + " (exit code " + process.exitValue() + "): "
                            + said.strip().replace('\n', ' ')
                            + ". " + hint(said));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RehearsalException("Interrupted while pg_dump was copying production's schema.");
        } catch (IOException e) {
            throw new RehearsalException("Cannot run pg_dump (" + executable + "): " + e.getMessage()
                    + ". Check 'pgDump' and that the file is executable.");
        }
    }

    private static String hint(String said) {
        if (said.contains("permission denied")) {
            return "The user in 'username' must be able to read every table's definition in the schema (pg_dump"
                    + " locks each table in ACCESS SHARE mode, which needs SELECT); grant it, or use a user that has"
                    + " it (e.g. a member of pg_read_all_data).";
        }
        if (said.contains("server version mismatch")) {
            return "Set 'pgDump' to a pg_dump as new as the server.";
        }
        if (said.contains("lock")) {
            return "Another session holds a lock pg_dump waits for (an ACCESS EXCLUSIVE one, e.g. a running"
                    + " migration); run the smoke again when it is done.";
        }
        return "Run the same pg_dump by hand to see why, or set -Dmigration-safety.rehearsal=false.";
    }

    /** The major version {@code pg_dump --version} prints. */
    private static int version(Path executable) throws RehearsalException {
        try {
            Process process = new ProcessBuilder(executable.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            Matcher matcher = VERSION.matcher(text);
            if (!matcher.find()) {
                throw new RehearsalException("'" + executable + " --version' printed '" + text.strip()
                        + "', not a pg_dump version. Set 'pgDump' to PostgreSQL's pg_dump.");
            }
            return Integer.parseInt(matcher.group(1));
        } catch (IOException e) {
            throw new RehearsalException("Cannot run " + executable + " --version: " + e.getMessage()
                    + ". Set 'pgDump' to PostgreSQL's pg_dump.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RehearsalException("Interrupted while asking pg_dump for its version.");
        }
    }
}
