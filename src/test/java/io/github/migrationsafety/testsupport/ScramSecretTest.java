package io.github.migrationsafety.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The tests' roles get their passwords as {@link PostgresServer#scramSecret} secrets: the server stores that secret,
 * logs the role in over SCRAM-SHA-256 with the password, and refuses another password.
 */
class ScramSecretTest {

    @Test
    void aRoleWithTheSecretLogsInWithItsPasswordAndNotWithAnother() throws SQLException {
        String role = "scram_secret_" + Long.toHexString(System.nanoTime());
        String password = "Scram-Test-Secret-" + role.hashCode();
        try (Connection admin = PostgresServer.adminConnection();
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + PostgresServer.scramSecret(password) + "'");
            try (ResultSet rs =
                    statement.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'")) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).startsWith("SCRAM-SHA-256$1:"), rs.getString(1));
            }
        }
        String url = PostgresServer.url("postgres");
        try (Connection connection = DriverManager.getConnection(url, role, password);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_user")) {
            assertTrue(rs.next());
            assertEquals(role, rs.getString(1));
        }
        SQLException refused =
                assertThrows(SQLException.class, () -> DriverManager.getConnection(url, role, password + "x"));
        assertEquals("28P01", refused.getSQLState(), refused::getMessage); // invalid_password
    }
}
