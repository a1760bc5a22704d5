package io.github.migrationsafety.flyway.keysfixture;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** A Java migration among {@code FlywayUniqueKeysTest}'s SQL ones: its SQL is known only when it runs. */
public class V4__Backfill extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("UPDATE model_metadata SET version = '1' WHERE version IS NULL");
        }
    }
}
