/**
 * The rehearsal on production's schema: copies production's schema and Liquibase history into the smoke's
 * PostgreSQL and runs the pending changesets there, names the drift between production and what its applied
 * changesets make, and counts (read only) the production rows that would break each pending constraint. Maven-free.
 */
package io.github.migrationsafety.rehearsal;
