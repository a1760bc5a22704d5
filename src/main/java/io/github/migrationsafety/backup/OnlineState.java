package io.github.migrationsafety.backup;

import java.util.ArrayList;
import java.util.List;

/**
 * The journal of an online (batched) dedupe, kept in {@code manifest.json} under {@code "online"} and rewritten
 * durably after every state change, so the manifest alone says how far the run got. The manifest's {@code rowCount}
 * and {@code sha256} (and the repoint ones) describe the first {@code dataBytes} ({@code repointBytes}) bytes of
 * {@code rows.csv} ({@code repoints.csv}): the rows of the committed batches, exactly.
 *
 * @param batchSize    rows per batch
 * @param round        1 = the rows ranked at the start; 2 = the final pass over duplicates inserted meanwhile
 * @param phase        {@link Phase}
 * @param planFile     {@code plan-<round>.csv}: (id to delete, kept id) pairs of this round, or null while planning
 * @param planRows     pairs in the plan file
 * @param planSha256   SHA-256 of the plan file
 * @param planDone     plan pairs handled by committed batches (deleted or skipped)
 * @param batches      committed batches, all rounds
 * @param skipped      plan pairs not deleted because the row or its kept twin had gone or changed its key
 * @param firstRound   rows deleted by round 1 (the rest of {@code rowCount} is the final pass)
 * @param dataBytes    committed length of {@code rows.csv}
 * @param repointBytes committed length of {@code repoints.csv} (0 without one)
 * @param pending      the batch whose rows are on disk and whose commit is not known yet, or null
 * @param recent       the state before each of the last committed batches, newest last: a server that ran with
 *                     {@code synchronous_commit=off} may lose the last commits in a crash, and resume rolls the
 *                     journal back to the first one the server no longer knows as committed
 */
public record OnlineState(
        int batchSize,
        int round,
        Phase phase,
        String planFile,
        long planRows,
        String planSha256,
        long planDone,
        long batches,
        long skipped,
        long firstRound,
        long dataBytes,
        long repointBytes,
        Batch pending,
        List<Mark> recent) {

    /** How many committed batches {@link #recent} remembers. */
    public static final int RECENT = 16;

    public OnlineState {
        recent = List.copyOf(recent);
    }

    /** Where a round is. */
    public enum Phase {
        /** ranking into the plan file; a crash here redoes the ranking */
        PLANNING("planning"),
        /** deleting the plan in batches */
        DELETING("deleting"),
        /** both rounds finished */
        DONE("done");

        private final String text;

        Phase(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * A batch whose deleted rows ({@code rowsFile}) and moved references ({@code repointsFile}) are fsynced and whose
     * transaction {@code xid} is committing.
     */
    public record Batch(
            long xid,
            long planFrom,
            long planTo,
            String rowsFile,
            long rows,
            String rowsSha256,
            String repointsFile,
            long repoints,
            String repointsSha256) {}

    /** The journal just before a committed batch ran, and that batch's transaction id. */
    public record Mark(
            long xid,
            long planDone,
            long batches,
            long skipped,
            long rowCount,
            long dataBytes,
            long repointCount,
            long repointBytes) {}

    public static OnlineState start(int batchSize) {
        return new OnlineState(batchSize, 1, Phase.PLANNING, null, 0, null, 0, 0, 0, 0, 0, 0, null, List.of());
    }

    public OnlineState planned(String file, long rows, String sha256) {
        return new OnlineState(
                batchSize,
                round,
                Phase.DELETING,
                file,
                rows,
                sha256,
                0,
                batches,
                skipped,
                firstRound,
                dataBytes,
                repointBytes,
                null,
                recent);
    }

    public OnlineState withPending(Batch batch) {
        return new OnlineState(
                batchSize,
                round,
                phase,
                planFile,
                planRows,
                planSha256,
                planDone,
                batches,
                skipped,
                firstRound,
                dataBytes,
                repointBytes,
                batch,
                recent);
    }

    /** The committed lengths of the files: right after they were created with their headers. */
    public OnlineState withLengths(long data, long repoint) {
        return new OnlineState(
                batchSize,
                round,
                phase,
                planFile,
                planRows,
                planSha256,
                planDone,
                batches,
                skipped,
                firstRound,
                data,
                repoint,
                pending,
                recent);
    }

    /**
     * After the pending batch committed and its files were appended ({@code data}/{@code repoint} bytes now); the
     * plan pairs of the batch that deleted nothing count as skipped.
     */
    public OnlineState committed(Mark before, long data, long repoint) {
        long pairsSkipped = pending.planTo() - pending.planFrom() - pending.rows();
        List<Mark> marks = new ArrayList<>(recent);
        marks.add(before);
        while (marks.size() > RECENT) {
            marks.remove(0);
        }
        return new OnlineState(
                batchSize,
                round,
                phase,
                planFile,
                planRows,
                planSha256,
                pending.planTo(),
                batches + 1,
                skipped + pairsSkipped,
                firstRound,
                data,
                repoint,
                null,
                marks);
    }

    /** The journal as it was before {@code mark}'s batch; the marks from it on are forgotten. */
    public OnlineState rolledBackTo(Mark mark) {
        List<Mark> marks = new ArrayList<>(recent.subList(0, recent.indexOf(mark)));
        return new OnlineState(
                batchSize,
                round,
                phase,
                planFile,
                planRows,
                planSha256,
                mark.planDone(),
                mark.batches(),
                mark.skipped(),
                firstRound,
                mark.dataBytes(),
                mark.repointBytes(),
                null,
                marks);
    }

    /** The final pass starts: round 2, planning again; {@code deletedSoFar} rows came from round 1. */
    public OnlineState finalPass(long deletedSoFar) {
        return new OnlineState(
                batchSize,
                2,
                Phase.PLANNING,
                null,
                0,
                null,
                0,
                batches,
                skipped,
                deletedSoFar,
                dataBytes,
                repointBytes,
                null,
                List.of());
    }

    public OnlineState done() {
        return new OnlineState(
                batchSize,
                round,
                Phase.DONE,
                planFile,
                planRows,
                planSha256,
                planDone,
                batches,
                skipped,
                firstRound,
                dataBytes,
                repointBytes,
                null,
                List.of());
    }
}
