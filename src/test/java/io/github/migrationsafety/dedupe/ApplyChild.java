package io.github.migrationsafety.dedupe;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.EngineLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * Runs {@code dedupe apply} in a JVM of its own so that the kill drill can SIGKILL it at any instant.
 * Connection from the environment ({@code MS_URL}, {@code MS_USER}, {@code MS_PASSWORD}: a password never goes on
 * a command line); arguments: table, backup directory, report file. Prints {@code started} when the JVM is up.
 */
public final class ApplyChild {

    private ApplyChild() {}

    public static void main(String[] args) throws Exception {
        ConnectionSettings settings =
                new ConnectionSettings(System.getenv("MS_URL"), System.getenv("MS_USER"), System.getenv("MS_PASSWORD"));
        try (Connection connection = Databases.open(settings)) {
            System.out.println("started");
            System.out.flush();
            DedupeResult result = new DedupeEngine(connection, EngineLog.silent())
                    .run(DedupeConfig.defaults(args[0], List.of("name", "version"), Path.of(args[2]), Path.of(args[1]))
                            .withApply(true));
            System.out.println("done " + result.deleted());
        }
    }
}
