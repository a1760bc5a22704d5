import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[ERROR] table:model_artifacts: not found in the H2 schema after the update [smoke.expectation-missing] Fix: add the changeset that creates it, or fix the expectation')
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-expectation-missing-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
