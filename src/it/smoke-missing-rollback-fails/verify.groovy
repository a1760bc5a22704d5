import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains("[ERROR] db/changelog/db.changelog-master.yaml::raw-sql::bob: change 'sql' cannot be rolled back automatically and the changeset has no rollback [db/changelog/db.changelog-master.yaml:23] [smoke.lint.no-rollback] Fix: add a <rollback> block (YAML: rollback:, SQL: --rollback) that undoes it")
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-missing-rollback-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
