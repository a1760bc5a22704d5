package io.github.migrationsafety.sidecar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Reproduces, byte for byte, what the Python model service hashes: {@code json.dumps(feature_list,
 * separators=(",", ":"))} with the default {@code ensure_ascii=True}, and the lowercase hex SHA-256 of its
 * UTF-8 bytes ({@code feature_list_checksum}).
 *
 * <p>Python's ASCII encoder escapes {@code "} and {@code \} with a backslash, writes {@code \b \f \n \r \t}
 * by name, and writes every other UTF-16 code unit outside {@code 0x20..0x7e} as {@code \}{@code uXXXX}
 * with lowercase hex. That includes DEL (0x7f) and makes characters above U+FFFF a surrogate pair, exactly
 * the code units of a Java string, so the encoder walks {@code char}s, never code points. Lone surrogates
 * come out as their own escape, as in Python. The vectors under {@code src/test/resources/sidecar-vectors}
 * were produced by Python itself and pin this down.
 */
public final class PythonJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonJson() {}

    /** {@code json.dumps(features, separators=(",", ":"))}, i.e. the exact text the checksum covers. */
    public static String dumpsCompact(List<String> features) {
        return dumps(features, ",", true);
    }

    /**
     * {@code json.dumps(features, separators=(separator, ":"), ensure_ascii=ensureAscii)}. The variants other
     * than the compact ASCII one only explain checksum mismatches ("computed with the default separators").
     */
    static String dumps(List<String> features, String separator, boolean ensureAscii) {
        StringBuilder out = new StringBuilder(features.size() * 16 + 2);
        out.append('[');
        for (int i = 0; i < features.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            appendString(out, features.get(i), ensureAscii);
        }
        return out.append(']').toString();
    }

    /** {@code value} as Python writes it in JSON, quotes included: how messages show feature names. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        appendString(out, value, true);
        return out.toString();
    }

    /** Appends {@code value} as a Python JSON string literal, quotes included. */
    public static void appendString(StringBuilder out, String value, boolean ensureAscii) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // ensure_ascii=False still escapes control characters; a lone surrogate cannot be written
                    // as UTF-8 at all (Python would raise when encoding), so it stays escaped.
                    boolean escape = c < 0x20
                            || (ensureAscii ? c > 0x7e : Character.isSurrogate(c) && !isPairedSurrogate(value, i));
                    if (escape) {
                        out.append("\\u")
                                .append(HEX[c >> 12 & 0xf])
                                .append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf])
                                .append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isPairedSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }

    /** {@code feature_list_checksum}: lowercase hex SHA-256 of the UTF-8 bytes of {@link #dumpsCompact}. */
    public static String checksum(List<String> features) {
        return sha256Hex(dumpsCompact(features));
    }

    static String sha256Hex(String text) {
        // The ASCII-mode output is pure ASCII, so UTF-8 and ASCII agree; UTF-8 is what Python's .encode() uses.
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
