package io.github.migrationsafety.rehearsal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import liquibase.ChecksumVersion;
import liquibase.Scope;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.CheckSum;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.database.Database;

/**
 * What the applied changesets' rebuild cannot make as production has it, because production's history and the
 * changelog tell different stories: an applied changeset edited since production ran it (the rebuild runs today's
 * text; production kept what the old text made), and a history row the changelog no longer has (nothing rebuilds
 * what it made). A drift on a table such a changeset names comes from that, not from a change by hand, and its
 * finding says so.
 *
 * @param gaps each such changeset, in production's order
 */
record HistoryGaps(List<Gap> gaps) {

    /**
     * One changeset or migration the rebuild cannot follow.
     *
     * @param key   its key, {@code file::id::author} or the migration's
     * @param cause the sentence that ends a drift finding it explains
     * @param hint  what to do about it
     * @param words the identifiers it names, lower-cased: its text now, and production's description of what ran
     * @param gone  whether it is no longer among the changesets or migrations at hand
     */
    record Gap(String key, String cause, String hint, Set<String> words, boolean gone) {

        /** An applied changeset or migration whose text is no longer what production ran ({@code before}). */
        static Gap edited(Terms terms, String key, String before, String now, Set<String> words) {
            return new Gap(
                    key,
                    "the applied " + terms.unit() + " " + key + " was edited since production ran it (checksum "
                            + before + " in production's history, " + now + " now), and the rebuild ran today's"
                            + " text",
                    "production keeps what the " + terms.unit() + " made when it ran: if today's text is what"
                            + " production should have, make the difference in a new " + terms.unit()
                            + "; if not, put the old text back",
                    words,
                    false);
        }

        /** A history row of production's that no changeset or migration at hand matches. */
        static Gap gone(Terms terms, String key, String description, Set<String> words) {
            return new Gap(
                    key,
                    "production's history lists " + key + " (\"" + description + "\"), which is no longer in "
                            + terms.source() + ", so nothing rebuilt what it made",
                    hintGone(terms),
                    words,
                    true);
        }

        private static String hintGone(Terms terms) {
            return "if production should keep what it made, restore the " + terms.unit()
                    + " (or record what it made in a new one); otherwise drop it from production";
        }

        boolean names(String table) {
            String bare = table.substring(table.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            return words.contains(bare);
        }
    }

    static final HistoryGaps NONE = new HistoryGaps(List.of());

    /**
     * The gaps between production's history rows {@code ran} and {@code changeLog} as parsed for the copy, whose
     * {@code database} the checksums are computed for: a version-9 checksum leaves out the changes of a changeset
     * that target another database ({@code dbms}), as Liquibase's own update computes it.
     */
    static HistoryGaps of(DatabaseChangeLog changeLog, List<RanChangeSet> ran, Database database) throws Exception {
        if (changeLog == null) {
            return NONE;
        }
        return Scope.child(Map.of(Scope.Attr.database.name(), database), () -> of(changeLog, ran));
    }

    private static HistoryGaps of(DatabaseChangeLog changeLog, List<RanChangeSet> ran) {
        List<Gap> gaps = new ArrayList<>();
        for (RanChangeSet row : ran) {
            if (!ChangelogOnCopy.executed(row)) {
                continue; // nothing of it ran in production, so nothing of it is there
            }
            ChangeSet changeSet = ChangelogOnCopy.changeSetOf(changeLog, row);
            String key = row.getChangeLog() + "::" + row.getId() + "::" + row.getAuthor();
            Set<String> words = new LinkedHashSet<>(words(row.getDescription()));
            if (changeSet == null) {
                gaps.add(Gap.gone(Terms.LIQUIBASE, key, row.getDescription(), words));
                continue;
            }
            CheckSum last = row.getLastCheckSum();
            CheckSum now = last == null ? null : now(changeSet, last);
            if (now != null && !now.equals(last)) {
                words.addAll(words(changeSet));
                gaps.add(Gap.edited(Terms.LIQUIBASE, key, last.toString(), now.toString(), words));
            }
        }
        return new HistoryGaps(List.copyOf(gaps));
    }

    /** The gaps another tool (Flyway) reports between production's history and its migrations at hand. */
    static HistoryGaps of(List<MigrationTool.AppliedGap> applied) {
        List<Gap> gaps = new ArrayList<>();
        for (MigrationTool.AppliedGap gap : applied) {
            Set<String> words = new LinkedHashSet<>(words(gap.description()));
            words.addAll(words(gap.text()));
            gaps.add(
                    gap.checksumNow() == null
                            ? Gap.gone(Terms.MIGRATIONS, gap.key(), gap.description(), words)
                            : Gap.edited(Terms.MIGRATIONS, gap.key(), gap.checksumThen(), gap.checksumNow(), words));
        }
        return new HistoryGaps(List.copyOf(gaps));
    }

    /**
     * The gap that explains {@code drift}: the one that names its table; else, for an object only production has, the
     * history rows no longer at hand whose text is not known (a description such as {@code sql}, a Flyway migration's
     * name), which may have made it; or {@code null}.
     */
    Gap explaining(Drift drift, Terms terms) {
        Gap named =
                gaps.stream().filter(g -> g.names(drift.table())).findFirst().orElse(null);
        if (named != null || !drift.expected().equals(Drift.MISSING)) {
            return named;
        }
        List<String> gone = gaps.stream().filter(Gap::gone).map(Gap::key).toList();
        if (gone.isEmpty()) {
            return null;
        }
        return new Gap(
                String.join(", ", gone),
                "production's history lists " + String.join(", ", gone) + ", no longer in " + terms.source()
                        + ", which may have made it",
                Gap.hintGone(terms),
                Set.of(),
                true);
    }

    /**
     * The checksum of today's text in the version production's row was written with; {@code null} if unknown. Called
     * after Liquibase's validation of the update, which left in each changeset the checksum it computed, in the
     * latest version (a changeset keeps the first it computes): for a row of that version, that one, as Liquibase
     * compared it. A row of an earlier version (an {@code 8:} row of Liquibase before 4.24) is checked against the
     * checksum of its version, computed afresh and cleared again after.
     */
    private static CheckSum now(ChangeSet changeSet, CheckSum last) {
        try {
            if (last.getVersion() == ChecksumVersion.latest().getVersion()) {
                return changeSet.generateCheckSum(ChecksumVersion.latest());
            }
            changeSet.clearCheckSum();
            try {
                return changeSet.generateCheckSum(ChecksumVersion.enumFromChecksumVersion(last.getVersion()));
            } finally {
                changeSet.clearCheckSum();
            }
        } catch (RuntimeException e) {
            return null; // a version this Liquibase cannot compute: Liquibase's own validation speaks for it
        }
    }

    /** Every identifier the changeset's changes name: their parameters' values, their SQL's words. */
    private static Set<String> words(ChangeSet changeSet) {
        ChangeFactory factory = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
        Set<String> words = new LinkedHashSet<>();
        for (Change change : changeSet.getChanges()) {
            for (Map.Entry<String, Object> parameter :
                    factory.getParameters(change).entrySet()) {
                if (parameter.getValue() instanceof String value) {
                    words.addAll(words(value));
                }
            }
            if (change instanceof AbstractSQLChange sql) {
                words.addAll(words(sql.getSql()));
            }
        }
        return words;
    }

    /** The identifiers in {@code text}, lower-cased: a description, a file name, SQL. */
    static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_$]+"))
                .filter(w -> !w.isEmpty())
                .toList();
    }
}
