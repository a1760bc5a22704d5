package io.github.migrationsafety.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.migrationsafety.testsupport.SecretScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after the invoker ITs (failsafe is declared after the invoker plugin in the POM, so in the
 * integration-test phase it runs second, whatever order the parallel scenarios finished in) and scans everything
 * they left behind — build logs, including the {@code -X} one of {@code connect-debug-log}, reports, databases,
 * target directories — for the secrets in {@code src/it/known-secrets.txt}.
 */
class SecretLeakIT {

    private static final Path KNOWN_SECRETS = Path.of("src/it/known-secrets.txt");
    private static final Path INPUTS = Path.of("src/it");
    private static final Path DEMO_INPUT = Path.of("demo");
    private static final Path DEMO_OUTPUT = Path.of("target/demo-run");
    private static final List<Path> OUTPUTS = List.of(
            Path.of("target/it"),
            Path.of("target/invoker-reports"),
            Path.of("target/it-examples"),
            Path.of("target/invoker-reports-examples"));

    @Test
    void noKnownSecretInAnyItOutput() throws IOException {
        assumeTrue(buildLogs() > 0, "no build.log under target/it*: the invoker ITs did not run (-Dinvoker.skip?)");
        SecretScanner scanner = new SecretScanner(SecretScanner.readSecrets(KNOWN_SECRETS));
        List<SecretScanner.Hit> hits = new ArrayList<>();
        for (Path output : OUTPUTS) {
            hits.addAll(scanner.scan(output, output.equals(Path.of("target/it")) ? INPUTS : null));
        }
        // the demo is cloned from the project root: target/demo-run/demo/<path> is a copy of demo/<path>
        hits.addAll(scanner.scan(DEMO_OUTPUT, Path.of("")));
        assertEquals(
                List.of(),
                hits.stream().map(SecretScanner.Hit::toString).toList(),
                "Secrets leaked into IT output (file: secret). Find where the plugin prints them and mask them."
                        + " (A scenario not run in this build keeps its old output: ./mvnw clean verify rescans all.)");
    }

    /** A secret in the list that no scenario uses makes the scan prove nothing about it. */
    @Test
    void everyKnownSecretIsGivenToSomeScenario() throws IOException {
        List<String> unused = new ArrayList<>();
        for (String secret : SecretScanner.readSecrets(KNOWN_SECRETS)) {
            if (SecretScanner.filesContaining(INPUTS, secret, KNOWN_SECRETS).isEmpty()
                    && SecretScanner.filesContaining(DEMO_INPUT, secret, KNOWN_SECRETS)
                            .isEmpty()) {
                unused.add(secret);
            }
        }
        assertEquals(List.of(), unused, "secrets in " + KNOWN_SECRETS + " that no file under src/it uses");
    }

    /** The -X scenario is part of the scan: without it the debug output would go unchecked. */
    @Test
    void theDebugLogScenarioRanWithDashX() throws IOException {
        Path log = Path.of("target/it/connect-debug-log/build.log");
        assumeTrue(Files.isRegularFile(log), "connect-debug-log did not run in this build");
        assertEquals(
                true, Files.readString(log).contains("[DEBUG] Configuring mojo execution"), log + " is not a -X log");
    }

    private static long buildLogs() throws IOException {
        long count = 0;
        for (Path root : OUTPUTS) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root, 2)) {
                    count += files.filter(f -> f.getFileName().toString().equals("build.log"))
                            .count();
                }
            }
        }
        return count;
    }
}
