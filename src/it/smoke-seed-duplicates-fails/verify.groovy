import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[ERROR\] db\/changelog\/db\.changelog-master\.yaml::unique-name-version::alice: fails on H2: Unique index or primary key violation: .* - model_metadata\(name, version\) has 2 duplicate groups: \(bert, 2\) x2, \(resnet, 1\.0\) x2 \[smoke\.changeset-failed\] Fix: remove the duplicates before migrating: run mvn migration-safety:dedupe -Dmigration-safety\.keysFromChangelog=true against the target database \(dry run first\)/
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-seed-duplicates-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
