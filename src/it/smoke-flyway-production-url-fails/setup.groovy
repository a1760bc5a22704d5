// "production": an H2 file database that the application's Flyway migrated with the released V1 and V2
import org.flywaydb.core.Flyway

Flyway.configure()
        .dataSource("jdbc:h2:file:${basedir}/target/prod/app;MODE=PostgreSQL", 'sa', '')
        .locations("filesystem:${basedir}/src/released")
        .load()
        .migrate()
// checksums of every input file, for the "nothing changed" check in verify.groovy
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
