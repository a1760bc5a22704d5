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
            properties.setProperty(AbstractDatabaseMojo.PASSWORD_PROPERTY, value);
        }
        return properties;
    }

    @Test
    void userPropertiesWinOverSystemPropertiesWhichWinOverThePom() {
        String key = AbstractDatabaseMojo.PASSWORD_PROPERTY;
        assertEquals("from-cli", AbstractDatabaseMojo.firstDefined(key, of("from-cli"), of("from-system"), of("from-pom")));
        assertEquals("from-system", AbstractDatabaseMojo.firstDefined(key, of(null), of("from-system"), of("from-pom")));
        assertEquals("from-pom", AbstractDatabaseMojo.firstDefined(key, of(null), null, of("from-pom")));
        assertNull(AbstractDatabaseMojo.firstDefined(key, of(null), of(null), null));
        assertEquals("", AbstractDatabaseMojo.firstDefined(key, of(""), of("from-system")), "-D with an empty value is a value");
    }
}
