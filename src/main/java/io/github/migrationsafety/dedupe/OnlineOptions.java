package io.github.migrationsafety.dedupe;

/**
 * How apply deletes: in one transaction ({@code batchSize} 0), or online in batches of {@code batchSize} rows, each
 * its own short transaction (PostgreSQL).
 *
 * @param batchSize rows per batch; 0 = one transaction
 * @param resume    finish an unfinished online run of the same table found in the backup directory (otherwise such a
 *                  run is an error)
 */
public record OnlineOptions(int batchSize, boolean resume) {

    public OnlineOptions {
        if (batchSize < 0 || batchSize > 1_000_000) {
            throw new IllegalArgumentException(
                    "Parameter 'batchSize' is " + batchSize + "; give a number of rows per batch from 1 to"
                            + " 1000000, e.g. 10000, or leave it out to delete in one transaction.");
        }
    }

    /** One transaction; an unfinished online run is still finished first. */
    public static OnlineOptions off() {
        return new OnlineOptions(0, true);
    }

    public boolean online() {
        return batchSize > 0;
    }
}
