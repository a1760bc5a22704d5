import groovy.json.JsonSlurper

// smoke with url=<a PostgreSQL 15 production with duplicates and an index made by hand>: from an empty database
// every changeset passes; on production's schema index-name fails because of the hand-made index, and the
// production rows break the pending unique key. The build fails once, naming both; production is as it was.
def log = new File(basedir, 'build.log').getText('UTF-8')
def m = 'db/changelog/db.changelog-master.yaml'
def url = new File(basedir, 'target/production-url.txt').text
assert log.contains('[INFO] BUILD FAILURE')
assert log =~ /\[INFO\] Rehearsal: 2 pending changesets on production's schema: 1 passed, 1 failed \(\d+ ms\)\n/
assert log =~ /\[INFO\] Rehearsal: drift: 1 difference between production's schema and what its 1 applied changeset makes \(\d+ ms\)\n/
assert log =~ /\[INFO\] Rehearsal: data: 1 check of production's rows against the pending changesets, 1 would fail \(\d+ ms\)\n/
assert log.contains("[WARNING] index idx_name on model_metadata: exists in production, but no applied changeset makes it (expected missing, actual CREATE INDEX ON public.model_metadata USING btree (name)) [smoke.rehearsal.drift]")
assert log.contains("[ERROR] ${m}::index-name::bob: fails on production's schema but passed on an empty database: ERROR: relation \"idx_name\" already exists - production's schema drifted: index idx_name on model_metadata exists in production, but no applied changeset makes it (expected missing, production CREATE INDEX ON public.model_metadata USING btree (name)) [${m}] [smoke.rehearsal.failed] Fix: reconcile production's schema with the changelog")
assert log.contains("[ERROR] ${m}::unique-name-version::bob: unique key uq_model_name_version on model_metadata(name, version): 20 rows ((name, version): (model-1, 1.0), (model-10, 1.0), (model-2, 1.0), (model-3, 1.0), (model-4, 1.0), ...) in production would make it fail (expected 0 rows, actual 20 rows) [${m}] [smoke.rehearsal.data] Fix: review and remove the duplicates with migration-safety:dedupe (table=model_metadata, keyColumns=name,version) before the migration")

def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert json.summary.rehearsal.status == 'failed'
assert json.summary.rehearsal.drift == [[object: 'index idx_name on model_metadata', expected: 'missing', actual: 'CREATE INDEX ON public.model_metadata USING btree (name)']]
assert json.summary.rehearsal.data[0].rows == 20
// the changesets themselves passed from empty
assert json.summary.changesets.every { it.h2.status == 'passed' && it.postgresql.status == 'passed' }
def sarif = new File(basedir, 'target/migration-safety/smoke.sarif').getText('UTF-8')
['smoke.rehearsal.failed', 'smoke.rehearsal.data', 'smoke.rehearsal.drift'].each { assert sarif.contains(it) }
def summary = new File(basedir, 'target/migration-safety/smoke-summary.md').getText('UTF-8')
assert summary.contains("| ${m}::unique-name-version::bob | unique key uq_model_name_version on model_metadata(name, version) | 20 | (name, version): (model-1, 1.0), (model-10, 1.0), (model-2, 1.0), (model-3, 1.0), (model-4, 1.0) |")

assert !log.contains('Rehearsal-Prod-Secret-3391')
new File(basedir, 'target/migration-safety').eachFileRecurse(groovy.io.FileType.FILES) {
    assert !it.text.contains('Rehearsal-Prod-Secret-3391') : "password in ${it}"
}
assert io.github.migrationsafety.testsupport.ItFixture.postgresState(url, 'rehearsal_prod', 'Rehearsal-Prod-Secret-3391') == new File(basedir, 'target/production-before.txt').text
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
