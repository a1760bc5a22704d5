import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The write probe of bench/dedupe-bench.sh: a client of another row of model_metadata, updating it by primary key
 * every 50 ms until the stop file exists; prints the longest single update (the longest write stall it saw) and how
 * many updates it made. Writes {@code <stopFile>.ready} once it is connected and writing, so the measured run starts
 * after that. Args: url user stopFile.
 */
public class WriteProbe {
    public static void main(String[] args) throws Exception {
        Path stop = Path.of(args[2]);
        long longest = 0;
        long updates = 0;
        try (Connection connection = DriverManager.getConnection(args[0], args[1], null);
                PreparedStatement update =
                        connection.prepareStatement("UPDATE model_metadata SET payload = now()::text WHERE id = ?")) {
            // a row of the table being deduplicated that is no duplicate: the dedupe never touches it
            try (ResultSet inserted = connection
                    .createStatement()
                    .executeQuery(
                            "INSERT INTO model_metadata(name, version) VALUES ('write-probe', 'p') RETURNING id")) {
                inserted.next();
                update.setLong(1, inserted.getLong(1));
            }
            update.executeUpdate();
            Files.writeString(Path.of(args[2] + ".ready"), "ready");
            while (!Files.exists(stop)) {
                long started = System.nanoTime();
                update.executeUpdate();
                longest = Math.max(longest, System.nanoTime() - started);
                updates++;
                Thread.sleep(50);
            }
        }
        System.out.printf("longest write stall %d ms over %d updates%n", longest / 1_000_000, updates);
    }
}
