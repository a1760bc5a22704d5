def log = new File(basedir, 'build.log').text
def base = basedir.absolutePath
assert log.contains('[INFO] Changelog db/changelog/db.changelog-master.yaml: 1 unique key(s) added, 1 by changesets not yet applied here')
assert log.contains("[ERROR] PUBLIC.MODEL_METADATA(NAME, VERSION): changeset 1-unique-model-version::data-team::db/changelog/db.changelog-master.yaml (addUniqueConstraint) would fail: 2 duplicate group(s), 5 rows; 3 row(s) would be deleted (keep lowest-id) [${base}/target/migration-safety/dedupe-model_metadata-name-version.csv]")
assert log.contains(":dedupe (dedupe) on project dedupe-keys-from-changelog-fails: 1 pending unique key(s) in db/changelog/db.changelog-master.yaml would fail on duplicate rows - see ${base}/target/migration-safety/dedupe-report.json")
assert new File(basedir, 'target/migration-safety/dedupe-model_metadata-name-version.csv').readLines().size() == 6
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
