package io.github.migrationsafety.flyway;

/**
 * One migration as Flyway resolved it.
 *
 * @param key         its name in the reports: the file under its location ({@code db/migration/V1__init.sql}) or,
 *                    for a Java migration, its class name
 * @param version     its version, or {@code null} for a repeatable migration
 * @param description Flyway's description (from the file name)
 * @param script      Flyway's script name ({@code V1__init.sql} relative to its location, or the class name)
 * @param type        Flyway's migration type: {@code SQL}, {@code JDBC}
 * @param checksum    Flyway's checksum, as {@code flyway_schema_history} records it, or {@code null}
 * @param file        the file the reports point to: the SQL file under its location, or the Java source's path
 * @param physical    where Flyway read it from (a path on disk), or {@code null}
 */
public record Migration(
        String key,
        String version,
        String description,
        String script,
        String type,
        Integer checksum,
        String file,
        String physical) {

    public boolean repeatable() {
        return version == null;
    }

    public boolean sql() {
        return !type.contains("JDBC") && !type.contains("JAVA");
    }

    /** "version 1.2" or "repeatable". */
    public String label() {
        return repeatable() ? "repeatable" : "version " + version;
    }
}
