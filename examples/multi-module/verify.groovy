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

// every goal rewrote its module's page
def page = { path -> new File(basedir, path).getText('UTF-8') }
assert page('db/target/migration-safety/index.html').contains('<title>migration-safety: model-service-db</title>')
assert page('models/target/migration-safety/index.html') =~ /<h2 id="m0-sidecars-heading">sidecars: <span class="badge ok">/

// mvn site: a page per module and the aggregate at the root, read from the reports above
def dbSite = page('db/target/site/migration-safety/index.html')
for (goal in ['connect', 'dedupe', 'smoke', 'gate']) {
    assert dbSite.contains("<h2 id=\"m0-${goal}-heading\">${goal}: <span class=\"badge ok\">")
}
assert dbSite.contains('<table class="sortable changesets">')
assert page('models/target/site/migration-safety/index.html').contains('churn/model.onnx')
def aggregate = page('target/site/migration-safety-aggregate/index.html')
assert aggregate.contains('<h2 id="m0">Module <bdi>model-service-db</bdi></h2>')
assert aggregate.contains('<h2 id="m1">Module <bdi>model-service-models</bdi></h2>')
assert aggregate.contains('<h3 id="m0-smoke-heading">smoke: ')
assert aggregate.contains('<h3 id="m1-sidecars-heading">sidecars: ')
assert !new File(basedir, 'db/target/site/migration-safety-aggregate').exists() : 'no aggregate in a module without modules'
assert page('target/site/project-reports.html').contains('migration-safety-aggregate/index.html')
assert page('db/target/site/project-reports.html').contains('migration-safety/index.html')
return true
