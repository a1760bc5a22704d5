package io.github.migrationsafety.smoke;

import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.ChecksumVersion;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.OfflineConnection;
import liquibase.exception.DatabaseException;
import liquibase.parser.ChangeLogParser;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;
import org.xml.sax.SAXParseException;

/**
 * Parses a changelog with Liquibase, computes every changeset's checksum (which also reads the files that
 * {@code sqlFile} and {@code loadData} refer to) and fingerprints every file read. A changelog that does not
 * parse is a finding, with file and line when Liquibase names them.
 */
public final class ChangelogReader {

    private static final Pattern LINE = Pattern.compile("(?i)\\bline:? (\\d+)");
    private static final Pattern FILE = Pattern.compile("([\\w./-]+\\.(?:xml|ya?ml|json|sql))");

    /** A parsed changelog, or the finding that says why it could not be parsed; always the fingerprint. */
    public record Result(DatabaseChangeLog changeLog, Finding parseError, ChangelogFingerprint fingerprint) {

        public boolean parsed() {
            return changeLog != null;
        }
    }

    private ChangelogReader() {}

    /** Opens the accessor for a source, failing with a message naming the parameter when the paths are wrong. */
    static TrackingResourceAccessor accessor(ChangelogSource source) throws SmokeException {
        Path directory = source.directory();
        if (!Files.isDirectory(directory)) {
            throw new SmokeException("Parameter 'changeLogDirectory': " + directory + " is not a directory."
                    + " Point it to the root your application's Liquibase resolves changelogs against"
                    + " (default src/main/resources).");
        }
        if (!Files.isRegularFile(directory.resolve(source.file()))) {
            throw new SmokeException("Parameter 'changeLogFile': " + source.file() + " does not exist under "
                    + directory.toAbsolutePath().normalize() + ". Give the master changelog relative to"
                    + " 'changeLogDirectory', e.g. db/changelog/db.changelog-master.yaml.");
        }
        try {
            return new TrackingResourceAccessor(directory);
        } catch (FileNotFoundException e) {
            throw new SmokeException("Parameter 'changeLogDirectory': cannot read " + directory + ": " + e.getMessage()
                    + ". Check that the directory exists and is readable by the user running Maven.");
        }
    }

    /** Parses the changelog and fingerprints it; used by the gate, which needs nothing else. */
    public static Result read(ChangelogSource source, EngineLog log) throws SmokeException {
        try (TrackingResourceAccessor accessor = accessor(source)) {
            return LiquibaseSession.run(log, accessor, source.classLoader(), () -> read(source, accessor));
        } catch (SmokeException e) {
            throw e;
        } catch (Exception e) {
            throw new SmokeException(
                    "Cannot read the changelog " + source.file() + ": " + Failures.rootMessage(e)
                            + ". Fix the file named in this message; Liquibase reads it the same way when the application starts.",
                    e);
        }
    }

    /** Must run inside a {@link LiquibaseSession}. */
    static Result read(ChangelogSource source, TrackingResourceAccessor accessor) throws Exception {
        DatabaseChangeLog changeLog;
        try {
            Database offline = offlineDatabase(source.dialect(), accessor);
            DatabaseChangeLog parsed = parse(source, accessor, offline);
            // Liquibase's checksum (version 9) leaves out every change whose dbms does not match the database in
            // its scope, and with none in scope it leaves out every change that names a dbms: a createProcedure or
            // sql with dbms="postgresql" would count as no change at all. Liquibase's update has the database in
            // scope; here it is the dialect's. A changeset keeps the first checksum computed, so the lint and the
            // released checksums get these.
            Scope.child(Scope.Attr.database.name(), offline, () -> {
                for (ChangeSet changeSet : parsed.getChangeSets()) {
                    changeSet.generateCheckSum(ChecksumVersion.latest());
                }
            });
            changeLog = parsed;
        } catch (SmokeException e) {
            throw e;
        } catch (Exception e) {
            return new Result(
                    null, parseFinding(source, e), ChangelogFingerprint.of(accessor.root(), accessor.filesRead()));
        }
        return new Result(changeLog, null, ChangelogFingerprint.of(accessor.root(), accessor.filesRead()));
    }

    /**
     * Parses the changelog the way Liquibase's update parses it for {@code database} (its
     * {@code DatabaseChangelogCommandStep}), so that every property resolves to the value the application gets:
     * <ul>
     *   <li>changelog parameters made for that database ({@code database.*}, the JVM's system properties and
     *       environment, which a {@code <property>} cannot override), then the configured ones;
     *   <li>the contexts and labels set on them <em>before</em> the parse: a {@code <property context="mysql">} /
     *       {@code <property context="postgresql">} pair resolves by the contexts in use, and without them the
     *       first definition wins;
     *   <li>a database with a connection in Liquibase's scope while parsing, as the update has it: an include
     *       keeps the logical path of changesets that database already ran, and a change name with several
     *       implementations takes the one that supports it. Offline databases stay out of the scope: Liquibase's
     *       offline history would write a {@code databasechangelog.csv} into the working directory.
     * </ul>
     * Each database run needs its own parse because Liquibase's validation changes the parsed changesets: its
     * dbms filter removes the {@code modifySql} visitors that do not apply to the database it validates against,
     * so a changelog validated on H2 has lost its {@code modifySql dbms="postgresql"} for a later PostgreSQL run.
     * Must run inside a {@link LiquibaseSession}.
     */
    static DatabaseChangeLog parse(ChangelogSource source, TrackingResourceAccessor accessor, Database database)
            throws Exception {
        ChangeLogParameters parameters = new ChangeLogParameters(database);
        for (Map.Entry<String, String> parameter : source.parameters().entrySet()) {
            parameters.set(parameter.getKey(), parameter.getValue());
        }
        parameters.setContexts(new Contexts(source.contexts()));
        parameters.setLabels(new LabelExpression(source.labels()));
        ChangeLogParser parser = ChangeLogParserFactory.getInstance().getParser(source.file(), accessor);
        if (parser instanceof XMLChangeLogSAXParser xml) {
            xml.setShouldWarnOnMismatchedXsdVersion(false);
        }
        if (database.getConnection() == null || database.getConnection() instanceof OfflineConnection) {
            return parser.parse(source.file(), parameters, accessor);
        }
        return Scope.child(
                Map.of(Scope.Attr.database.name(), database), () -> parser.parse(source.file(), parameters, accessor));
    }

    static Database offlineDatabase(String dialect, TrackingResourceAccessor accessor) throws SmokeException {
        try {
            return DatabaseFactory.getInstance().openDatabase("offline:" + dialect, null, null, null, accessor);
        } catch (DatabaseException | RuntimeException e) {
            throw new SmokeException("Parameter 'dialect': Liquibase does not know the database '" + dialect
                    + "'. Use a Liquibase short name such as postgresql, h2, mysql, mariadb, oracle or mssql.");
        }
    }

    private static Finding parseFinding(ChangelogSource source, Exception e) {
        String message =
                Failures.rootMessage(e).replace(" More locations can be added with the 'searchPath' parameter.", "");
        int line = 0;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SAXParseException sax && sax.getLineNumber() > 0) {
                line = sax.getLineNumber();
            }
            if (t instanceof ClassNotFoundException missing) {
                message = "the customChange class " + missing.getMessage() + " is not on the project's compile"
                        + " classpath";
            }
        }
        String file = source.file();
        Matcher fileMatch = FILE.matcher(message);
        while (fileMatch.find()) {
            String candidate = fileMatch.group(1);
            if (Files.isRegularFile(source.directory().resolve(candidate))) {
                file = candidate;
                break;
            }
        }
        if (line == 0) {
            // YAML errors name the start of the enclosing block first and the offending line last
            Matcher lineMatch = LINE.matcher(message);
            while (lineMatch.find()) {
                line = Integer.parseInt(lineMatch.group(1));
            }
        }
        String hint = message.startsWith("the customChange class")
                ? "compile the class in this project (src/main/java) or add the dependency that has it"
                : "fix the changelog file; Liquibase reads it the same way when the application starts";
        return Finding.error("smoke.lint.parse-error", file, "the changelog cannot be parsed: " + message)
                .withHint(hint)
                .at(file, line);
    }
}
