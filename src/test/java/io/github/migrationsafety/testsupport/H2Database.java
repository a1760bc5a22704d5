package io.github.migrationsafety.testsupport;

import io.github.migrationsafety.db.ConnectionSettings;
import java.util.UUID;

/** Fresh in-memory H2 databases in PostgreSQL mode, kept open until the JVM exits. */
public final class H2Database {

    private H2Database() {}

    public static ConnectionSettings fresh(String prefix) {
        return new ConnectionSettings(
                "jdbc:h2:mem:" + prefix + "-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1", "sa", "");
    }
}
