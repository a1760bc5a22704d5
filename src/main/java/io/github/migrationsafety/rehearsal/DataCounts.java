package io.github.migrationsafety.rehearsal;

import io.github.migrationsafety.changelog.LiquibaseMessages;
import io.github.migrationsafety.db.Databases;
import io.github.migrationsafety.report.Check;
import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.report.Finding;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import liquibase.change.Change;
import liquibase.change.core.AddNotNullConstraintChange;
import liquibase.changelog.ChangeSet;

/**
 * The production rows that would break what each pending changeset adds to an existing table, counted with
 * {@link DataCheck}: a {@link RehearsalEngine#DATA} error per effect that rows break, a warning per effect not counted.
 *
 * <p>The counts run in the background ({@link #start}) while the rest of the rehearsal goes on, side by side on up to
 * {@link #CONNECTIONS} connections to production that all read the rehearsal's snapshot, read only, under the same
 * timeouts: the production session's own and others that import its snapshot. The effects on one table that a scan
 * alone decides (NULLs, checks, casts, orphans against a referenced table PostgreSQL hashes) are counted in one scan
 * of it; a unique key's duplicates, which sort the table's keys, in a query of their own, started first, or for a
 * large table in two queries side by side ({@link DuplicateCount}).
 */
final class DataCounts {

    /** The most connections to production that count at the same time (the production session's included). */
    static final int CONNECTIONS = 3;

    private final RehearsalConfig config;
    private final EngineLog log;
    private final RehearsalFindings results;
    private final Terms terms;
    private final double splitRows;

    DataCounts(RehearsalConfig config, EngineLog log, RehearsalFindings results, Terms terms) {
        this(config, log, results, terms, DuplicateCount.SPLIT_ROWS);
    }

    /** @param splitRows from how many rows on a unique key's duplicates are counted in parts ({@link DuplicateCount}) */
    DataCounts(RehearsalConfig config, EngineLog log, RehearsalFindings results, Terms terms, double splitRows) {
        this.config = config;
        this.log = log;
        this.results = results;
        this.terms = terms;
        this.splitRows = splitRows;
    }

    /** One effect to count: what a pending changeset added. */
    private record Item(ChangelogOnCopy.Outcome outcome, Effect effect) {}

    /**
     * Starts counting in the background. Until {@link Running#report()} or {@link Running#close()}, the production
     * session's connection belongs to the counts.
     */
    Running start(ProductionSession production, Catalog catalog, ChangelogOnCopy.Update update) {
        return start(production, catalog, update, Map.of());
    }

    /**
     * @param sql each pending change's SQL by its key, as the smoke's report holds it: a change that writes a table's
     *            rows before a constraint is added to it makes production's current rows not the ones it meets
     */
    Running start(
            ProductionSession production, Catalog catalog, ChangelogOnCopy.Update update, Map<String, String> sql) {
        List<Item> items = new ArrayList<>();
        for (ChangelogOnCopy.Outcome outcome : update.pending()) {
            for (Effect effect : outcome.effects()) {
                if (!filledByDefault(outcome.changeSet(), effect)) {
                    items.add(new Item(outcome, effect));
                }
            }
        }
        // each change's SQL as the writes are looked for in it: once, not once per effect
        Map<String, String> searched = new HashMap<>();
        sql.forEach((key, text) -> searched.put(key, withoutComments(text).toLowerCase(Locale.ROOT)));
        Object[] counted = new Object[items.size()];
        List<Integer> countable = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String reason = notCountable(update, items.get(i), searched, catalog);
            if (reason == null) {
                countable.add(i);
            } else {
                counted[i] = new NotCountable(reason);
            }
        }
        SnapshotReads own = production.reads();
        List<CountJob> jobs = CountJob.plan(
                        countable.stream().map(i -> items.get(i).effect()).toList(), check(own, production, catalog))
                .stream()
                .map(job -> new CountJob(
                        job.items().stream().map(countable::get).toList(), job.scan(), job.duplicates(), job.part()))
                .toList();
        for (CountJob job : jobs) {
            if (job.duplicates() != null && job.part() == 0 && job.duplicates().parts() > 1) {
                log.debug("Rehearsal: data: the duplicates under "
                        + job.duplicates().unique().describe() + " counted"
                        + " in " + job.duplicates().parts() + " parts side by side ("
                        + (long) job.duplicates().rows()
                        + " rows by production's statistics)");
            }
        }
        List<SnapshotReads> lanes = new ArrayList<>(List.of(own));
        while (lanes.size() < Math.min(CONNECTIONS, jobs.size())) {
            try {
                lanes.add(production.openReads());
            } catch (SQLException e) { // e.g. max_connections reached: fewer counts side by side, the same figures
                log.debug(
                        "Rehearsal: data: counting on " + lanes.size() + " connection" + (lanes.size() == 1 ? "" : "s")
                                + " to production: another one did not open: "
                                + Databases.scrub(config.production(), String.valueOf(e.getMessage())));
                break;
            }
        }
        return new Running(production, catalog, items, counted, jobs, lanes);
    }

    /**
     * An effect on columns that production's table does not have yet: pending changesets add them, so production has
     * no values in them to count (Liquibase's own update fills them, from their default or the changesets' SQL).
     */
    private record NotCountable(String reason) {}

    /** Why {@code item} cannot be counted on production's rows before any count runs, or {@code null}. */
    private String notCountable(
            ChangelogOnCopy.Update update, Item item, Map<String, String> searched, Catalog catalog) {
        if (item.effect() instanceof Effect.Exclusion x && x.operators().isEmpty()) {
            return "an exclusion constraint on expressions is not counted; run the migration's SQL against a copy of"
                    + " production to see whether rows conflict";
        }
        List<String> missing = newColumns(catalog, item.effect());
        if (!missing.isEmpty()) {
            return newColumnsReason(missing);
        }
        String writer = writtenBefore(update, item, searched, catalog);
        return writer == null
                ? null
                : "the pending " + terms.unit() + " " + writer + " changes rows of "
                        + item.effect().table() + " before it; production's current rows are not the ones it meets";
    }

    private String newColumnsReason(List<String> columns) {
        return "column" + (columns.size() == 1 ? " " : "s ") + String.join(", ", columns)
                + (columns.size() == 1 ? " is" : " are") + " added by the pending " + terms.units()
                + "; production has no values in " + (columns.size() == 1 ? "it" : "them") + " yet";
    }

    /**
     * The first pending change, up to and including the one that made {@code item}'s effect, whose SQL changes rows
     * the effect's table has ({@code UPDATE}, {@code DELETE FROM}, {@code MERGE INTO}, {@code TRUNCATE}): the
     * backfill before a {@code NOT NULL}, the clean-up before a unique key. The constraint then meets rows production
     * does not have yet, and counting today's would report rows that the migration fixes first. Not an
     * {@code INSERT} or {@code COPY}: new rows leave today's as they are, so their count still stands (as a lower
     * bound). {@code null} when none does, as far as their SQL shows (a function that writes does not).
     *
     * @param sql each change's SQL by its key, lower case and without comments
     */
    private static String writtenBefore(
            ChangelogOnCopy.Update update, Item item, Map<String, String> sql, Catalog catalog) {
        Catalog.Relation relation = catalog.relations().get(item.effect().table());
        String name = relation == null ? item.effect().table() : relation.name();
        String schema = relation == null ? catalog.schema() : relation.schema();
        Pattern writes =
                Pattern.compile("\\b(?:update|delete\\s+from|merge\\s+into|truncate(?:\\s+table)?)\\s+(?:only\\s+)?"
                        + "(?:\"?" + Pattern.quote(schema.toLowerCase(Locale.ROOT)) + "\"?\\.)?\"?"
                        + Pattern.quote(name.toLowerCase(Locale.ROOT)) + "\"?(?![\\w\".])");
        for (ChangelogOnCopy.Outcome outcome : update.pending()) {
            String text = sql.get(outcome.key());
            if (text != null && writes.matcher(text).find()) {
                return outcome.key();
            }
            if (outcome == item.outcome()) {
                return null;
            }
        }
        return null;
    }

    /** SQL without its {@code --} line and block comments (a comment that names a table writes nothing). */
    private static String withoutComments(String sql) {
        return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ");
    }

    /** The columns {@code effect} reads that production's tables (the copy before the update) do not have. */
    private static List<String> newColumns(Catalog production, Effect effect) {
        Catalog.Table table = production.tables().get(effect.table());
        List<String> read = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (effect instanceof Effect.NotNull notNull) {
            read.add(notNull.column());
        } else if (effect instanceof Effect.TypeChange change) {
            read.add(change.column());
        } else if (effect instanceof Effect.Unique unique) {
            read.addAll(unique.plainColumns());
        } else if (effect instanceof Effect.Exclusion exclusion) {
            read.addAll(exclusion.columns());
        } else if (effect instanceof Effect.ForeignKey key) {
            read.addAll(key.columns());
            Catalog.Table referenced = production.tables().get(key.refTable());
            if (referenced != null) { // a new referenced table: every non-NULL key is an orphan, counted as such
                key.refColumns().stream()
                        .filter(column -> !referenced.columns().containsKey(column))
                        .map(column -> key.refTable() + "." + column)
                        .forEach(missing::add);
            }
        }
        if (table != null) {
            read.stream()
                    .filter(column -> !table.columns().containsKey(column))
                    .map(column -> effect.table() + "." + column)
                    .forEach(missing::add);
        }
        return missing;
    }

    private DataCheck check(SnapshotReads reads, ProductionSession production, Catalog catalog) {
        return new DataCheck(reads, production.major(), catalog, config.samples(), config.rowLimit(), splitRows);
    }

    /** The counts under way; {@link #report()} waits for them and adds what they found to the rehearsal. */
    final class Running implements AutoCloseable {

        private final List<Item> items;
        private final List<SnapshotReads> lanes;
        // per item: a DataCheck.Count, the SQLException that stopped it, or NotCountable
        private final Object[] counted;
        private final Map<Integer, List<DuplicateCount.Part>> parts = new HashMap<>(); // by item, as they finish
        private final ExecutorService threads;
        private final List<Future<?>> running = new ArrayList<>();
        private final long started = System.nanoTime();
        private final AtomicLong finished = new AtomicLong(started);
        private boolean closed;

        private Running(
                ProductionSession production,
                Catalog catalog,
                List<Item> items,
                Object[] counted,
                List<CountJob> jobs,
                List<SnapshotReads> lanes) {
            this.items = items;
            this.lanes = lanes;
            this.counted = counted;
            Queue<CountJob> queue = new ConcurrentLinkedQueue<>(jobs);
            this.threads = Executors.newFixedThreadPool(lanes.size(), work -> {
                Thread thread = new Thread(work, "migration-safety-rehearsal-count");
                thread.setDaemon(true);
                return thread;
            });
            for (SnapshotReads lane : lanes) {
                DataCheck check = check(lane, production, catalog);
                running.add(threads.submit(() -> {
                    try {
                        lane.withoutJit();
                        for (CountJob job = queue.poll(); job != null; job = queue.poll()) {
                            if (job.duplicates() != null) {
                                countPart(job, lane);
                            } else {
                                run(job, check);
                            }
                        }
                    } finally {
                        finished.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                    return null;
                }));
            }
        }

        /** Counts one part of a unique key's duplicates (or all of them); the last part to finish adds the parts up. */
        private void countPart(CountJob job, SnapshotReads lane) {
            int item = job.items().get(0);
            DuplicateCount duplicates = job.duplicates();
            try {
                DuplicateCount.Part part = duplicates.count(lane, job.part(), duplicates.parts());
                List<DuplicateCount.Part> all;
                boolean last;
                synchronized (parts) {
                    all = parts.computeIfAbsent(item, i -> new ArrayList<>());
                    all.add(part);
                    last = all.size() == duplicates.parts(); // a part that failed is never added: then none is last
                }
                if (last) {
                    counted[item] = duplicates.merge(lane, all);
                }
            } catch (SQLException e) {
                counted[item] = e;
            }
        }

        private void run(CountJob job, DataCheck check) {
            if (job.scan() != null) {
                try {
                    List<DataCheck.Count> counts = check.countInOneScan(job.scan());
                    for (int i = 0; i < counts.size(); i++) {
                        counted[job.items().get(i)] = counts.get(i);
                    }
                    return;
                } catch (SQLException e) {
                    if (timedOut(e)) { // each count on its own would read the whole table again
                        job.items().forEach(i -> counted[i] = e);
                        return;
                    }
                    // another error, e.g. one check's expression failing on a row: each on its own, so that only the
                    // effect it belongs to goes uncounted
                }
            }
            for (int i : job.items()) {
                try {
                    counted[i] = check.count(items.get(i).effect());
                } catch (SQLException e) {
                    counted[i] = e;
                }
            }
        }

        /** Waits for the counts, then adds each effect's entry, check and finding in the pending changesets' order. */
        void report() {
            await();
            List<Map<String, Object>> entries = new ArrayList<>();
            results.put("data", entries);
            int failing = 0;
            int counted = 0;
            int notCountable = 0;
            for (int i = 0; i < items.size(); i++) {
                ChangelogOnCopy.Outcome outcome = items.get(i).outcome();
                Effect effect = items.get(i).effect();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("changeset", outcome.key());
                entry.put("check", effect.describe());
                entries.add(entry);
                String notCounted = notCounted(effect, this.counted[i]);
                if (notCounted != null) { // nothing in production to count: no finding
                    entry.put("rows", "not counted: " + notCounted);
                    notCountable++;
                    continue;
                }
                if (this.counted[i] instanceof SQLException e) {
                    String why = timedOut(e)
                            ? "statement_timeout (" + config.statementTimeout().toSeconds() + " s) reached"
                            : Databases.scrub(config.production(), LiquibaseMessages.rootMessage(e));
                    entry.put("rows", "not counted: " + why);
                    results.add(Finding.warning(
                                    RehearsalEngine.DATA,
                                    outcome.key(),
                                    effect.describe() + ": the production rows that would break it were not"
                                            + " counted: " + why)
                            .withHint("raise 'rehearsalStatementTimeout' or set 'rehearsalRowLimit'"));
                    continue;
                }
                DataCheck.Count count = (DataCheck.Count) this.counted[i];
                counted++;
                entry.put("rows", count.count());
                entry.put("keyColumns", count.keyName());
                entry.put("keys", count.samples());
                results.add(
                        count.count() == 0
                                ? Check.passed("rehearsal.data", outcome.key() + " " + effect.describe(), Duration.ZERO)
                                : Check.failed(
                                        "rehearsal.data",
                                        outcome.key() + " " + effect.describe(),
                                        Duration.ZERO,
                                        rows(count)));
                if (count.count() != 0) {
                    failing++;
                    results.add(Finding.error(
                                    RehearsalEngine.DATA,
                                    outcome.key(),
                                    effect.describe() + ": " + rows(count) + " in production would make it fail"
                                            + (config.rowLimit() == null
                                                    ? ""
                                                    : " (first " + config.rowLimit() + " rows of the table read)"))
                            .withExpectation("0 rows", count.count() < 0 ? "at least 1 row" : count.count() + " rows")
                            .withHint(hint(effect, count))
                            .at(outcome.file(), 0));
                }
            }
            long millis = (finished.get() - started) / 1_000_000;
            results.time("data", millis);
            log.info("Rehearsal: data: " + counted + " check" + (counted == 1 ? "" : "s") + " of production's rows"
                    + " against the pending " + terms.units() + ", " + failing + " would fail"
                    + (notCountable == 0
                            ? ""
                            : "; " + notCountable + " not counted: nothing in production decides "
                                    + (notCountable == 1 ? "it" : "them"))
                    + " (" + millis + " ms)");
        }

        /** Waits for every count (each bounded by the statement timeout) and closes the connections they opened. */
        private void await() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                for (Future<?> lane : running) {
                    lane.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while counting production's rows", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "counting production's rows failed: " + e.getCause().getMessage(), e.getCause());
            } finally {
                threads.shutdown();
                try {
                    threads.awaitTermination(1, TimeUnit.DAYS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                lanes.forEach(SnapshotReads::close);
            }
        }

        /** Without a report (the rehearsal stopped): waits for the counts, so production's session can close. */
        @Override
        public void close() {
            try {
                await();
            } catch (IllegalStateException ignored) {
                // the rehearsal already stops for another reason
            }
        }
    }

    /** Why nothing in production can be counted for {@code effect}, or {@code null} when its count stands. */
    private String notCounted(Effect effect, Object counted) {
        if (counted instanceof NotCountable n) {
            return n.reason();
        }
        if (!(counted instanceof SQLException e)) {
            return null;
        }
        if (effect instanceof Effect.Check && UNDEFINED_COLUMN.equals(e.getSQLState())) {
            return "its expression reads columns that the pending " + terms.units()
                    + " add; production has no values in them yet";
        }
        if (effect instanceof Effect.Unique unique
                && (unique.predicate() != null || !unique.expressions().isEmpty())
                && UNDEFINED_COLUMN.equals(e.getSQLState())) {
            return "its " + (unique.expressions().isEmpty() ? "WHERE reads" : "expressions or WHERE read")
                    + " columns that the pending " + terms.units() + " add; production has no values in them yet";
        }
        if (effect instanceof Effect.TypeChange change && UNDEFINED_OBJECT.equals(e.getSQLState())) {
            return "type " + change.to() + " is made by the pending " + terms.units() + "; production has no such type"
                    + " yet to convert its values to";
        }
        if (effect instanceof Effect.TypeChange change && DataCheck.NO_CAST.equals(e.getSQLState())) {
            return "PostgreSQL has no cast from " + change.from() + " to " + change.to() + ": the change converts"
                    + " with an expression of its own (USING), which the rehearsal does not evaluate";
        }
        return null;
    }

    /** PostgreSQL's {@code undefined_object}: a type that does not exist. */
    private static final String UNDEFINED_OBJECT = "42704";

    /** PostgreSQL's {@code undefined_column}. */
    private static final String UNDEFINED_COLUMN = "42703";

    private static boolean timedOut(SQLException e) {
        return "57014".equals(e.getSQLState());
    }

    private static String rows(DataCheck.Count count) {
        String rows = count.count() < 0
                ? "at least one row whose value does not convert"
                : count.count() + (count.count() == 1 ? " row" : " rows");
        return rows
                + (count.samples().isEmpty()
                        ? ""
                        : " (" + count.keyName() + ": " + String.join(", ", count.samples())
                                + (count.count() > count.samples().size() ? ", ..." : "") + ")");
    }

    private static String hint(Effect effect, DataCheck.Count count) {
        if (effect instanceof Effect.Unique unique && unique.expressions().isEmpty()) {
            return "review and remove the duplicates with migration-safety:dedupe (table=" + unique.table()
                    + ", keyColumns=" + String.join(",", unique.columns()) + ") before the migration; they are listed"
                    + " by: " + count.query();
        }
        return "fix those rows before the migration; they are listed by: " + count.query();
    }

    /** An addNotNullConstraint with {@code defaultNullValue} fills the NULLs itself before it adds the constraint. */
    private static boolean filledByDefault(ChangeSet changeSet, Effect effect) {
        if (changeSet == null || !(effect instanceof Effect.NotNull notNull)) {
            return false;
        }
        for (Change change : changeSet.getChanges()) {
            if (change instanceof AddNotNullConstraintChange add
                    && add.getDefaultNullValue() != null
                    && notNull.table().equalsIgnoreCase(add.getTableName())
                    && notNull.column().equalsIgnoreCase(add.getColumnName())) {
                return true;
            }
        }
        return false;
    }
}
