package io.github.migrationsafety.db;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Opens JDBC connections and turns the driver's failures into messages that say what to fix.
 *
 * <p>Drivers are looked up with {@link ServiceLoader} on this class's own class loader rather than
 * through {@code DriverManager}, whose caller-sensitive checks misbehave inside Maven's plugin class
 * realms.
 */
public final class Databases {

    private Databases() {}

    public static Connection open(ConnectionSettings settings) throws DatabaseException {
        Driver driver = driverFor(settings);
        Properties properties = new Properties();
        if (settings.username() != null) {
            properties.setProperty("user", settings.username());
        }
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        try {
            Connection connection = driver.connect(settings.url(), properties);
            if (connection == null) {
                throw noDriver(settings);
            }
            return connection;
        } catch (SQLException e) {
            throw explain(settings, e);
        }
    }

    private static Driver driverFor(ConnectionSettings settings) throws DatabaseException {
        for (Driver driver : ServiceLoader.load(Driver.class, Databases.class.getClassLoader())) {
            try {
                if (driver.acceptsURL(settings.url())) {
                    return driver;
                }
            } catch (SQLException e) {
                // a driver that cannot judge the URL simply does not accept it
            }
        }
        throw noDriver(settings);
    }

    private static DatabaseException noDriver(ConnectionSettings settings) {
        return new DatabaseException("No JDBC driver accepts the URL '" + settings.safeUrl()
                + "' (parameter 'url'). The plugin ships drivers for H2 (jdbc:h2:...) and PostgreSQL"
                + " (jdbc:postgresql://host:port/database); for another database add its driver as a"
                + " <dependency> of the plugin.");
    }

    /** Maps a connection failure to a user message; the password is scrubbed from anything the driver said. */
    static DatabaseException explain(ConnectionSettings settings, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String who = settings.username() == null ? "" : " as user '" + settings.username() + "'";
        String where = "the database at " + settings.safeUrl();
        String driverSaid = scrub(settings, e.getMessage());
        String message;
        if (state.startsWith("28") || e.getErrorCode() == 28000) {
            message = "The database refused the login" + who + " at " + settings.safeUrl()
                    + ": wrong user name or password. Check 'username' and the password source"
                    + " ('password', 'passwordEnv' or the <server> named by 'serverId').";
        } else if (state.equals("3D000")) {
            message = "The database named in 'url' does not exist at " + settings.safeUrl()
                    + ". Create it or fix the database name in the URL.";
        } else if (isUnreachable(e)) {
            message = "Cannot reach " + where + ": " + driverSaid
                    + ". Check that the server is running and that host and port in 'url' are right.";
        } else {
            message = "Cannot connect to " + where + who + ": " + driverSaid
                    + " (SQLState " + (state.isEmpty() ? "none" : state) + "). Check 'url' and 'username', and that the"
                    + " server accepts connections from this machine (e.g. pg_hba.conf, TLS settings).";
        }
        return new DatabaseException(message);
    }

    private static boolean isUnreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return true;
            }
        }
        String state = e.getSQLState();
        return state != null && (state.equals("08001") || state.equals("08006") || state.equals("08004"));
    }

    /** Removes the password from a driver's message, in case the driver echoed it. */
    public static String scrub(ConnectionSettings settings, String text) {
        if (text == null) {
            return "";
        }
        String result = text.strip();
        if (settings.password() != null && !settings.password().isEmpty()) {
            result = result.replace(settings.password(), "****");
        }
        return result.replaceAll("(?i)(password=)[^;&\\s]*", "$1****");
    }
}
