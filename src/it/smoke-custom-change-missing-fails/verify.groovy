import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains("[ERROR] db/changelog/db.changelog-master.yaml: the changelog cannot be parsed: the customChange class com.example.migration.BackfillChecksums is not on the project's compile classpath [db/changelog/db.changelog-master.yaml] [smoke.lint.parse-error] Fix: compile the class in this project (src/main/java) or add the dependency that has it")
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-custom-change-missing-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
