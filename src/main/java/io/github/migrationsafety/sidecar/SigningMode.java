package io.github.migrationsafety.sidecar;

import java.util.Locale;

/** Parameter {@code signing}: whether {@code artifact_sig} is checked (or written, by {@code sign}). */
public enum SigningMode {
    /** Verify (or write) signatures when the key variable is set; otherwise say so and skip them. */
    AUTO,
    /** The key must be set and every checked artifact must carry a valid signature. */
    REQUIRED,
    /** Never look at signatures. */
    OFF;

    public static SigningMode parse(String value) throws SidecarException {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "auto" -> AUTO;
            case "required" -> REQUIRED;
            case "off" -> OFF;
            default ->
                throw new SidecarException("Parameter 'signing' is '" + value
                        + "'; use one of auto (verify when the key is set), required or off.");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
