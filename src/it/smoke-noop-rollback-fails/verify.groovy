import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains("[ERROR] db/changelog/db.changelog-master.yaml::extra-table::bob: its rollback does not restore the schema it started from on H2: + column extra.id integer(32) null; + table extra [smoke.rollback] Fix: fix the changeset's <rollback> so it undoes exactly what the changeset does")
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-noop-rollback-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
