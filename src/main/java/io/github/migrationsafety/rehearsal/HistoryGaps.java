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
     * One changeset the rebuild cannot follow.
     *
     * @param changeset its key, {@code file::id::author}
     * @param cause     the sentence that ends a drift finding it explains
     * @param hint      what to do about it
     * @param words     the identifiers it names, lower-cased: its changes' parameters and SQL now, and production's
     *                  description of what ran
     */
    record Gap(String changeset, String cause, String hint, Set<String> words) {

        boolean names(String table) {
            String bare = table.substring(table.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            return words.contains(bare);
        }
    }

    static final HistoryGaps NONE = new HistoryGaps(List.of());

    /** The gaps between production's history rows {@code ran} and {@code changeLog} as parsed for the copy. */
    static HistoryGaps of(DatabaseChangeLog changeLog, List<RanChangeSet> ran) {
        if (changeLog == null) {
            return NONE;
        }
        List<Gap> gaps = new ArrayList<>();
        for (RanChangeSet row : ran) {
            if (row.getExecType() == ChangeSet.ExecType.MARK_RAN || row.getExecType() == ChangeSet.ExecType.SKIPPED) {
                continue; // nothing of it ran in production, so nothing of it is there
            }
            ChangeSet changeSet = changeLog.getChangeSets().stream()
                    .filter(row::isSameAs)
                    .findFirst()
                    .orElse(null);
            String key = row.getChangeLog() + "::" + row.getId() + "::" + row.getAuthor();
            Set<String> words = new LinkedHashSet<>(words(row.getDescription()));
            if (changeSet == null) {
                gaps.add(new Gap(
                        key,
                        "production's history lists " + key + " (\"" + row.getDescription() + "\"), which the"
                                + " changelog no longer has, so nothing rebuilt what it made",
                        "if production should keep it, put the changeset back in the changelog (or record what it"
                                + " made in a new one); otherwise drop it from production",
                        words));
                continue;
            }
            CheckSum last = row.getLastCheckSum();
            CheckSum now = last == null ? null : now(changeSet, last);
            if (now != null && !now.equals(last)) {
                words.addAll(words(changeSet));
                gaps.add(new Gap(
                        key,
                        "the applied changeset " + key + " was edited since production ran it (checksum " + last
                                + " in production's history, " + now + " now), and the rebuild ran today's text",
                        "production keeps what the changeset made when it ran: if today's text is what production"
                                + " should have, make the difference in a new changeset; if not, put the old text back",
                        words));
            }
        }
        return new HistoryGaps(List.copyOf(gaps));
    }

    /** The gap that explains a drift on {@code table}, or {@code null}. */
    Gap explaining(String table) {
        return gaps.stream().filter(g -> g.names(table)).findFirst().orElse(null);
    }

    /** The checksum of today's text in the version production's row was written with; {@code null} if unknown. */
    private static CheckSum now(ChangeSet changeSet, CheckSum last) {
        try {
            return changeSet.generateCheckSum(ChecksumVersion.enumFromChecksumVersion(last.getVersion()));
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

    private static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_$]+"))
                .filter(w -> !w.isEmpty())
                .toList();
    }
}
