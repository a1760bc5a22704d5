package io.github.migrationsafety.report;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sidecars' section: each artifact with each check (sidecar, checksum, signature) as a word, the orphan
 * sidecars, and the reconciliation against the database's list of models.
 */
final class SidecarsSection {

    private SidecarsSection() {}

    static void write(Html out, Map<String, Object> report) {
        Map<String, Object> summary = Json.object(report, "summary");
        GoalSection.figures(out, summary, Set.of());
        List<Map<String, Object>> findings = GoalSection.findingsOf(report);
        artifacts(out, report, summary, findings);
        GoalSection.findings(out, withRule(findings, "sidecars.orphan-sidecar"), "Orphan sidecars: no artifact");
        List<Map<String, Object>> reconcile = withRule(findings, "sidecars.reconcile-");
        if (summary.containsKey("databaseModels")) {
            out.open("p")
                    .text("Reconciliation: " + summary.get("databaseModels")
                            + " model(s) listed by the database query, "
                            + (reconcile.isEmpty()
                                    ? "each with its artifact and sidecar, each sidecar with its row."
                                    : reconcile.size() + " problem(s):"))
                    .close("p");
            GoalSection.findings(out, reconcile, "Reconciliation with the database");
        } else {
            out.element("p", "Reconciliation: not configured (parameter reconcile).");
        }
        GoalSection.findings(
                out,
                findings.stream()
                        .filter(f -> !Json.text(f, "rule", "").startsWith("sidecars.orphan-sidecar")
                                && !Json.text(f, "rule", "").startsWith("sidecars.reconcile-"))
                        .toList(),
                "All findings about artifacts and sidecars");
    }

    private static void artifacts(
            Html out, Map<String, Object> report, Map<String, Object> summary, List<Map<String, Object>> findings) {
        Set<String> sampled = new LinkedHashSet<>();
        Json.array(summary, "sampledArtifacts").forEach(a -> sampled.add(String.valueOf(a)));
        boolean signing = GoalSection.number(summary, "signaturesVerified") > 0
                || findings.stream().anyMatch(f -> Json.text(f, "rule", "").startsWith("sidecars.signature-"));
        HtmlTable table = new HtmlTable(
                        "Artifacts and their checks", "artifact", "sidecar", "checksum", "signature", "result", "time")
                .rowHeaders();
        for (Map<String, Object> check : GoalSection.objects(Json.array(report, "checks"))) {
            String artifact = Json.text(check, "name", "");
            List<Map<String, Object>> about = findings.stream()
                    .filter(f -> artifact.equals(Json.text(f, "subject", "")))
                    .toList();
            String signature = !signing
                    ? "not checked"
                    : !sampled.isEmpty() && !sampled.contains(artifact) ? "not checked" : "verified";
            table.row(
                    HtmlTable.code(artifact),
                    verdict(about, "sidecar", "ok"),
                    verdict(about, "checksum", "ok"),
                    verdict(about, "signature", signature),
                    HtmlTable.status(Json.text(check, "outcome", "")),
                    HtmlTable.text(HtmlTable.duration(GoalSection.number(check, "timeMillis"))));
        }
        if (!table.isEmpty()) {
            table.withClass("artifacts").write(out);
        }
    }

    /** One check's column: failed with the findings' messages, or {@code otherwise}. */
    private static HtmlTable.Cell verdict(List<Map<String, Object>> about, String column, String otherwise) {
        List<Map<String, Object>> mine = about.stream()
                .filter(f -> column(Json.text(f, "rule", "")).equals(column))
                .toList();
        return out -> {
            if (mine.isEmpty()) {
                HtmlTable.badge(out, otherwise);
                return;
            }
            HtmlTable.badge(out, "failed");
            for (Map<String, Object> finding : mine) {
                out.open("div", "class", "finding").text(GoalSection.message(finding));
                String hint = Json.text(finding, "hint", null);
                if (hint != null) {
                    out.open("div", "class", "fix")
                            .element("strong", "Fix: ")
                            .text(hint)
                            .close("div");
                }
                out.close("div");
            }
        };
    }

    /** Which column a finding belongs to: the checksum, the signature, or else the sidecar itself. */
    private static String column(String rule) {
        if (rule.startsWith("sidecars.checksum")) {
            return "checksum";
        }
        if (rule.startsWith("sidecars.signature")) {
            return "signature";
        }
        return "sidecar";
    }

    private static List<Map<String, Object>> withRule(List<Map<String, Object>> findings, String prefix) {
        return findings.stream()
                .filter(f -> Json.text(f, "rule", "").startsWith(prefix))
                .toList();
    }
}
