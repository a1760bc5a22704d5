package io.github.migrationsafety.db;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and as whom to connect. The password is kept out of {@link #toString()} so that a settings
 * object that ends up in a log line or exception message never carries it.
 *
 * @param url      JDBC URL, e.g. {@code jdbc:postgresql://localhost:5432/app}
 * @param username user name, may be {@code null} when the URL or driver supplies it
 * @param password password, may be {@code null}
 */
public record ConnectionSettings(String url, String username, String password) {

    public ConnectionSettings {
        Objects.requireNonNull(url, "url");
    }

    /**
     * The same server and credentials, connected to another PostgreSQL database: the URL's database (the path of
     * {@code jdbc:postgresql://host:port/db?...}, or {@code jdbc:postgresql:db}) replaced by {@code database}.
     *
     * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL
     */
    public ConnectionSettings onPostgresDatabase(String database) {
        Matcher hosts = POSTGRES_HOSTS.matcher(url);
        if (hosts.matches()) {
            return new ConnectionSettings(
                    hosts.group(1) + "/" + database + (hosts.group(3) == null ? "" : hosts.group(3)),
                    username,
                    password);
        }
        Matcher local = POSTGRES_LOCAL.matcher(url);
        if (local.matches()) {
            return new ConnectionSettings(
                    "jdbc:postgresql:" + database + (local.group(2) == null ? "" : local.group(2)), username, password);
        }
        throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + safeUrl());
    }

    private static final Pattern POSTGRES_HOSTS = Pattern.compile("(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?");
    private static final Pattern POSTGRES_LOCAL = Pattern.compile("jdbc:postgresql:(?!//)([^?]*)(\\?.*)?");

    /** The URL with anything that looks like an inline password removed, safe for messages. */
    public String safeUrl() {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
    }

    @Override
    public String toString() {
        return "ConnectionSettings[url=" + safeUrl() + ", username=" + username + ", password="
                + (password == null ? "<none>" : "****") + "]";
    }
}
