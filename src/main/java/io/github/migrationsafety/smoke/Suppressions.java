package io.github.migrationsafety.smoke;

import io.github.migrationsafety.changelog.SuppressionMarker;
import io.github.migrationsafety.report.Finding;
import io.github.migrationsafety.report.Suppression;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The suppressions of one smoke run, from the changelog's markers and the POM's {@code suppressions}: which findings
 * they accept, and which of them accepted nothing (stale, reported so they get cleaned up).
 */
public final class Suppressions {

    /** The warning for a suppression that matched no finding. */
    public static final String UNUSED = "smoke.suppression.unused";

    private static final String IMPACT = "smoke.impact.";

    /**
     * @param changesets matches a finding's subject (a changeset key)
     * @param rules      matches a finding's rule
     * @param why        the reason and where it is written
     * @param changeset  the changeset key (a marker) or the pattern as written (the POM)
     * @param rule       the rule as written
     * @param file       where the suppression is, for the unused warning: a changelog file, or {@code null}
     * @param line       its line, or 0
     */
    private record Entry(
            Predicate<String> changesets,
            Pattern rules,
            Suppression why,
            String changeset,
            String rule,
            String file,
            int line,
            boolean[] used) {}

    private final List<Entry> entries = new ArrayList<>();

    public Suppressions(List<SuppressionMarker> markers, List<SuppressionRule> pom) {
        for (SuppressionMarker marker : markers) {
            String where = marker.file() + (marker.line() > 0 ? ":" + marker.line() : "");
            entries.add(new Entry(
                    marker.changeset()::equals,
                    glob(marker.rule()),
                    new Suppression(marker.reason(), where, true),
                    marker.changeset(),
                    marker.rule(),
                    marker.file(),
                    marker.line(),
                    new boolean[1]));
        }
        for (int i = 0; i < pom.size(); i++) {
            SuppressionRule rule = pom.get(i);
            String pattern = rule.changeset().strip();
            Pattern changesets = glob(pattern);
            // a Flyway migration's key (db/migration/V2__add_index.sql) is matched whole or by its file name
            Predicate<String> matches = pattern.contains("::")
                    ? key -> changesets.matcher(key).matches()
                    : key -> changesets.matcher(idOf(key)).matches()
                            || !key.contains("::")
                                    && changesets
                                            .matcher(key.substring(key.lastIndexOf('/') + 1))
                                            .matches();
            entries.add(new Entry(
                    matches,
                    glob(rule.rule().strip()),
                    new Suppression(rule.reason().strip(), "POM <suppressions> entry " + (i + 1), false),
                    pattern,
                    rule.rule().strip(),
                    null,
                    0,
                    new boolean[1]));
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The finding, suppressed by the first entry that matches its changeset and rule; as it was otherwise. */
    public Finding apply(Finding finding) {
        if (finding.isSuppressed() || finding.rule().equals(UNUSED)) {
            return finding;
        }
        for (Entry entry : entries) {
            if (entry.rules().matcher(finding.rule()).matches()
                    && entry.changesets().test(finding.subject())) {
                entry.used()[0] = true;
                return finding.suppressed(entry.why());
            }
        }
        return finding;
    }

    /**
     * A warning for each entry that suppressed nothing, among those that could have: an entry for an impact rule
     * when the trace did not run, or for a changeset production does not run, is not judged.
     *
     * @param traced  whether the production-impact trace ran
     * @param judged  whether the impact rules judged a changeset (a key): pending in production
     */
    public List<Finding> unused(boolean traced, Predicate<String> judged) {
        List<Finding> findings = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.used()[0]) {
                continue;
            }
            boolean impactOnly = entry.rule().startsWith(IMPACT);
            if (impactOnly && (!traced || entry.file() != null && !judged.test(entry.changeset()))) {
                continue;
            }
            Finding finding = Finding.warning(
                            UNUSED,
                            entry.changeset(),
                            "suppresses " + entry.rule() + " (reason: "
                                    + entry.why().reason() + "), but no finding"
                                    + " of that rule " + (entry.file() == null ? "on a changeset it names" : "on it")
                                    + " remains")
                    .withHint(
                            entry.file() == null
                                    ? "remove entry "
                                            + entry.why().where().substring("POM <suppressions> entry ".length())
                                            + " from <suppressions>, or correct its <changeset> or <rule>"
                                    : "remove '" + SuppressionMarker.KEYWORD + " " + entry.rule()
                                            + " reason: ...' from the "
                                            + (entry.changeset().contains("::") ? "changeset" : "migration")
                                            + ", or correct the rule id");
            findings.add(entry.file() == null ? finding : finding.at(entry.file(), entry.line()));
        }
        return findings;
    }

    /** {@code path::id::author} to {@code id}. */
    private static String idOf(String key) {
        int first = key.indexOf("::");
        int last = key.lastIndexOf("::");
        return first < 0 || last <= first ? key : key.substring(first + 2, last);
    }

    /** {@code *} any characters, everything else literal. */
    private static Pattern glob(String pattern) {
        return Pattern.compile(
                Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
    }
}
