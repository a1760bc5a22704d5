package io.github.migrationsafety.sidecar;

/**
 * A model as the application loads it: the {@code name} and {@code version} of its sidecar, matching a row
 * of {@code model_metadata}.
 */
public record ModelId(String name, String version) {

    @Override
    public String toString() {
        return "name '" + name + "' version '" + version + "'";
    }
}
