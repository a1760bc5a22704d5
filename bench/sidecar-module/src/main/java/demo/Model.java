package demo;

/** Loads a model described by its sidecar. */
public final class Model {
    public static String describe(String name, String version) {
        return name + ":" + version;
    }
}
