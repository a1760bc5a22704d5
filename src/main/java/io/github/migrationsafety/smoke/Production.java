package io.github.migrationsafety.smoke;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the smoke knows of production when it judges the impact: which changesets are pending there, which tables
 * exist there, and how many rows they hold.
 *
 * @param live    what was read from the production database at {@code url}, or {@code null} without one
 * @param pending keys ({@code path::id::author}) of the changesets an update of production would run;
 *                {@code null} when unknown (every changeset counts as pending)
 * @param tables  the tables (lower case) that exist in production; {@code null} when unknown (then every table an
 *                earlier changeset created counts)
 * @param rows    production row counts (lower-case table to rows): {@code productionRows}, over the statistics
 * @param released without {@code url} and {@code productionRows}: the changesets the project declares released
 *                 ({@code releasedChecksums}, or up to its last {@code tagDatabase}), which production has run and
 *                 the rules do not judge; the tables that exist after them are production's. {@code null} when
 *                 there is no such boundary
 * @param boundary what told the smoke what production is, for the report: {@code url}, {@code productionRows},
 *                 {@code releasedChecksums}, {@code tagDatabase <changeset>} or {@code none}
 */
record Production(
        LiveProduction live,
        Set<String> pending,
        Set<String> tables,
        Map<String, Long> rows,
        Set<String> released,
        String boundary) {

    static final String NO_BOUNDARY = "none";

    /** Without a production database: the tables and sizes given in {@code productionRows}, every changeset pending. */
    static Production of(ImpactSettings settings) {
        return new Production(
                null,
                null,
                settings.rows().isEmpty() ? null : Set.copyOf(settings.rows().keySet()),
                settings.rows(),
                null,
                settings.rows().isEmpty() ? NO_BOUNDARY : "productionRows");
    }

    /**
     * Without a production database or sizes, but with a release boundary: the {@code released} changesets ran in
     * production, the rest are pending.
     */
    static Production released(ImpactSettings settings, Set<String> released, String boundary) {
        return new Production(null, null, null, settings.rows(), Set.copyOf(released), boundary);
    }

    /** Whether the rules have nothing that says what production is: then they judge every table that existed. */
    boolean unknown() {
        return NO_BOUNDARY.equals(boundary);
    }

    /**
     * From the production database: its tables, and their sizes from its statistics where {@code productionRows}
     * does not give them; an empty table is not estimated.
     */
    static Production of(ImpactSettings settings, LiveProduction live, Set<String> pending) {
        Set<String> tables = new HashSet<>(live.sizes().keySet());
        tables.addAll(settings.rows().keySet());
        Map<String, Long> rows = new LinkedHashMap<>();
        live.sizes().forEach((table, size) -> {
            if (size.rows() > 0) {
                rows.put(table, size.rows());
            }
        });
        rows.putAll(settings.rows());
        return new Production(
                live, pending == null ? null : Set.copyOf(pending), Set.copyOf(tables), rows, null, "url");
    }

    boolean pending(String changeset) {
        if (pending != null) {
            return pending.contains(changeset);
        }
        return released == null || !released.contains(changeset);
    }

    /** The lock_timeout production applies to its sessions ({@code 0}: none), or {@code null} when not read. */
    String lockTimeout() {
        return live == null ? null : live.lockTimeout();
    }

    /** The production row count of {@code table}, or {@code null} when not known. */
    Long rowsOf(String table) {
        return rows.get(table.toLowerCase(Locale.ROOT));
    }

    /** Where {@code table}'s row count came from: {@code productionRows}, a statistic, or {@code null}. */
    String sourceOf(String table, ImpactSettings settings) {
        String name = table.toLowerCase(Locale.ROOT);
        if (settings.rows().containsKey(name)) {
            return "productionRows";
        }
        TableSize size = live == null ? null : live.sizes().get(name);
        return size == null ? null : size.source();
    }

    /** The sizes of the {@code touched} tables that have one, for the log and the report, in the order given. */
    List<Map<String, Object>> sizesOf(List<String> touched, ImpactSettings settings) {
        List<Map<String, Object>> sizes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String table : touched) {
            String name = table.toLowerCase(Locale.ROOT);
            boolean stated = live != null && live.sizes().containsKey(name);
            if (seen.add(name) && (rowsOf(name) != null || stated)) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("table", table);
                entry.put("rows", rowsOf(name) == null ? 0L : rowsOf(name));
                entry.put("source", sourceOf(name, settings));
                sizes.add(entry);
            }
        }
        return sizes;
    }
}
