package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.report.EngineLog;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A migration tool other than Liquibase (Flyway) whose pending migrations the rehearsal runs on production's schema.
 * The tool names its history table, runs on the copy exactly what its copied history leaves pending (telling the
 * rehearsal about each migration), and rebuilds on a fresh database what production's history lists as applied. The
 * rest, the schema copy, the drift and the data counts, is the rehearsal's own, as for Liquibase.
 */
public interface MigrationTool {

    /** The tool as messages name it ({@code Flyway}). */
    String name();

    /** The subject of the rehearsal-wide findings: where the migrations are. */
    String label();

    /** The history table's name ({@code flyway_schema_history}). */
    String historyTable();

    /** The history table's schema, or {@code null}: production's current schema. */
    String historySchema();

    /**
     * The schemas the migrations work in besides the default one ({@code flyway.schemas}), where drift is looked for
     * and production's rows are counted; none when the tool names none.
     */
    default List<String> schemas() {
        return List.of();
    }

    /** The history column that orders its rows as the tool applied them ({@code installed_rank}). */
    String historyOrder();

    /** Runs {@code body} (the whole rehearsal) with the tool's output routed to {@code log}, one run at a time. */
    <T> T session(EngineLog log, Callable<T> body) throws Exception;

    /**
     * Runs on {@code copy} (production's schema and history rows) exactly the migrations the tool finds pending there,
     * in its order, stopping at the first failure as it would in production.
     *
     * @return why the tool refused to migrate at all (its validation against the copied history), or {@code null}
     */
    String pending(ConnectionSettings copy, String schema, Listener listener) throws Exception;

    /**
     * Applies to {@code fresh} (an empty database) only what production's history lists as applied: the schema
     * production should have. Called after {@link #pending}.
     *
     * @return the failure that stopped it, or {@code null}
     */
    String rebuild(ConnectionSettings fresh, String schema) throws Exception;

    /**
     * The applied migrations the rebuild cannot make as production has them, known after {@link #pending}: each
     * edited since production ran it, or no longer among the migrations at hand. A drift on a table one of them names
     * is put down to it.
     */
    default List<AppliedGap> gaps() {
        return List.of();
    }

    /**
     * An applied migration the rebuild cannot follow.
     *
     * @param key          the migration as the smoke's report names it
     * @param description  its description in production's history
     * @param checksumThen its checksum in production's history
     * @param checksumNow  its checksum now, or {@code null} when it is no longer among the migrations
     * @param text         what else names its objects: its script's name and, when at hand, its SQL
     */
    record AppliedGap(String key, String description, String checksumThen, String checksumNow, String text) {}

    /** Told about each pending migration of the run on the copy. */
    interface Listener {

        /** Before the run: a migration the tool finds pending, by its key in the smoke's report, and its file. */
        void pending(String key, String file);

        /**
         * The migration ran; {@code connection} is the tool's, still inside the migration's transaction when it has
         * one, where its effects on production's tables are read.
         */
        void passed(String key, Connection connection);

        /**
         * The migration failed with {@code error}; the tool runs nothing after it.
         *
         * @param ranLater the migrations production already ran that come after this one in the tool's order (an
         *                 out-of-order migration): there it runs after them, on an empty database before them
         */
        void failed(String key, String error, List<String> ranLater);
    }
}
