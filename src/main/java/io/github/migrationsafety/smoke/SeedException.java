package io.github.migrationsafety.smoke;

/** Seed rows could not be loaded; thrown out of Liquibase's update so it stops at that point. */
final class SeedException extends RuntimeException {

    SeedException(String message) {
        super(message);
    }
}
