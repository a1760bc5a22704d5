def log = new File(basedir, 'build.log').getText('UTF-8')
def v2 = 'db/migration/V2__index_stage.sql'

// a misconfiguration, not a finding: the goal cannot run, and says which migration, which rule, which line, and the fix
assert log.contains("[ERROR] Failed to execute goal ")
assert log.contains(":smoke (smoke) on project smoke-flyway-suppression-no-reason-fails: Migration ${v2} [${v2}:2] suppresses smoke.impact.index-not-concurrent without a reason ('reason:' missing or empty). Say why the finding is accepted: migration-safety:ignore smoke.impact.index-not-concurrent reason: <why>, e.g. reason: the table has 200 rows")
assert !new File(basedir, 'target/migration-safety/smoke-report.json').exists() : 'nothing ran'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
