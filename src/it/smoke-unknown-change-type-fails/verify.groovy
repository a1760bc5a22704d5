import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains("[ERROR] db/changelog/db.changelog-master.yaml: the changelog cannot be parsed: Error parsing db/changelog/db.changelog-master.yaml: Unknown change type 'frobnicateTable'. Check for spelling or capitalization errors and missing extensions such as liquibase-commercial. [db/changelog/db.changelog-master.yaml] [smoke.lint.parse-error] Fix: fix the changelog file; Liquibase reads it the same way when the application starts")
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-unknown-change-type-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
