import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[ERROR\] db\/changelog\/db\.changelog-master\.yaml::create-model-metadata::alice: the changeset was released but has been edited since; Liquibase will refuse to start in production \(checksum validation\) \(expected 9:0123456789abcdef0123456789abcdef, actual 9:[0-9a-f]{32}\) \[db\/changelog\/db\.changelog-master\.yaml:3\] \[smoke\.lint\.released-changeset-edited\] Fix: undo the edit and put the change into a new changeset/
assert log.contains('[WARNING] db/changelog/db.changelog-master.yaml::unique-name-version::alice: adds a unique key model_metadata(name, version) to an existing table without checking its data first; duplicate rows in production make the migration fail [db/changelog/db.changelog-master.yaml:14] [smoke.lint.unique-without-data-check] Fix: run mvn migration-safety:dedupe -Dmigration-safety.keysFromChangelog=true against the target database before migrating, or add a precondition that counts duplicates')
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-released-checksum-edited-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
