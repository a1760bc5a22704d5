package io.github.migrationsafety.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner behind SecretLeakIT must find what it is looking for, in text and binary files. */
class SecretScannerTest {

    @Test
    void findsSecretsInLogsReportsAndBinaryFilesButNotInTheScenarioInputs(@TempDir Path dir) throws Exception {
        Path inputs = Files.createDirectories(dir.resolve("src/it/scenario"));
        Files.writeString(inputs.resolve("invoker.properties"), "invoker.environmentVariables.PW = Pässword-1\n");
        Path output = Files.createDirectories(dir.resolve("target/it/scenario"));
        Files.writeString(output.resolve("invoker.properties"), "invoker.environmentVariables.PW = Pässword-1\n");
        Files.writeString(output.resolve("build.log"), "[DEBUG]   (f) password = Pässword-1\n[INFO] ok\n");
        Files.createDirectories(output.resolve("target/db"));
        byte[] secret = "Key-2".getBytes(StandardCharsets.UTF_8);
        byte[] binary = new byte[300];
        System.arraycopy(secret, 0, binary, 200, secret.length);
        Files.write(output.resolve("target/db/app.mv.db"), binary);
        Files.writeString(output.resolve("clean.json"), "{\"password\":\"****\"}");

        SecretScanner scanner = new SecretScanner(List.of("Pässword-1", "Key-2", "Never-There"));
        List<SecretScanner.Hit> hits = scanner.scan(dir.resolve("target/it"), dir.resolve("src/it"));

        assertEquals(
                List.of(
                        dir.resolve("target/it/scenario/build.log") + ": Pässword-1",
                        dir.resolve("target/it/scenario/target/db/app.mv.db") + ": Key-2"),
                hits.stream().map(SecretScanner.Hit::toString).toList());
    }

    @Test
    void readsOneSecretPerLineWithoutCommentsAndBlankLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("known-secrets.txt");
        Files.writeString(file, "# comment\n\n  Secret-A  \nSecret-B\n");
        assertEquals(List.of("Secret-A", "Secret-B"), SecretScanner.readSecrets(file));
    }

    @Test
    void theKnownSecretsListIsUsable() throws Exception {
        List<String> secrets = SecretScanner.readSecrets(Path.of("src/it/known-secrets.txt"));
        assertEquals(
                List.of(),
                secrets.stream().filter(s -> s.length() < 8).toList(),
                "secrets shorter than 8 characters match by accident; make them longer");
    }
}
