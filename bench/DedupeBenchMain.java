import io.github.migrationsafety.backup.RestoreEngine;
import io.github.migrationsafety.backup.RestoreResult;
import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.dedupe.DedupeConfig;
import io.github.migrationsafety.dedupe.DedupeEngine;
import io.github.migrationsafety.dedupe.DedupeResult;
import io.github.migrationsafety.dedupe.OnlineOptions;
import io.github.migrationsafety.report.EngineLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Engine-only run for bench/dedupe-bench.sh: the dedupe engine with its default parameters (the goal's), without Maven
 * around it. Args: url user mode dir [batchSize]; mode {@code dry}, {@code apply} (online with a batch size) or
 * {@code restore} (the newest backup under dir/backups).
 * With BENCH_DEBUG=1 in the environment the engine's debug lines (per-step timings) go to stderr.
 */
public class DedupeBenchMain {
    public static void main(String[] args) throws Exception {
        ConnectionSettings settings = new ConnectionSettings(args[0], args[1], null);
        Path dir = Path.of(args[3]);
        EngineLog log = System.getenv("BENCH_DEBUG") == null ? EngineLog.silent() : stderr();
        try (Connection connection = Databases.open(settings)) {
            if (args[2].equals("restore")) {
                Path backup;
                try (Stream<Path> backups = Files.list(dir.resolve("backups"))) {
                    backup = backups.max(Comparator.naturalOrder()).orElseThrow();
                }
                RestoreResult restored = new RestoreEngine(connection, log).restore(backup);
                System.out.println("restored=" + restored.restored() + " skipped=" + restored.skipped());
                return;
            }
            OnlineOptions online =
                    args.length > 4 ? new OnlineOptions(Integer.parseInt(args[4]), true) : OnlineOptions.off();
            DedupeResult result = new DedupeEngine(connection, ConnectionSource.of(settings), log)
                    .run(
                            DedupeConfig.defaults(
                                            "model_metadata",
                                            List.of("name", "version"),
                                            dir.resolve("report.csv"),
                                            dir.resolve("backups"))
                                    .withApply(args[2].equals("apply"))
                                    .withNearDuplicates(DedupeConfig.nearDuplicatesByDefault(args[2].equals("apply"))),
                            online);
            System.out.println("groups=" + result.groups() + " toDelete=" + result.rowsToDelete() + " deleted="
                    + result.deleted());
        }
    }

    private static EngineLog stderr() {
        return new EngineLog() {
            @Override
            public void debug(String message) {
                System.err.println("[debug] " + message);
            }

            @Override
            public void info(String message) {
                System.err.println("[info] " + message);
            }

            @Override
            public void warn(String message) {
                System.err.println("[warn] " + message);
            }

            @Override
            public void error(String message) {
                System.err.println("[error] " + message);
            }
        };
    }
}
