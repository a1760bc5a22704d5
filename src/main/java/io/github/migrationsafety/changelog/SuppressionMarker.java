package io.github.migrationsafety.changelog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;

/**
 * A finding a team accepts, written in the changelog next to the changeset it is about. One syntax in every format:
 *
 * <pre>migration-safety:ignore &lt;rule&gt;[,&lt;rule&gt;...] reason: &lt;why&gt;</pre>
 *
 * <p>in the changeset's comment (XML {@code <comment>}, YAML and JSON {@code comment:}, formatted SQL
 * {@code --comment:}), or on a {@code --} line of its SQL ({@code <sql>}, a formatted SQL changeset's body, a
 * Flyway migration). The reason runs to the end of the comment, or of the SQL line, or to the next marker. A marker
 * without a reason is a mistake the smoke refuses to run with.
 *
 * @param changeset the changeset's key, {@code path::id::author}, or a Flyway migration's
 *                  ({@code db/migration/V2__add_index.sql})
 * @param rule      the rule id it accepts, e.g. {@code smoke.impact.index-not-concurrent}; {@code *} matches any
 *                  characters ({@code smoke.impact.*})
 * @param reason    why, never blank
 * @param file      the changeset's or migration's file
 * @param line      the changeset's line, or the marker's in a migration, or 0
 */
public record SuppressionMarker(String changeset, String rule, String reason, String file, int line) {

    public static final String KEYWORD = "migration-safety:ignore";

    private static final String REASON = "reason:";

    /** The SQL comment form: a marker on a {@code --} line, the reason running to the end of that line. */
    private static final Pattern SQL_COMMENT = Pattern.compile("--[ \\t]*(" + Pattern.quote(KEYWORD) + "[^\\n]*)");

    /**
     * Every marker of the changesets in {@code changeLog}.
     *
     * @throws ChangelogException for a marker without a rule or without a reason, naming the changeset and where
     */
    public static List<SuppressionMarker> read(DatabaseChangeLog changeLog, ChangesetLocator locator)
            throws ChangelogException {
        List<SuppressionMarker> markers = new ArrayList<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            List<String> texts = new ArrayList<>();
            if (changeSet.getComments() != null && changeSet.getComments().contains(KEYWORD)) {
                texts.add(changeSet.getComments());
            }
            for (Change change : changeSet.getChanges()) {
                String sql = sqlOf(change);
                if (sql != null && sql.contains(KEYWORD)) {
                    Matcher comment = SQL_COMMENT.matcher(sql);
                    while (comment.find()) {
                        texts.add(comment.group(1));
                    }
                }
            }
            if (texts.isEmpty()) {
                continue;
            }
            String key = ChangesetKey.of(changeSet);
            int line = locator.line(changeSet);
            for (String text : texts) {
                String[] segments = text.split(Pattern.quote(KEYWORD), -1);
                for (int i = 1; i < segments.length; i++) {
                    markers.addAll(parse("Changeset", key, changeSet.getFilePath(), line, segments[i]));
                }
            }
        }
        return markers;
    }

    /**
     * The markers on the {@code --} lines of a Flyway migration's SQL, each at its own line.
     *
     * @param key  the migration's key
     * @param file the migration's file, for the findings and messages
     * @param sql  the migration's SQL as written
     * @throws ChangelogException for a marker without a rule or without a reason, naming the migration and the line
     */
    public static List<SuppressionMarker> inMigration(String key, String file, String sql) throws ChangelogException {
        List<SuppressionMarker> markers = new ArrayList<>();
        if (sql == null || !sql.contains(KEYWORD)) {
            return markers;
        }
        String[] lines = sql.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher comment = SQL_COMMENT.matcher(lines[i]);
            while (comment.find()) {
                String[] segments = comment.group(1).split(Pattern.quote(KEYWORD), -1);
                for (int s = 1; s < segments.length; s++) {
                    markers.addAll(parse("Migration", key, file, i + 1, segments[s]));
                }
            }
        }
        return markers;
    }

    /** One marker: what follows the keyword, up to the next one. */
    private static List<SuppressionMarker> parse(String what, String key, String file, int line, String segment)
            throws ChangelogException {
        String where = file + (line > 0 ? ":" + line : "");
        int at = segment.toLowerCase(Locale.ROOT).indexOf(REASON);
        String rules = (at < 0 ? segment : segment.substring(0, at)).strip().replaceAll("\\s+", " ");
        String reason =
                at < 0 ? "" : segment.substring(at + REASON.length()).strip().replaceAll("\\s+", " ");
        if (rules.isEmpty()) {
            throw new ChangelogException(what + " " + key + " [" + where + "] has '" + KEYWORD + "' without a rule."
                    + " Name the rule the build log shows in brackets and say why: " + KEYWORD
                    + " smoke.impact.index-not-concurrent reason: the table has 200 rows");
        }
        if (reason.isEmpty()) {
            throw new ChangelogException(what + " " + key + " [" + where + "] suppresses " + rules
                    + " without a reason ('" + REASON + "' missing or empty). Say why the finding is accepted: "
                    + KEYWORD + " "
                    + rules.split(" ")[0] + " reason: <why>, e.g. reason: the table has 200 rows");
        }
        List<SuppressionMarker> markers = new ArrayList<>();
        for (String rule : rules.split("[,\\s]+")) {
            if (!rule.isBlank()) {
                markers.add(new SuppressionMarker(key, rule.strip(), reason, file, line));
            }
        }
        return markers;
    }

    /** The SQL a change runs as written, comments included: {@code <sql>}, {@code sqlFile}, a formatted SQL body. */
    private static String sqlOf(Change change) {
        if (!(change instanceof AbstractSQLChange sql)) {
            return null;
        }
        try {
            return sql.getSql();
        } catch (RuntimeException e) {
            return null; // a sqlFile that cannot be read is the update's error to report, not this one's
        }
    }
}
