package io.github.migrationsafety.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The CI examples are YAML that nothing else here runs: parse them (SnakeYAML comes with liquibase-core) and
 * check the parts that tie them to the plugin and to the multi-module example.
 */
class CiExamplesTest {

    private static final Path GITHUB = Path.of("examples/github-actions/migration-safety.yml");
    private static final Path GITLAB = Path.of("examples/gitlab-ci/.gitlab-ci.yml");
    private static final Path CHANGELOG = Path.of("db/src/main/resources/db/changelog/db.changelog-master.yaml");

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return (Map<Object, Object>) new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, Object... path) {
        Object current = node;
        for (Object key : path) {
            current = current instanceof Map<?, ?> map ? map.get(key) : ((List<Object>) current).get((Integer) key);
            if (current == null) {
                throw new AssertionError("no " + List.of(path) + " (stopped at " + key + ")");
            }
        }
        return (T) current;
    }

    @Test
    void githubWorkflowRunsVerifyAgainstPostgresOnChangelogPullRequests() throws IOException {
        Map<Object, Object> workflow = load(GITHUB);
        // YAML 1.1 reads the key `on` as the boolean true
        Map<Object, Object> on = at(workflow, Boolean.TRUE);
        List<String> paths = at(on, "pull_request", "paths");
        assertTrue(
                paths.stream()
                        .anyMatch(glob ->
                                matches(glob, Path.of("examples/multi-module").resolve(CHANGELOG))),
                "no path filter matches the example changelog: " + paths);

        Map<Object, Object> job = at(workflow, "jobs", "migration-safety");
        assertTrue(this.<String>at(job, "services", "postgres", "image").startsWith("postgres:"));
        assertEquals(List.of("5432:5432"), at(job, "services", "postgres", "ports"));
        List<Map<String, Object>> steps = at(job, "steps");
        String verify = steps.stream()
                .map(step -> (String) step.get("run"))
                .filter(run -> run != null && run.startsWith("./mvnw -B verify"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ./mvnw -B verify step"));
        assertTrue(verify.contains("-Dapp.db.url=jdbc:postgresql://localhost:5432/app"), verify);
        assertTrue(verify.contains("-Dmigration-safety.passwordEnv=DB_PASSWORD"), verify);
        Map<String, Object> upload = steps.stream()
                .filter(step -> String.valueOf(step.get("uses")).startsWith("actions/upload-artifact@"))
                .findFirst()
                .orElseThrow();
        assertEquals("always()", upload.get("if"));
        assertEquals("**/target/migration-safety/", at(upload, "with", "path"));
        assertTrue(steps.stream()
                .anyMatch(step -> String.valueOf(step.get("uses")).startsWith("github/codeql-action/upload-sarif@")));
    }

    @Test
    void gitlabJobPublishesTheJunitReports() throws IOException {
        Map<Object, Object> job = at(load(GITLAB), "migration-safety");
        List<String> junit = at(job, "artifacts", "reports", "junit");
        assertEquals(List.of("target/migration-safety/TEST-*.xml", "*/target/migration-safety/TEST-*.xml"), junit);
        assertTrue(junit.stream()
                .anyMatch(glob ->
                        matches(glob, Path.of("db/target/migration-safety/TEST-migration-safety-connect.xml"))));
        assertEquals("always", at(job, "artifacts", "when"));
        assertTrue(this.<String>at(job, "services", 0, "name").startsWith("postgres:"));
        String script = at(job, "script", 0);
        assertTrue(
                script.startsWith("./mvnw -B verify") && script.contains("jdbc:postgresql://postgres:5432/app"),
                script);
        List<String> changes = at(job, "rules", 0, "changes");
        assertTrue(changes.stream().anyMatch(glob -> matches(glob, CHANGELOG)), changes.toString());
    }

    @Test
    void theMultiModuleExampleHasTheChangelogAndModelsTheWorkflowsTalkAbout() {
        Path example = Path.of("examples/multi-module");
        assertTrue(Files.isRegularFile(example.resolve(CHANGELOG)));
        assertTrue(Files.isRegularFile(example.resolve("models/src/main/models/churn/model.onnx")));
        assertTrue(Files.isRegularFile(example.resolve("models/src/main/models/churn/model_metadata.json")));
    }

    /**
     * Path globs as GitHub and GitLab read them (unlike java.nio's glob, {@code **}{@code /} also matches no
     * directory at all): {@code **}{@code /} any directories, {@code **} anything, {@code *} and {@code ?} within one name.
     */
    static boolean matches(String glob, Path path) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 2;
            } else if (glob.startsWith("**", i)) {
                regex.append(".*");
                i += 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return path.toString().replace('\\', '/').matches(regex.toString());
    }

    @Test
    void globsMatchLikeTheCiServers() {
        assertTrue(
                matches("**/src/main/resources/db/changelog/**/*", Path.of("src/main/resources/db/changelog/a.yaml")));
        assertTrue(matches(
                "**/src/main/resources/db/changelog/**", Path.of("db/src/main/resources/db/changelog/x/a.yaml")));
        assertTrue(matches("*/target/migration-safety/TEST-*.xml", Path.of("db/target/migration-safety/TEST-a.xml")));
        assertFalse(matches("*/target/migration-safety/TEST-*.xml", Path.of("a/b/target/migration-safety/TEST-a.xml")));
        assertFalse(matches("**/pom.xml", Path.of("pom.xml.bak")));
    }
}
