// A "production" database on PostgreSQL 15 (testsupport/Postgres15Server: the version the machine's pg_dump reads,
// stopped when the outer build's JVM exits): Flyway's own migrate ran V1 there; owner has 100 rows, 3 of them without
// a label, and someone created idx_name by hand. A role flyway_rehearsal_prod owns it and needs the password from
// invoker.properties. The URL and the user (no secret in either) reach the build through .mvn/maven.config
// (ItFixture.flywayRehearsalProduction).
import io.github.migrationsafety.testsupport.ItFixture

ItFixture.flywayRehearsalProduction(basedir, 'Flyway-Prod-Secret-5521', '1',
        "INSERT INTO owner SELECT g, CASE WHEN g IN (7, 42, 99) THEN NULL ELSE 'team-' || g END FROM generate_series(1, 100) g",
        "INSERT INTO model_metadata SELECT g, 'model-' || g, '1.0', g % 100 + 1 FROM generate_series(1, 500) g",
        // by hand, outside Flyway: the index V3 also creates
        'CREATE INDEX idx_name ON model_metadata (name)')
true
