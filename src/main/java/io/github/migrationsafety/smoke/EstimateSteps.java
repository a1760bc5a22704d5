package io.github.migrationsafety.smoke;

import io.github.migrationsafety.impact.TableImpact;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * A migration tool's side of the production-size estimate ({@link ImpactEstimator}): which step a traced lock belongs
 * to, applying the steps before it to a fresh schema, and running it once under the trace. The estimator keeps
 * everything else, alike for every tool: the sample schemas, the synthetic rows, the live-client probe, the rollback
 * of an undoable run, the sample sizes and the extrapolation. Implemented for Liquibase changesets
 * ({@link LiquibaseEstimateSteps}) and Flyway migrations.
 */
public interface EstimateSteps {

    /** The step that took {@code impact}'s lock, or {@code null} when it cannot be measured (it did not run). */
    Step step(TableImpact impact) throws Exception;

    /** One measured step (a changeset, a migration). */
    interface Step {

        /** Whether the tool runs it in one transaction, which a rollback undoes. */
        boolean runsInTransaction();

        /**
         * The tables a foreign key it adds on the measured table points at (as the catalog names them), each with the
         * measured table's columns that reference it.
         */
        Map<String, List<String>> referencedTables();

        /**
         * Applies the steps before it, as the tool applies them, to the fresh, empty schema {@code schema} (current on
         * {@code connection}, which is in auto-commit mode).
         *
         * @return {@code null}, or why they failed there (the estimate is then left out with that warning)
         */
        String applyBefore(Connection connection, String schema) throws Exception;

        /**
         * Runs it once, traced, on {@code connection} (its current schema {@code schema}).
         *
         * @param undo the connection is in a transaction the estimator rolls back afterwards: the tool's commits must
         *             be held back until then, on this connection
         */
        Ran run(Connection connection, String schema, boolean undo) throws Exception;
    }

    /**
     * What one run of the measured step did.
     *
     * @param impacts the trace of the measured step, per table
     * @param error   why it failed, or {@code null}
     */
    record Ran(List<TableImpact> impacts, String error) {

        public static Ran failed(String error) {
            return new Ran(List.of(), error);
        }
    }
}
