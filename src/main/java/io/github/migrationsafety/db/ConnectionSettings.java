package io.github.migrationsafety.db;

import java.util.Objects;

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
