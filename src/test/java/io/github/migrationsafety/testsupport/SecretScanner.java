package io.github.migrationsafety.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds known secrets in build output. Files are compared as bytes (UTF-8 of the secret), so binary files such
 * as H2 databases and jars are covered too. A copy of a scenario's own input is not a leak: a file under
 * {@code <output>/<scenario>/<path>} that holds a secret is excused when {@code <inputs>/<scenario>/<path>} holds the
 * same secret (the test wrote it there on purpose, e.g. a setup script or a settings file).
 */
public final class SecretScanner {

    /** One secret found in one file. */
    public record Hit(Path file, String secret) {
        @Override
        public String toString() {
            return file + ": " + secret;
        }
    }

    private final List<String> secrets;

    public SecretScanner(List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no secrets to scan for");
        }
        this.secrets = List.copyOf(secrets);
    }

    /** Reads a secrets file: one per line, blank lines and lines starting with '#' ignored. */
    public static List<String> readSecrets(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    public List<String> secrets() {
        return secrets;
    }

    /**
     * @param output the directory to scan, e.g. {@code target/it}
     * @param inputs the directory the scenarios were copied from, e.g. {@code src/it}, or {@code null}
     */
    public List<Hit> scan(Path output, Path inputs) throws IOException {
        List<Hit> hits = new ArrayList<>();
        if (!Files.isDirectory(output)) {
            return hits;
        }
        try (Stream<Path> files = Files.walk(output)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String content = latin1(Files.readAllBytes(file));
                for (String secret : secrets) {
                    if (content.contains(latin1(secret.getBytes(StandardCharsets.UTF_8)))
                            && !isInput(file, output, inputs, secret)) {
                        hits.add(new Hit(file, secret));
                    }
                }
            }
        }
        return hits;
    }

    /** Files under {@code directory} (other than {@code except}) that contain the secret. */
    public static List<Path> filesContaining(Path directory, String secret, Path except) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> found = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.equals(except))
                    .sorted()
                    .toList()) {
                if (Files.readString(file, StandardCharsets.ISO_8859_1)
                        .contains(latin1(secret.getBytes(StandardCharsets.UTF_8)))) {
                    found.add(file);
                }
            }
            return found;
        }
    }

    private static boolean isInput(Path file, Path output, Path inputs, String secret) throws IOException {
        if (inputs == null) {
            return false;
        }
        Path source = inputs.resolve(output.relativize(file).toString());
        return Files.isRegularFile(source)
                && latin1(Files.readAllBytes(source)).contains(latin1(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Bytes as a string of the same length, so String.contains does a byte-wise search. */
    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
