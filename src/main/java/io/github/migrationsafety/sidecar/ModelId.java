package io.github.migrationsafety.sidecar;

/**
 * A model as the application loads it: the {@code name} and {@code version} of its sidecar, matching a row
 * of {@code model_metadata}.
 */
public record ModelId(String name, String version) {

    @Override
    public String toString() {
        return "name " + quoted(name) + " version " + quoted(version);
    }

    /** Whether the database gave NULL for a part: no sidecar can declare such a model. */
    boolean hasNull() {
        return name == null || version == null;
    }

    private static String quoted(String value) {
        return value == null ? "NULL" : "'" + value + "'";
    }
}
