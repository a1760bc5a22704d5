package io.github.migrationsafety.impact;

import java.util.Locale;

/**
 * PostgreSQL's table lock modes, weakest first, named as {@code pg_locks.mode} names them, with what each keeps a
 * live client from doing while it is held (PostgreSQL manual, "Table-Level Locks": plain reads take ACCESS SHARE,
 * writes ROW EXCLUSIVE).
 */
public enum LockMode {
    ACCESS_SHARE("AccessShareLock", false, false),
    ROW_SHARE("RowShareLock", false, false),
    ROW_EXCLUSIVE("RowExclusiveLock", false, false),
    SHARE_UPDATE_EXCLUSIVE("ShareUpdateExclusiveLock", false, false),
    SHARE("ShareLock", false, true),
    SHARE_ROW_EXCLUSIVE("ShareRowExclusiveLock", false, true),
    EXCLUSIVE("ExclusiveLock", false, true),
    ACCESS_EXCLUSIVE("AccessExclusiveLock", true, true);

    private final String pgName;
    private final boolean blocksReads;
    private final boolean blocksWrites;

    LockMode(String pgName, boolean blocksReads, boolean blocksWrites) {
        this.pgName = pgName;
        this.blocksReads = blocksReads;
        this.blocksWrites = blocksWrites;
    }

    /** The mode {@code pg_locks} shows, or {@code null} for one that is not a table lock mode. */
    public static LockMode of(String pgName) {
        for (LockMode mode : values()) {
            if (mode.pgName.equals(pgName)) {
                return mode;
            }
        }
        return null;
    }

    public String pgName() {
        return pgName;
    }

    public boolean blocksReads() {
        return blocksReads;
    }

    public boolean blocksWrites() {
        return blocksWrites;
    }

    /** "reads and writes", "writes" or "nothing" (only other schema changes and maintenance). */
    public String blocks() {
        return blocksReads ? "reads and writes" : blocksWrites ? "writes" : "nothing";
    }

    public boolean strongerThan(LockMode other) {
        return other == null || ordinal() > other.ordinal();
    }

    @Override
    public String toString() {
        return pgName.toLowerCase(Locale.ROOT);
    }
}
