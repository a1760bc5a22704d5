// production's state: V1 and V2 applied by Flyway's own migrate, V3 pending; V2's index dropped and a duplicate
// payload added, so a check of V2's (applied) key would fail: it must not be checked
def db = io.github.migrationsafety.testsupport.ItFixture.database(basedir)
org.flywaydb.core.Flyway.configure()
        .locations('filesystem:' + new File(basedir, 'src/main/resources/db/migration').absolutePath)
        .dataSource(db.url(), db.username(), db.password())
        .target('2')
        .load()
        .migrate()
io.github.migrationsafety.testsupport.ItFixture.run(basedir, 'DROP INDEX ux_model_payload')
io.github.migrationsafety.testsupport.ItFixture.run(basedir,
        "INSERT INTO model_metadata VALUES (1, 'churn', '1.0', NULL, 'a'), (2, 'churn', '1.0', NULL, 'a'),"
                + " (3, 'churn', '1.0', NULL, 'b'), (4, 'fraud', '2.0', NULL, 'c'), (5, 'fraud', '2.0', NULL, 'd'),"
                + " (6, 'rank', '1.0', NULL, 'e')")
// an earlier build's copies in target/classes, one of them older than the sources: dedupe reads the sources
def classes = new File(basedir, 'target/classes/db/migration')
classes.mkdirs()
new File(classes, 'V1__create_model_metadata.sql').text = new File(basedir, 'src/main/resources/db/migration/V1__create_model_metadata.sql').text
new File(classes, 'V3__unique_name_version.sql').text = 'SELECT 1;\n'
new File(basedir, 'target/rows-before.txt').text = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
