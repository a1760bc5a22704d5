import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
def m = 'db/changelog/db.changelog-master.xml'

// stale suppressions are warnings, so they get cleaned up; the build passes at the default failOn=error
assert log.contains('[INFO] BUILD SUCCESS')
assert log.contains("[WARNING] ${m}::create-model-stage::bob: suppresses smoke.lint.no-rollback (reason: raw SQL, dropped by hand), but no finding of that rule on it remains [${m}:6] [smoke.suppression.unused] Fix: remove 'migration-safety:ignore smoke.lint.no-rollback reason: ...' from the changeset, or correct the rule id")
assert log.contains("[WARNING] legacy-*: suppresses smoke.lint.rerun-ddl (reason: legacy changesets, rewritten in 2024), but no finding of that rule on a changeset it names remains [smoke.suppression.unused] Fix: remove entry 1 from <suppressions>, or correct its <changeset> or <rule>")
assert !log.contains('findings suppressed')
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
assert json.findings*.rule == ['smoke.suppression.unused', 'smoke.suppression.unused']
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
