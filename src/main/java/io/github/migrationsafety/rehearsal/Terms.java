package io.github.migrationsafety.rehearsal;

/**
 * How the rehearsal's messages name what a tool runs: Liquibase's changesets in a changelog, Flyway's migrations. A
 * Flyway user told that "no applied changeset makes" an index would look for a file that does not exist.
 *
 * @param unit   one of what the tool runs ({@code changeset}, {@code migration})
 * @param source where they are written ({@code the changelog}, {@code the migrations})
 * @param makes  the same with its verb ({@code the changelog makes}, {@code the migrations make})
 * @param record where a hand-made change is recorded ({@code in a changeset}, {@code in a new versioned migration})
 */
record Terms(String unit, String source, String makes, String record) {

    static final Terms LIQUIBASE = new Terms("changeset", "the changelog", "the changelog makes", "in a changeset");

    static final Terms MIGRATIONS =
            new Terms("migration", "the migrations", "the migrations make", "in a new versioned migration");

    /** Liquibase's terms for {@code Liquibase}, migrations for every other tool. */
    static Terms of(String tool) {
        return "Liquibase".equals(tool) ? LIQUIBASE : MIGRATIONS;
    }

    /** {@code changesets}, {@code migrations}. */
    String units() {
        return unit + "s";
    }

    /** {@code 1 applied migration}, {@code 3 applied migrations}: {@code n}, the adjective, the unit or units. */
    String count(long n, String adjective) {
        return n + " " + adjective + " " + (n == 1 ? unit : units());
    }
}
