import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.ChangelogSource;
import io.github.migrationsafety.smoke.ImpactSettings;
import io.github.migrationsafety.smoke.PostgresTarget;
import io.github.migrationsafety.smoke.RollbackMode;
import io.github.migrationsafety.smoke.SmokeConfig;
import io.github.migrationsafety.smoke.SmokeEngine;
import io.github.migrationsafety.smoke.SmokeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Engine runs of the smoke's production impact on a PostgreSQL server (bench/impact-bench.sh starts one):
 * <pre>
 *   java ImpactBenchMain estimate URL DIR ROWS SMALL LARGE   one line per changeset: estimate at ROWS and what was
 *                                                            measured at LARGE rows
 *   java ImpactBenchMain changelog URL DIR CHANGESETS TRACE  the smoke of a generated changelog, trace on or off;
 *                                                            prints the milliseconds it took
 * </pre>
 */
public class ImpactBenchMain {

    /** Five changes a DBA asks about, each on its own table so their runs do not interfere. */
    static final String CHANGES = """
            databaseChangeLog:
              - changeSet:
                  id: tables
                  author: bench
                  changes:
                    - createTable: {tableName: owner, columns: [{column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}}]}
                    - createTable: {tableName: t_unique, columns: [{column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}}, {column: {name: name, type: VARCHAR(100), constraints: {nullable: false}}}, {column: {name: version, type: VARCHAR(20), constraints: {nullable: false}}}]}
                    - createTable: {tableName: t_index, columns: [{column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}}, {column: {name: name, type: VARCHAR(100), constraints: {nullable: false}}}]}
                    - createTable: {tableName: t_bigint, columns: [{column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}}, {column: {name: hits, type: INT, constraints: {nullable: false}}}, {column: {name: name, type: VARCHAR(100), constraints: {nullable: false}}}]}
                    - createTable: {tableName: t_notnull, columns: [{column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}}, {column: {name: name, type: VARCHAR(100), constraints: {nullable: false}}}, {column: {name: version, type: VARCHAR(20), constraints: {nullable: false}}}]}
                    - createTable: {tableName: t_fk, columns: [{column: {name: id, type: BIGINT, constraints: {primaryKey: true, nullable: false}}}, {column: {name: owner_id, type: BIGINT, constraints: {nullable: false}}}]}
              - changeSet: {id: unique-constraint, author: bench, changes: [{addUniqueConstraint: {tableName: t_unique, columnNames: "name, version", constraintName: uq_t_unique}}]}
              - changeSet: {id: index, author: bench, changes: [{createIndex: {tableName: t_index, indexName: ix_t_index, columns: [{column: {name: name}}]}}]}
              - changeSet: {id: int-to-bigint, author: bench, changes: [{modifyDataType: {tableName: t_bigint, columnName: hits, newDataType: BIGINT}}]}
              - changeSet: {id: not-null, author: bench, changes: [{dropNotNullConstraint: {tableName: t_notnull, columnName: version, columnDataType: VARCHAR(20)}}, {addNotNullConstraint: {tableName: t_notnull, columnName: version, columnDataType: VARCHAR(20)}}]}
              - changeSet: {id: foreign-key, author: bench, changes: [{addForeignKeyConstraint: {baseTableName: t_fk, baseColumnNames: owner_id, constraintName: fk_t_fk_owner, referencedTableName: owner, referencedColumnNames: id}}]}
            """;

    public static void main(String[] args) throws Exception {
        ConnectionSettings server = new ConnectionSettings(args[1], "postgres", "");
        Path dir = Path.of(args[2]);
        if (args[0].equals("estimate")) {
            long rows = Long.parseLong(args[3]);
            Map<String, Long> production = new LinkedHashMap<>();
            for (String table : List.of("t_unique", "t_index", "t_bigint", "t_notnull", "t_fk")) {
                production.put(table, rows);
            }
            SmokeResult result = run(
                    dir,
                    CHANGES,
                    server,
                    new ImpactSettings(true, production, Long.parseLong(args[4]), Long.parseLong(args[5]), null));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> impacts =
                    (List<Map<String, Object>>) result.summary().get("impact");
            for (Map<String, Object> impact : impacts) {
                Map<?, ?> estimate = (Map<?, ?>) impact.get("productionEstimate");
                if (estimate != null && production.containsKey(String.valueOf(impact.get("table")))) {
                    List<?> measured = (List<?>) estimate.get("measured");
                    System.out.println(String.valueOf(impact.get("changeset")).replaceAll(".*::(.*)::bench", "$1")
                            + " " + impact.get("table") + " " + impact.get("lock") + " estimate="
                            + estimate.get("estimatedMillis") + " measuredAtLarge="
                            + ((Map<?, ?>) measured.get(1)).get("heldMillis") + " readStall="
                            + estimate.get("longestReadStallMillis") + " writeStall="
                            + estimate.get("longestWriteStallMillis") + " samples="
                            + measured.stream()
                                    .map(m -> ((Map<?, ?>) m).get("rows") + ":" + ((Map<?, ?>) m).get("heldMillis"))
                                    .collect(Collectors.joining(",")));
                }
            }
        } else {
            int changesets = Integer.parseInt(args[3]);
            StringBuilder changelog = new StringBuilder("databaseChangeLog:\n");
            for (int i = 1; i <= changesets / 4; i++) {
                changelog
                        .append("  - changeSet: {id: t")
                        .append(i)
                        .append("-create, author: bench, changes: [{createTable:" + " {tableName: t")
                        .append(i)
                        .append(
                                ", columns: [{column: {name: id, type: BIGINT, constraints:"
                                        + " {primaryKey: true, nullable: false}}}, {column: {name: name, type: VARCHAR(100)}}]}}]}\n");
                changelog
                        .append("  - changeSet: {id: t")
                        .append(i)
                        .append("-column, author: bench, changes: [{addColumn:" + " {tableName: t")
                        .append(i)
                        .append(", columns: [{column: {name: created_at, type: TIMESTAMP}}]}}]}\n");
                changelog
                        .append("  - changeSet: {id: t")
                        .append(i)
                        .append("-index, author: bench, changes: [{createIndex:" + " {tableName: t")
                        .append(i)
                        .append(", indexName: ix_t")
                        .append(i)
                        .append(", columns: [{column: {name: name}}]}}]}\n");
                changelog
                        .append("  - changeSet: {id: t")
                        .append(i)
                        .append("-data, author: bench, changes: [{insert:" + " {tableName: t")
                        .append(i)
                        .append(", columns: [{column: {name: id, valueNumeric: 1}},"
                                + " {column: {name: name, value: first}}]}}], rollback: [{delete: {tableName: t")
                        .append(i)
                        .append("}}]}\n");
            }
            long started = System.nanoTime();
            run(
                    dir,
                    changelog.toString(),
                    server,
                    new ImpactSettings(
                            Boolean.parseBoolean(args[4]),
                            Map.of(),
                            ImpactSettings.DEFAULT_SMALL_SAMPLE,
                            ImpactSettings.DEFAULT_LARGE_SAMPLE,
                            null));
            System.out.println((System.nanoTime() - started) / 1_000_000);
        }
    }

    private static SmokeResult run(Path dir, String changelog, ConnectionSettings server, ImpactSettings impact)
            throws Exception {
        Path resources = dir.resolve("resources");
        Files.createDirectories(resources.resolve("db"));
        Files.writeString(resources.resolve("db/changelog.yaml"), changelog);
        SmokeConfig config = new SmokeConfig(
                new ChangelogSource(
                        resources, "db/changelog.yaml", Map.of(), "postgresql", ImpactBenchMain.class.getClassLoader()),
                dir.resolve("migration.sql"),
                dir.resolve("work"),
                RollbackMode.OFF,
                new PostgresTarget(false, server),
                List.of(),
                List.of(),
                null,
                false,
                Severity.ERROR,
                impact);
        return new SmokeEngine(config, EngineLog.silent()).run();
    }
}
