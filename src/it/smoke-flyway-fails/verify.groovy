import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[INFO\] H2: 2 migrations applied by Flyway in \d+ ms \(stopped at a failure\)\n/
assert log.contains('[ERROR] db/migration/V2__add_owner.sql: fails on H2: Table "model_metdata" not found; SQL statement: ALTER TABLE model_metdata ADD CONSTRAINT uq_model_metadata_name_version UNIQUE (name, version) [42102-232] (line 3) [db/migration/V2__add_owner.sql:3] [smoke.changeset-failed] Fix: fix the migration; the SQL it runs is in the report and in the SQL file')
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-flyway-fails: Migration smoke test failed: 1 error in classpath:db\/migration - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert json.summary.changesets*.h2*.status == ['passed', 'failed', 'skipped']
assert json.summary.changesets[1].line == 3 : "the failing statement's line"
assert json.summary.changesets[1].h2.error.startsWith('Table "model_metdata" not found')
def failure = json.findings.find { it.rule == 'smoke.changeset-failed' }
assert failure.file == 'db/migration/V2__add_owner.sql' && failure.line == 3
def junit = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/migration-safety/TEST-migration-safety-smoke.xml'))
assert junit.testcase.find { it.@name == 'db/migration/V2__add_owner.sql' }.failure.size() == 1
def sarif = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke.sarif'))
def location = sarif.runs[0].results.find { it.ruleId == 'smoke.changeset-failed' }.locations[0].physicalLocation
assert location.artifactLocation.uri.endsWith('db/migration/V2__add_owner.sql')
assert location.region.startLine == 3
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
