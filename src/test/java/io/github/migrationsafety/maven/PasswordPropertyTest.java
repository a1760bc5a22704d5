package io.github.migrationsafety.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code -Dmigration-safety.password} is read by the goal, not injected by Maven (which would print it at -X):
 * the lookup must keep Maven's order, user properties before system properties before the POM's.
 */
class PasswordPropertyTest {

    private static Properties of(String value) {
        Properties properties = new Properties();
        if (value != null) {
            properties.setProperty(AbstractCredentialsMojo.PASSWORD_PROPERTY, value);
        }
        return properties;
    }

    @Test
    void userPropertiesWinOverSystemPropertiesWhichWinOverThePom() {
        String key = AbstractCredentialsMojo.PASSWORD_PROPERTY;
        assertEquals(
                "from-cli",
                AbstractCredentialsMojo.firstDefined(key, of("from-cli"), of("from-system"), of("from-pom")));
        assertEquals(
                "from-system", AbstractCredentialsMojo.firstDefined(key, of(null), of("from-system"), of("from-pom")));
        assertEquals("from-pom", AbstractCredentialsMojo.firstDefined(key, of(null), null, of("from-pom")));
        assertNull(AbstractCredentialsMojo.firstDefined(key, of(null), of(null), null));
        assertEquals(
                "",
                AbstractCredentialsMojo.firstDefined(key, of(""), of("from-system")),
                "-D with an empty value is a value");
    }
}
