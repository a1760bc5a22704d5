import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[ERROR\] db\/changelog\/db\.changelog-master\.yaml: the changelog cannot be parsed: The file db\/changelog\/2024\/missing\.yaml was not found in the configured search path: - \S+src\/main\/resources \[db\/changelog\/db\.changelog-master\.yaml\] \[smoke\.lint\.parse-error\] Fix: fix the changelog file; Liquibase reads it the same way when the application starts/
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-missing-include-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
