def log = new File(basedir, 'build.log').text
def base = basedir.absolutePath
assert log.contains('[INFO] Flyway migrations classpath:db/migration: 2 unique key(s) added, 1 by migrations not yet applied here')
assert log.contains("[ERROR] PUBLIC.MODEL_METADATA(NAME, VERSION): migration db/migration/V3__unique_name_version.sql (ADD UNIQUE) would fail: 2 duplicate group(s), 5 rows; 3 row(s) would be deleted (keep lowest-id) [db/migration/V3__unique_name_version.sql:2]")
assert log.contains(":dedupe (dedupe) on project dedupe-flyway-keys-fails: 1 pending unique key(s) in classpath:db/migration would fail on duplicate rows - see ${base}/target/migration-safety/dedupe-report.json")
assert new File(basedir, 'target/migration-safety/dedupe-public.model_metadata-name-version.csv').readLines().size() == 6
assert !new File(basedir, 'target/migration-safety/dedupe-model_metadata-payload.csv').exists() : 'the applied key is not checked'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
def history = io.github.migrationsafety.testsupport.Snapshot.of(io.github.migrationsafety.testsupport.ItFixture.database(basedir), 'SELECT "version", "success" FROM "flyway_schema_history" ORDER BY "installed_rank"')
assert history == ['<null>|Boolean:true', '[1]|Boolean:true', '[2]|Boolean:true'] : "Flyway's history is read, not written: ${history}"
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
