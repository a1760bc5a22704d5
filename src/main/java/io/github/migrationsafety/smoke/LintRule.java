package io.github.migrationsafety.smoke;

import io.github.migrationsafety.report.Finding;
import java.util.List;

/**
 * One lint rule: it judges the parsed changelog before anything runs. Adding one is a class, its entry in
 * {@link ChangelogLinter#RULES}, a test in {@code ChangelogLinterTest} and a row in {@code docs/goals/smoke.md}.
 */
interface LintRule {

    /** The stable id, {@code smoke.lint.<name>}. */
    String id();

    /** The findings, each pointing at its changeset's file and line. */
    List<Finding> judge(LintContext context);
}
