package io.github.migrationsafety.smoke;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import liquibase.change.custom.CustomTaskChange;

/**
 * Stand-ins for {@code customChange} classes that a public changelog names but nobody publishes: Liquibase loads
 * and instantiates every such class while it parses the changelog, also for changesets that the contexts leave out,
 * so without the class neither Liquibase's update nor the smoke gets past the parse. A stand-in has the class's
 * name and does nothing; both sides of {@link RealChangelogComparison} load the same stand-ins. A changeset that
 * runs one is recorded as executed without doing the project's work, which on a fresh database is what the real
 * class does when there is nothing to migrate; the docs name each stand-in and whether its changeset ran.
 */
final class StandIns {

    private StandIns() {}

    /**
     * Compiles one stand-in per fully qualified class name into {@code directory}; returns the directory, or
     * {@code null} when there are none.
     */
    static Path compile(List<String> classNames, Path directory) throws IOException {
        if (classNames.isEmpty()) {
            return null;
        }
        Path sources = directory.resolveSibling(directory.getFileName() + "-sources");
        List<String> files = new ArrayList<>();
        for (String className : classNames) {
            int dot = className.lastIndexOf('.');
            Path source = sources.resolve(className.replace('.', '/') + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(
                    source, source(className.substring(0, dot), className.substring(dot + 1)), StandardCharsets.UTF_8);
            files.add(source.toString());
        }
        Files.createDirectories(directory);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("the stand-ins " + classNames + " need a JDK (javax.tools), not a JRE");
        }
        List<String> options = List.of(
                "-d",
                directory.toString(),
                "-classpath",
                jarOf(CustomTaskChange.class).toString(),
                "--release",
                "17");
        StringWriter errors = new StringWriter();
        try (StandardJavaFileManager fileManager =
                compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean compiled = compiler.getTask(
                            errors, fileManager, null, options, null, fileManager.getJavaFileObjectsFromStrings(files))
                    .call();
            if (!compiled) {
                throw new IllegalStateException("cannot compile the stand-ins " + classNames + ":\n" + errors);
            }
        }
        return directory;
    }

    private static String source(String packageName, String simpleName) {
        return "package " + packageName + ";\n\n"
                + "/** Stand-in written by the real-changelogs comparison: does nothing. */\n"
                + "public class " + simpleName + " implements liquibase.change.custom.CustomTaskChange {\n"
                + "    @Override\n"
                + "    public void execute(liquibase.database.Database database) {}\n\n"
                + "    @Override\n"
                + "    public String getConfirmationMessage() {\n"
                + "        return \"stand-in " + simpleName + ": did nothing\";\n"
                + "    }\n\n"
                + "    @Override\n"
                + "    public void setUp() {}\n\n"
                + "    @Override\n"
                + "    public void setFileOpener(liquibase.resource.ResourceAccessor accessor) {}\n\n"
                + "    @Override\n"
                + "    public liquibase.exception.ValidationErrors validate(liquibase.database.Database database) {\n"
                + "        return new liquibase.exception.ValidationErrors();\n"
                + "    }\n"
                + "}\n";
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
