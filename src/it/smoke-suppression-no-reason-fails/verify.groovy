def log = new File(basedir, 'build.log').getText('UTF-8')
def m = 'db/changelog/db.changelog-master.xml'

// a misconfiguration, not a finding: the goal cannot run, and says which changeset, which rule, where, and the fix
assert log.contains("[ERROR] Failed to execute goal ") 
assert log.contains(":smoke (smoke) on project smoke-suppression-no-reason-fails: Changeset ${m}::seed-stages::bob [${m}:6] suppresses smoke.lint.no-rollback without a reason ('reason:' missing or empty). Say why the finding is accepted: migration-safety:ignore smoke.lint.no-rollback reason: <why>, e.g. reason: the table has 200 rows")
assert !new File(basedir, 'target/migration-safety/smoke-report.json').exists() : 'nothing ran'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
