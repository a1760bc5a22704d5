// Used by the plugin's own build (invoker execution `examples`) to keep this example working; your project
// does not need this file.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log =~ /\[INFO\] Flyway migrations classpath:db\/migration: 2 migrations, fingerprint [0-9a-f]{64}/
assert log =~ /\[INFO\] H2: 2 migrations applied by Flyway in \d+ ms\n/
assert log.contains("[INFO] Rollback not tested: Flyway's community edition has no undo")
assert log.contains('[INFO] Deploy gate open: the smoke report passed for this changelog')
assert log.contains('[INFO] BUILD SUCCESS')
def report = { goal -> new JsonSlurper().parse(new File(basedir, "target/migration-safety/${goal}-report.json")) }
def smoke = report('smoke')
assert smoke.status == 'passed'
assert smoke.summary.changesets*.changeset == ['db/migration/V1__create_model_metadata.sql', 'db/migration/V2__unique_model_name_version.sql']
assert smoke.checks.find { it.name == 'unique:model_metadata(name, version)' }.outcome == 'passed'
assert new File(basedir, 'target/migration-safety/migration.sql').text.contains('name VARCHAR(100) NOT NULL')
assert report('gate').status == 'passed'
true
