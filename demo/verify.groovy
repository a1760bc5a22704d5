// Run after the demo build (./mvnw -B -Pdemo verify, and in every ./mvnw -B verify): checks the story it tells.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def reports = new File(basedir, 'target/migration-safety')
def report = { goal -> new JsonSlurper().parse(new File(reports, goal + '-report.json')) }

// connect
assert log =~ /\[INFO\] Connected to H2 .* as SA; schema PUBLIC has 1 tables/
assert report('connect').status == 'passed'

// smoke: offline SQL, H2 apply, rollback round trip; the lint points to dedupe for the new unique key
assert log.contains('[INFO] H2: 2 changesets applied in ')
assert log.contains('[INFO] H2: rollback of all 2 changesets and update again give the same schema')
assert log.contains('[WARNING] db/changelog/db.changelog-master.yaml::2-unique-model-name-version::platform-team: adds a unique key model_metadata(name, version) to an existing table without checking its data first')
assert new File(reports, 'migration.sql').text.contains('uq_model_metadata_name_version')
assert report('smoke').status == 'passed'

// sidecars with the key the demo sets
assert log =~ /\[INFO\] Checked 3 artifact\(s\) under .*models: 0 problem\(s\), 3 signature\(s\) verified/
assert !log.contains('demo-signing-key-0123456789abcdef')

// the gate opens and the release is deployed, after the checks
assert log.contains('[INFO] Deploy gate open: the smoke report passed for this changelog')
assert log.indexOf('Deploy gate open') < log.indexOf('Uploading to demo-releases')
assert new File(basedir, 'target/demo-releases/com/example/models/model-service-demo/1.0.0/model-service-demo-1.0.0.pom').isFile()

// the closing table
assert log.contains('[INFO] migration-safety summary (')
['connect', 'smoke', 'sidecars', 'gate'].each { goal ->
    assert log =~ /\[INFO\] ${goal}\s+passed\s+\d+E \d+W\s+.* -> ${goal}-report\.json/
}
assert log.contains('[INFO] BUILD SUCCESS')
