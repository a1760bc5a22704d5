package io.github.migrationsafety.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.migrationsafety.testsupport.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabasesTest {

    private static final String WRONG = "Wr0ng-Pa55word-Do-Not-Leak";

    @Test
    void connectsToPostgresWithPassword() throws Exception {
        ConnectionSettings settings = PostgresServer.freshDatabase("connect");
        try (Connection connection = Databases.open(settings)) {
            DatabaseInfo info = DatabaseInfo.of(connection);
            assertEquals(Dialect.POSTGRESQL, info.dialect());
            assertEquals("public", info.schema());
            assertEquals("postgres", info.user());
        }
    }

    @Test
    void wrongPostgresPasswordIsNamedAndNotEchoed() {
        ConnectionSettings good = PostgresServer.freshDatabase("wrongpw");
        ConnectionSettings bad = new ConnectionSettings(good.url(), good.username(), WRONG);
        DatabaseException e = assertThrows(DatabaseException.class, () -> Databases.open(bad));
        assertEquals(
                "The database refused the login as user 'postgres' at " + good.url()
                        + ": wrong user name or password. Check 'username' and the password source"
                        + " ('password', 'passwordEnv' or the <server> named by 'serverId').",
                e.getMessage());
        assertFalse(e.getMessage().contains(WRONG));
        assertFalse(String.valueOf(e.getCause()).contains(WRONG));
    }

    @Test
    void wrongH2PasswordIsNamed(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL";
        try (Connection ignored = Databases.open(new ConnectionSettings(url, "app", "right-password"))) {
            // creates the database with this user
        }
        DatabaseException e =
                assertThrows(DatabaseException.class, () -> Databases.open(new ConnectionSettings(url, "app", WRONG)));
        assertTrue(e.getMessage().startsWith("The database refused the login as user 'app'"), e.getMessage());
        assertFalse(e.getMessage().contains(WRONG));
    }

    @Test
    void unreachableHostSaysWhatToCheck() {
        ConnectionSettings settings = new ConnectionSettings("jdbc:postgresql://127.0.0.1:1/app", "app", WRONG);
        DatabaseException e = assertThrows(DatabaseException.class, () -> Databases.open(settings));
        assertTrue(
                e.getMessage().startsWith("Cannot reach the database at jdbc:postgresql://127.0.0.1:1/app: "),
                e.getMessage());
        assertTrue(
                e.getMessage().endsWith("Check that the server is running and that host and port in 'url' are right."));
        assertFalse(e.getMessage().contains(WRONG));
    }

    @Test
    void unknownDriverNamesTheUrlAndTheFix() {
        ConnectionSettings settings =
                new ConnectionSettings("jdbc:oracle:thin:@db:1521/x;password=" + WRONG, "app", WRONG);
        DatabaseException e = assertThrows(DatabaseException.class, () -> Databases.open(settings));
        assertEquals(
                "No JDBC driver accepts the URL 'jdbc:oracle:thin:@db:1521/x;password=****' (parameter 'url')."
                        + " The plugin ships drivers for H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql://host:port/database);"
                        + " for another database add its driver as a <dependency> of the plugin.",
                e.getMessage());
    }

    @Test
    void missingPostgresDatabaseIsNamed() {
        ConnectionSettings settings =
                new ConnectionSettings(PostgresServer.url("no_such_db"), PostgresServer.USER, PostgresServer.PASSWORD);
        DatabaseException e = assertThrows(DatabaseException.class, () -> Databases.open(settings));
        assertTrue(e.getMessage().startsWith("The database named in 'url' does not exist"), e.getMessage());
    }

    @Test
    void settingsNeverPrintThePassword() {
        ConnectionSettings settings = new ConnectionSettings("jdbc:h2:mem:x;PASSWORD=" + WRONG, "sa", WRONG);
        assertFalse(settings.toString().contains(WRONG), settings.toString());
    }
}
