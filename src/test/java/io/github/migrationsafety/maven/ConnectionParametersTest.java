package io.github.migrationsafety.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.migrationsafety.db.ConnectionSettings;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;

class ConnectionParametersTest {

    private static Settings settingsWith(String id, String user, String password) {
        Server server = new Server();
        server.setId(id);
        server.setUsername(user);
        server.setPassword(password);
        Settings settings = new Settings();
        settings.addServer(server);
        return settings;
    }

    @Test
    void missingUrlNamesTheParameter() {
        MojoExecutionException e = assertThrows(
                MojoExecutionException.class,
                () -> AbstractCredentialsMojo.resolve(
                        null, null, null, null, null, new Settings(), null, Map.<String, String>of()::get));
        assertEquals(
                "Parameter 'url' (user property migration-safety.url) is not set. Give the JDBC URL of the database,"
                        + " e.g. <url>jdbc:postgresql://localhost:5432/app</url>.",
                e.getMessage());
    }

    @Test
    void unknownServerIdListsKnownIds() {
        MojoExecutionException e = assertThrows(
                MojoExecutionException.class,
                () -> AbstractCredentialsMojo.resolve(
                        "jdbc:h2:mem:x",
                        null,
                        null,
                        null,
                        "prod-db",
                        settingsWith("staging-db", "u", "p"),
                        null,
                        Map.<String, String>of()::get));
        assertEquals(
                "Parameter 'serverId': settings.xml has no <server> with id 'prod-db'. Known server ids: staging-db."
                        + " Add a <server> with this id to ~/.m2/settings.xml or fix 'serverId'.",
                e.getMessage());
    }

    @Test
    void serverSuppliesUserAndPasswordUnlessOverridden() throws Exception {
        Settings settings = settingsWith("db", "server-user", "server-pass");
        ConnectionSettings fromServer = AbstractCredentialsMojo.resolve(
                "jdbc:h2:mem:x", null, null, null, "db", settings, null, Map.<String, String>of()::get);
        assertEquals("server-user", fromServer.username());
        assertEquals("server-pass", fromServer.password());
        ConnectionSettings fromEnv = AbstractCredentialsMojo.resolve(
                "jdbc:h2:mem:x", "me", null, "DB_PW", "db", settings, null, Map.of("DB_PW", "env-pass")::get);
        assertEquals("me", fromEnv.username());
        assertEquals("env-pass", fromEnv.password());
    }

    @Test
    void unsetPasswordVariableIsNamed() {
        MojoExecutionException e = assertThrows(
                MojoExecutionException.class,
                () -> AbstractCredentialsMojo.resolve(
                        "jdbc:h2:mem:x",
                        "u",
                        null,
                        "DB_PASSWORD",
                        null,
                        new Settings(),
                        null,
                        Map.<String, String>of()::get));
        assertEquals(
                "Parameter 'passwordEnv': the environment variable 'DB_PASSWORD' is not set. Export it before running"
                        + " Maven or give the password another way.",
                e.getMessage());
    }

    @Test
    void noPasswordAtAllIsAllowed() throws Exception {
        assertNull(AbstractCredentialsMojo.resolve(
                        "jdbc:h2:mem:x", "sa", null, null, null, new Settings(), null, Map.<String, String>of()::get)
                .password());
    }
}
