package io.github.migrationsafety.sidecar;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC key for {@code artifact_sig}, read from an environment variable only (never from the POM, where
 * it would end up in version control and in {@code help:effective-pom}). The key is the UTF-8 bytes of the
 * variable's value, as in Python's {@code key.encode("utf-8")}. {@link #toString()} never shows it.
 */
public final class SigningKey {

    /** Below this many bytes an HMAC-SHA256 key is weaker than the hash; RFC 2104 recommends at least L=32. */
    public static final int RECOMMENDED_BYTES = 32;

    private final String variable;
    private final byte[] bytes;

    private SigningKey(String variable, byte[] bytes) {
        this.variable = variable;
        this.bytes = bytes;
    }

    /** The key held by {@code variable}; {@link #isPresent()} is false when it is unset or empty. */
    public static SigningKey fromEnvironment(String variable, UnaryOperator<String> environment) {
        String value = environment.apply(variable);
        return new SigningKey(variable, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** The variable the key came from, for messages. */
    public String variable() {
        return variable;
    }

    public boolean isSet() {
        return bytes != null;
    }

    public boolean isPresent() {
        return bytes != null && bytes.length > 0;
    }

    public boolean isShort() {
        return isPresent() && bytes.length < RECOMMENDED_BYTES;
    }

    /** A fresh HMAC-SHA256 instance keyed with this key; {@code Mac} is not thread-safe, so one per task. */
    Mac newMac() {
        if (!isPresent()) {
            throw new IllegalStateException("no signing key in " + variable);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is available in every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + variable + (isPresent() ? ", set" : isSet() ? ", empty" : ", unset") + "]";
    }
}
