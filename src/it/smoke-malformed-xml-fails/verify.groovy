import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[ERROR] db/changelog/db.changelog-master.xml: the changelog cannot be parsed: The end-tag for element type "changeSet" must end with a \'>\' delimiter. [db/changelog/db.changelog-master.xml:8] [smoke.lint.parse-error] Fix: fix the changelog file; Liquibase reads it the same way when the application starts')
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-malformed-xml-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
