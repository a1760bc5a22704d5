/** Consistent table backups (CSV + manifest, or pg_dump) and idempotent restore. Maven-free. */
package io.github.migrationsafety.backup;
