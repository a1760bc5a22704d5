def log = new File(basedir, 'build.log').getText('UTF-8')
def m = 'db/changelog/db.changelog-master.yaml'

// a rewrite confirmed by PostgreSQL (int to bigint), not the varchar to text change that rewrites nothing
assert log.readLines().any { it.startsWith("[ERROR] ${m}::downloads-bigint::bob: changes model_metadata.downloads to BIGINT, which rewrites the whole table (AccessExclusiveLock, blocks reads and writes, held ") }
assert !log.contains("${m}::notes-text::bob: changes")
assert log.contains("[ERROR] ${m}::rename-name::bob: renames column model_metadata.name to model_name: the application version still running during a rolling deploy uses the old name [${m}:25] [smoke.impact.breaking-rename-or-drop] Fix: expand and contract: add the new table or column, deploy code that uses both, and drop or rename the old one in a later release")
// the rename set its own lock_timeout
assert !log.contains("${m}::rename-name::bob: takes AccessExclusiveLock")
assert log.contains("[ERROR] ${m}::index-concurrently-in-transaction::bob: runs CONCURRENTLY inside the changeset's transaction; PostgreSQL refuses it (\"cannot run inside a transaction block\") [${m}:31] [smoke.impact.concurrently-in-transaction] Fix: <changeSet id=\"index-concurrently-in-transaction\" author=\"bob\" runInTransaction=\"false\"> with the CONCURRENTLY statement alone in it")
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-impact-fails: Migration smoke test failed: \d+ errors in db\/changelog\/\S+ - see \S+smoke-report\.json/
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
