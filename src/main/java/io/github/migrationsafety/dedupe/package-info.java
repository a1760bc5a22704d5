/** Duplicate detection and backed-up removal of rows that would block a unique constraint. Maven-free. */
package io.github.migrationsafety.dedupe;
