package io.github.migrationsafety.changelog;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SHA-256 over every changelog file read, in sorted order of their paths relative to the changelog
 * directory; each file contributes its relative path and its bytes, so renaming a file changes the
 * fingerprint just like editing it. Smoke and gate both compute it through {@link ChangelogReader}.
 *
 * @param sha256 lowercase hex digest
 * @param files  relative paths of the files, sorted
 */
public record ChangelogFingerprint(String sha256, List<String> files) {

    public static ChangelogFingerprint of(Path root, Set<String> relativePaths) throws IOException {
        MessageDigest digest = newDigest();
        List<String> files = relativePaths.stream().sorted().toList();
        byte[] buffer = new byte[65536];
        for (String file : files) {
            digest.update(file.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            MessageDigest content = newDigest();
            try (InputStream in = Files.newInputStream(root.resolve(file))) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    content.update(buffer, 0, n);
                }
            }
            digest.update(content.digest());
        }
        return new ChangelogFingerprint(HexFormat.of().formatHex(digest.digest()), files);
    }

    /**
     * The same digest over files that are not under one root, such as Flyway migrations found on a class path (a
     * directory or a jar): each named by its path relative to its location root, read from its URL.
     */
    public static ChangelogFingerprint of(Map<String, URL> files) throws IOException {
        MessageDigest digest = newDigest();
        List<String> names = files.keySet().stream().sorted().toList();
        byte[] buffer = new byte[65536];
        for (String name : names) {
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            MessageDigest content = newDigest();
            try (InputStream in = files.get(name).openStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    content.update(buffer, 0, n);
                }
            }
            digest.update(content.digest());
        }
        return new ChangelogFingerprint(HexFormat.of().formatHex(digest.digest()), names);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
