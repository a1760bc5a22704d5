package io.github.migrationsafety.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.db.DatabaseException;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.testsupport.Await;
import io.github.migrationsafety.testsupport.CapturingLog;
import io.github.migrationsafety.testsupport.PostgresServer;
import io.github.migrationsafety.testsupport.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL dry-run's near-duplicate search on a second connection beside the ranking: the same findings as
 * the search after the ranking, its connection always closed, and the goal's own connection used when
 * no second one can be opened.
 */
class NearDuplicatesBesideTest {

    @TempDir
    Path dir;

    private ConnectionSettings settings;

    @BeforeEach
    void table() {
        settings = PostgresServer.freshDatabase("beside");
        Sql.run(
                settings,
                "CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(50))",
                "INSERT INTO model_metadata SELECT g, 'model-' || (g % 5000), 'v1' FROM generate_series(1, 20000) g",
                "INSERT INTO model_metadata VALUES (20001, 'Churn', '1'), (20002, 'churn ', '1'), (20003, 'churn', '1'),"
                        + " (20004, 'Fraud', '2'), (20005, 'FRAUD', '2')");
    }

    /**
     * NULL keys equal: a dry-run the semi-join ranking, which tests every row for the search itself, does not serve
     * ({@link DedupeSql#ranksBySemiJoin}); the table has no NULL keys, so the findings are those of the defaults.
     */
    private DedupeConfig config() {
        return DedupeConfig.defaults(
                        "model_metadata", List.of("name", "version"), dir.resolve("report.csv"), dir.resolve("backups"))
                .withNullsDistinct(false);
    }

    /** Hands out connections to the test database and keeps them, so the test can see what became of them. */
    private final class Recording implements ConnectionSource {
        final List<Connection> opened = new ArrayList<>();

        @Override
        public Connection open() throws DatabaseException {
            Connection connection = Databases.open(settings);
            opened.add(connection);
            return connection;
        }
    }

    private DedupeResult run(ConnectionSource second, DedupeConfig config, CapturingLog log) throws Exception {
        try (Connection connection = Databases.open(settings)) {
            return new DedupeEngine(connection, second, log).run(config);
        }
    }

    private static List<String> described(DedupeResult result) {
        return result.findings().stream().map(Finding::describe).toList();
    }

    @Test
    void searchBesideTheRankingFindsWhatTheSearchAfterItFinds() throws Exception {
        DedupeResult after = run(null, config(), new CapturingLog());
        List<String> report = Files.readAllLines(dir.resolve("report.csv"));
        Recording second = new Recording();
        DedupeResult beside = run(second, config(), new CapturingLog());

        assertEquals(
                2,
                after.findings().stream()
                        .filter(f -> f.rule().equals("dedupe.near-duplicate"))
                        .count());
        assertEquals(described(after), described(beside));
        assertEquals(report, Files.readAllLines(dir.resolve("report.csv")));
        assertEquals(1, second.opened.size(), "one second connection");
        assertTrue(second.opened.get(0).isClosed(), "and it is closed when the goal ends");
    }

    @Test
    void withoutASecondConnectionTheSearchRunsAfterTheRanking() throws Exception {
        CapturingLog log = new CapturingLog();
        DedupeResult result = run(
                () -> {
                    throw new DatabaseException("too many connections for role \"app\"");
                },
                config(),
                log);
        assertEquals(described(run(null, config(), new CapturingLog())), described(result));
        assertTrue(log.text().contains("runs after the ranking instead"), log.text());
    }

    @Test
    void aFailedRankingStopsTheSearchAndClosesItsConnection() throws Exception {
        // a non-empty directory where the report goes: writing the report fails while the search runs
        Files.createDirectories(dir.resolve("report.csv").resolve("in-the-way"));
        Recording second = new Recording();
        assertThrows(Exception.class, () -> run(second, config(), new CapturingLog()));
        assertEquals(1, second.opened.size());
        assertTrue(second.opened.get(0).isClosed(), "the search's connection is closed before the goal fails");
        // a query left running on the search's backend would keep it listed
        Sql.awaitNoOtherClients(settings, "no query of the plugin left running");
    }

    @Test
    void aRankingThatFailsWhileTheSecondLoginIsUnderWayLeavesNoSearchBehind() throws Exception {
        Files.createDirectories(dir.resolve("report.csv").resolve("in-the-way"));
        List<Connection> opened = new ArrayList<>();
        CapturingLog log = new CapturingLog();
        Thread goal = Thread.currentThread();
        ConnectionSource slowLogin = () -> {
            // the login completes only once the ranking has failed and the goal waits for the search to stop,
            // however long the ranking takes on this machine
            try {
                Await.within(() -> stoppingTheSearch(goal));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Connection connection = Databases.open(settings);
            opened.add(connection);
            return connection;
        };
        assertThrows(Exception.class, () -> run(slowLogin, config(), log));
        assertEquals(1, opened.size(), "the login finished before the goal ended");
        assertTrue(opened.get(0).isClosed(), "and its connection was closed");
        assertFalse(log.text().contains("near-duplicate search took"), "without searching\n" + log.text());
    }

    /** Whether {@code goal} waits in {@link NearDuplicatesBeside#close}: it has told the search to stop. */
    private static boolean stoppingTheSearch(Thread goal) {
        return goal.getState() == Thread.State.WAITING
                && Arrays.stream(goal.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().equals(NearDuplicatesBeside.class.getName())
                                && frame.getMethodName().equals("close"));
    }
}
