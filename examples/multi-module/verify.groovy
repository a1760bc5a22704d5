// Used by the plugin's own build (invoker execution `examples`) to keep this example working; your project
// does not need this file.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log =~ /\[INFO\] model-service-db \.+ SUCCESS/
assert log =~ /\[INFO\] model-service-models \.+ SUCCESS/
def report = { module, goal -> new JsonSlurper().parse(new File(basedir, "$module/target/migration-safety/${goal}-report.json")) }

// db: connect, dedupe over the keys the changelog adds, smoke, then the gate of the release profile
assert log =~ /\[INFO\] Connected to H2 \S+ .* as SA; schema PUBLIC has 1 tables/
assert log.contains('[INFO] Changelog db/changelog/db.changelog-master.yaml: 1 unique key(s) added')
assert log.contains('[INFO] H2: 2 changesets applied in ')
assert log.contains('[INFO] Deploy gate open: the smoke report passed for this changelog')
for (goal in ['connect', 'dedupe', 'smoke', 'gate']) {
    assert report('db', goal).status == 'passed'
    assert new File(basedir, "db/target/migration-safety/TEST-migration-safety-${goal}.xml").isFile()
    assert new File(basedir, "db/target/migration-safety/${goal}.sarif").isFile()
}
// models: the sidecar's checksum matches (no key in the environment: signatures not checked)
assert log =~ /\[INFO\] Checked 1 artifact\(s\) under .*models: 0 problem\(s\)/
assert report('models', 'sidecars').status == 'passed'
return true
