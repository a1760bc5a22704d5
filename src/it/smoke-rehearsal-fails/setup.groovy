// A "production" database on PostgreSQL 15 (testsupport/Postgres15Server: the version the machine's pg_dump reads,
// stopped when the outer build's JVM exits): Liquibase's own update ran the first changeset there, and
// model_metadata has 1,000 rows, 20 of them in 10 duplicate (name, version) pairs, and someone created idx_name by hand.
// A role rehearsal_prod owns it and needs the password from invoker.properties. The URL and the user (no secret in
// either) reach the build through .mvn/maven.config (ItFixture.rehearsalProduction).
import io.github.migrationsafety.testsupport.ItFixture

ItFixture.rehearsalProduction(basedir, 'Rehearsal-Prod-Secret-3391',
        "INSERT INTO model_metadata SELECT g, 'model-' || (g % 990), '1.0' FROM generate_series(1, 1000) g",
        // by hand, outside Liquibase: the index a pending changeset also creates
        'CREATE INDEX idx_name ON model_metadata (name)',
        'ANALYZE model_metadata')
true
