package io.github.migrationsafety.flyway;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.ConnectionSource;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.smoke.SmokeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Production's {@code flyway_schema_history}, read by Flyway itself in a read-only session: which migrations are
 * pending there, and what Flyway's validate would refuse before migrating it (a released migration edited since it
 * ran, one that ran but is gone, one older than production's current version that Flyway would not run without
 * {@code outOfOrder}, a failed one).
 */
final class ProductionHistory {

    static final String CHECKSUM = "smoke.flyway.applied-migration-edited";
    static final String MISSING = "smoke.flyway.applied-migration-missing";
    static final String OUT_OF_ORDER = "smoke.flyway.out-of-order";
    static final String INVALID = "smoke.flyway.production-validation";

    /**
     * @param applied  how many migrations the history lists as applied
     * @param pending  the keys of the migrations pending there, in Flyway's order
     * @param findings what Flyway's validate against production reports
     */
    record Result(
            String url,
            String product,
            String table,
            boolean exists,
            int applied,
            List<String> pending,
            List<Finding> findings) {}

    private ProductionHistory() {}

    static Result read(FlywaySource source, ConnectionSettings production, List<Migration> migrations)
            throws SmokeException {
        ReadOnlyDataSource dataSource = new ReadOnlyDataSource(ConnectionSource.of(production));
        Flyway flyway = source.configure()
                .dataSource(dataSource)
                // pending migrations are what the release brings, not a validation error
                .ignoreMigrationPatterns("*:pending")
                .load();
        String url = production.safeUrl();
        try {
            MigrationInfoService info = flyway.info();
            List<String> pending = new ArrayList<>();
            for (MigrationInfo migration : info.pending()) {
                pending.add(FlywayMigrations.of(source, migration).key());
            }
            int applied = info.applied().length;
            ValidateResult validation = flyway.validateWithResult();
            List<Finding> findings = new ArrayList<>();
            if (!validation.validationSuccessful) {
                for (ValidateOutput invalid : validation.invalidMigrations) {
                    Finding finding = finding(invalid, migrations, url);
                    if (finding != null) {
                        findings.add(finding);
                    }
                }
                if (findings.isEmpty() && validation.errorDetails != null && validation.invalidMigrations.isEmpty()) {
                    findings.add(Finding.error(
                                    INVALID,
                                    source.label(),
                                    "Flyway's validate against production at " + url + " fails: "
                                            + FlywayMessages.clean(validation.errorDetails.errorMessage))
                            .withHint("fix what Flyway names before this release migrates production"));
                }
            }
            return new Result(
                    url,
                    dataSource.product(),
                    flyway.getConfiguration().getTable(),
                    applied > 0,
                    applied,
                    List.copyOf(pending),
                    findings);
        } catch (FlywayException e) {
            throw new SmokeException("Parameter 'url': Flyway cannot read the schema history of the production"
                    + " database " + url + ": " + FlywayMessages.databaseMessage(e) + ". Check 'url' and the"
                    + " credentials (the user needs to read "
                    + flyway.getConfiguration().getTable() + "), or remove"
                    + " 'url'.");
        }
    }

    private static Finding finding(ValidateOutput invalid, List<Migration> migrations, String url) {
        ErrorCode code = invalid.errorDetails == null ? null : invalid.errorDetails.errorCode;
        if (code == CoreErrorCode.OUTDATED_REPEATABLE_MIGRATION
                || code == CoreErrorCode.RESOLVED_REPEATABLE_MIGRATION_NOT_APPLIED) {
            return null; // a changed or new repeatable runs again by design
        }
        Migration migration = migrations.stream()
                .filter(m -> invalid.version != null && !invalid.version.isEmpty()
                        ? invalid.version.equals(m.version())
                        : m.repeatable() && m.description().equals(invalid.description))
                .findFirst()
                .orElse(null);
        String subject = migration != null
                ? migration.key()
                : (invalid.version == null || invalid.version.isEmpty() ? "R " : "V" + invalid.version + " ")
                        + invalid.description;
        String message =
                invalid.errorDetails == null ? "invalid" : FlywayMessages.clean(invalid.errorDetails.errorMessage);
        String rule;
        String hint;
        if (code == CoreErrorCode.CHECKSUM_MISMATCH
                || code == CoreErrorCode.DESCRIPTION_MISMATCH
                || code == CoreErrorCode.TYPE_MISMATCH) {
            rule = CHECKSUM;
            hint = "undo the edit: production ran this migration as it was; put the change into a new versioned"
                    + " migration";
        } else if (code == CoreErrorCode.APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED
                || code == CoreErrorCode.APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED) {
            rule = MISSING;
            hint = "restore the migration's file: production ran it and Flyway's validate refuses to go on without it";
        } else if (code == CoreErrorCode.RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED) {
            rule = OUT_OF_ORDER;
            hint = "give the migration a version above production's current one, or set outOfOrder=true in the"
                    + " application's Flyway configuration (and in 'flywayConfiguration') if running it late is"
                    + " intended";
        } else {
            rule = INVALID;
            hint = "fix what Flyway names before this release migrates production";
        }
        Finding finding = Finding.error(
                        rule, subject, "Flyway's validate against production at " + url + ": " + message)
                .withHint(hint);
        return migration == null ? finding : finding.at(migration.file(), 1);
    }

    /** The report's entry for production, in the shape of the Liquibase smoke's. */
    static Map<String, Object> summary(Result result) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("url", result.url());
        entry.put("product", result.product());
        entry.put("readOnly", true);
        entry.put("changelogTable", result.exists() ? result.table() : "");
        entry.put("changesetsRan", result.applied());
        entry.put("pending", result.pending());
        return entry;
    }
}
