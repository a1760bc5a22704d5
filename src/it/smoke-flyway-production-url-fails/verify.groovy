import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[INFO\] Production database jdbc:h2:file:\S+\/target\/prod\/app;MODE=PostgreSQL \(H2 2\.3\.232, read only\): flyway_schema_history lists 2 applied migrations; 1 pending: db\/migration\/V3__add_stage\.sql\n/
assert log =~ /\[ERROR\] db\/migration\/V1__create_model_metadata\.sql: Flyway's validate against production at \S+: Migration checksum mismatch for migration version 1 -> Applied to database : -?\d+ -> Resolved locally : -?\d+ Either revert the changes to the migration, or run repair to update the schema history\. \[db\/migration\/V1__create_model_metadata\.sql:1\] \[smoke\.flyway\.applied-migration-edited\] Fix: undo the edit: production ran this migration as it was; put the change into a new versioned migration/
assert log =~ /\[ERROR\] db\/migration\/V1_5__add_owner\.sql: Flyway's validate against production at \S+: Detected resolved migration not applied to database: 1\.5\. .* \[db\/migration\/V1_5__add_owner\.sql:1\] \[smoke\.flyway\.out-of-order\] Fix: give the migration a version above production's current one/
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-flyway-production-url-fails: Migration smoke test failed: 2 errors in classpath:db\/migration/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert json.summary.production.readOnly == true
assert json.summary.production.changelogTable == 'flyway_schema_history'
assert json.summary.production.changesetsRan == 2
assert json.summary.production.pending == ['db/migration/V3__add_stage.sql']
assert json.findings*.rule == ['smoke.flyway.applied-migration-edited', 'smoke.flyway.out-of-order']
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
