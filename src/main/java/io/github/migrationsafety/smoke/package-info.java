/** Liquibase changelog lint, offline SQL and smoke runs on throw-away databases. Maven-free. */
package io.github.migrationsafety.smoke;
