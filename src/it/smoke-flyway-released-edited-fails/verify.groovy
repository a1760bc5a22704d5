import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[ERROR\] db\/migration\/V1__create_model_metadata\.sql: the migration was released but has been edited since; Flyway's validate will refuse to migrate production \(checksum mismatch\) \(expected -1234567890, actual -?\d+\) \[db\/migration\/V1__create_model_metadata\.sql:1\] \[smoke\.lint\.released-migration-edited\] Fix: undo the edit and put the change into a new versioned migration/
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-flyway-released-edited-fails: Migration smoke test failed: 1 error in classpath:db\/migration - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert json.findings*.rule == ['smoke.lint.released-migration-edited']
assert json.summary.changesets*.h2*.status == ['passed', 'passed'] : 'the migrations themselves still run'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
