package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** A Java migration among the project's classes, found by Flyway on the project's class path. */
public class V3__Create_audit_table extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("CREATE TABLE model_audit (id BIGINT PRIMARY KEY, model_id BIGINT NOT NULL)");
        }
    }
}
