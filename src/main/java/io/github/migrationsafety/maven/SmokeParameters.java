package io.github.migrationsafety.maven;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.report.Severity;
import io.github.migrationsafety.smoke.Expectation;
import io.github.migrationsafety.smoke.ImpactSettings;
import io.github.migrationsafety.smoke.SeedData;
import io.github.migrationsafety.smoke.SmokeException;
import io.github.migrationsafety.smoke.SuppressionRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The {@code smoke} parameters that need more than a copy to become the engine's configuration, each read once here
 * with the message that names the parameter, the value and the fix. The declarations stay on {@link SmokeMojo}:
 * Maven binds a POM's top-level elements only to the mojo's own fields.
 */
final class SmokeParameters {

    private SmokeParameters() {}

    /** The POM's {@code <suppressions>}: each entry needs a changeset, a rule and a reason. */
    static List<SuppressionRule> suppressionRules(List<SuppressionParameter> suppressions)
            throws MojoExecutionException {
        List<SuppressionRule> rules = new ArrayList<>();
        for (int i = 0; i < suppressions.size(); i++) {
            SuppressionParameter entry = suppressions.get(i);
            String changeset = blankToNull(entry.getChangeset());
            String rule = blankToNull(entry.getRule());
            String reason = blankToNull(entry.getReason());
            String missing =
                    changeset == null ? "<changeset>" : rule == null ? "<rule>" : reason == null ? "<reason>" : null;
            if (missing != null) {
                throw new MojoExecutionException("Parameter 'suppressions': entry " + (i + 1) + " (changeset "
                        + (changeset == null ? "not given" : changeset) + ", rule "
                        + (rule == null ? "not given" : rule)
                        + ") has no " + missing + ". Every suppression names the changeset, the rule and why the"
                        + " finding is accepted, e.g. <suppression><changeset>add-stage-index</changeset>"
                        + "<rule>smoke.impact.index-not-concurrent</rule><reason>model_stage has 200 rows</reason>"
                        + "</suppression>.");
            }
            rules.add(new SuppressionRule(changeset, rule, reason));
        }
        return rules;
    }

    /** The POM's {@code <productionRows>}, table to row count ({@code 5_000_000} allowed). */
    static Map<String, Long> productionRows(Map<String, String> productionRows) throws MojoExecutionException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : productionRows.entrySet()) {
            try {
                rows.put(entry.getKey(), Long.parseLong(entry.getValue().strip().replace("_", "")));
            } catch (NumberFormatException e) {
                throw new MojoExecutionException("Parameter 'productionRows': '" + entry.getValue() + "' for table "
                        + entry.getKey() + " is not a row count. Use e.g. <" + entry.getKey() + ">5000000</"
                        + entry.getKey() + ">.");
            }
        }
        return rows;
    }

    /** The production-impact settings, with {@code impactSampleRows} read as two row counts, smaller first. */
    static ImpactSettings impactSettings(
            boolean impact,
            Map<String, Long> rows,
            String impactSampleRows,
            Double maxBlockingSeconds,
            ConnectionSettings production)
            throws MojoExecutionException {
        String[] sizes = impactSampleRows.split(",");
        try {
            return new ImpactSettings(
                    impact,
                    rows,
                    Long.parseLong(sizes[0].strip()),
                    Long.parseLong(sizes[sizes.length - 1].strip()),
                    maxBlockingSeconds,
                    production);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("Parameter 'impactSampleRows': '" + impactSampleRows + "' is not two row"
                    + " counts, smaller first. Use e.g. 50000,200000.");
        }
    }

    /** The POM's {@code <expectations>}, each parsed by {@link Expectation#parse}. */
    static List<Expectation> expectations(List<String> expectations) throws SmokeException {
        List<Expectation> parsed = new ArrayList<>();
        for (String expectation : expectations) {
            parsed.add(Expectation.parse(expectation));
        }
        return parsed;
    }

    /** The POM's {@code <seedData>}: every seed needs a table and a file. */
    static List<SeedData> seeds(List<SeedDataParameter> seedData) throws MojoExecutionException {
        List<SeedData> seeds = new ArrayList<>();
        for (SeedDataParameter seed : seedData) {
            if (seed.getTable() == null || seed.getFile() == null) {
                throw new MojoExecutionException(
                        "Parameter 'seedData': every <seed> needs a <table> and a <file>. Add"
                                + " both, e.g. <seed><table>model_metadata</table><file>src/test/resources/seed.csv</file></seed>.");
            }
            seeds.add(new SeedData(seed.getTable(), seed.getFile().toPath(), blankToNull(seed.getAfterChangeset())));
        }
        return seeds;
    }

    /** {@code failOn}: error, warning or info, in any case. */
    static Severity severity(String value) throws MojoExecutionException {
        try {
            return Severity.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MojoExecutionException(
                    "Parameter 'failOn': unknown severity '" + value + "'. Use error, warning or info.");
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
