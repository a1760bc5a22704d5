import groovy.json.JsonSlurper

// smoke of Flyway migrations with url=<a PostgreSQL 15 production that Flyway migrated to V1, with owners without a
// label and an index made by hand>: from an empty database every migration passes; on a copy of production's schema
// and flyway_schema_history, Flyway's migrate runs V2 and V3 (its history decides), V3 fails because of the hand-made
// index, and production's rows break V2's NOT NULL. The build fails once, naming both; production is as it was.
def log = new File(basedir, 'build.log').getText('UTF-8')
def url = new File(basedir, 'target/production-url.txt').text
assert log.contains('[INFO] BUILD FAILURE')
assert log.contains("flyway_schema_history lists 1 applied migrations; 2 pending: db/migration/V2__owner_label_required.sql, db/migration/V3__index_name.sql")
assert log =~ /\[INFO\] Rehearsal: pg_dump 15 \(.*\) copied schema public of jdbc:postgresql:\/\/localhost:\d+\/flyway_rehearsal_prod_\w+ \(PostgreSQL 15\.\d+, read only\) and 1 history row into the smoke's PostgreSQL/
assert log =~ /\[INFO\] Rehearsal: drift: 1 difference between production's schema and what its 1 applied migration makes \(\d+ ms\)\n/
assert log =~ /\[INFO\] Rehearsal: 2 pending migrations on production's schema: 1 passed, 1 failed \(\d+ ms\)\n/
assert log =~ /\[INFO\] Rehearsal: data: 1 check of production's rows against the pending migrations, 1 would fail \(\d+ ms\)\n/
assert log.contains("[WARNING] index idx_name on model_metadata: exists in production, but no applied migration makes it (expected missing, actual CREATE INDEX ON public.model_metadata USING btree (name)) [smoke.rehearsal.drift]")
assert log.contains("[ERROR] db/migration/V3__index_name.sql: fails on production's schema but passed on an empty database: ERROR: relation \"idx_name\" already exists (line 1) - production's schema drifted: index idx_name on model_metadata exists in production, but no applied migration makes it (expected missing, production CREATE INDEX ON public.model_metadata USING btree (name)) [db/migration/V3__index_name.sql] [smoke.rehearsal.failed]")
assert log.contains("[ERROR] db/migration/V2__owner_label_required.sql: NOT NULL on owner.label: 3 rows (id: 7, 42, 99) in production would make it fail (expected 0 rows, actual 3 rows) [db/migration/V2__owner_label_required.sql] [smoke.rehearsal.data] Fix: fix those rows before the migration; they are listed by: SELECT \"id\" FROM \"public\".\"owner\" t WHERE \"label\" IS NULL")
assert log.contains("Migration smoke test failed: 2 errors in classpath:db/migration")
assert log.contains("Fix: reconcile production's schema with the migrations (the drift findings list both sides), or record the hand-made change in a new versioned migration before this one")
// one embedded server for the smoke's PostgreSQL run and the rehearsal's databases
assert log.count('Started an embedded PostgreSQL') == 1

def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert json.summary.migrationSource == 'flyway'
assert json.summary.rehearsal.status == 'failed'
assert json.summary.rehearsal.historyRows == 1
assert json.summary.rehearsal.driftChecked == 'yes'
assert json.summary.rehearsal.drift == [[object: 'index idx_name on model_metadata', expected: 'missing', actual: 'CREATE INDEX ON public.model_metadata USING btree (name)']]
assert json.summary.rehearsal.pending.collect { [it.changeset, it.empty, it.rehearsal] } == [
        ['db/migration/V2__owner_label_required.sql', 'passed', 'passed'],
        ['db/migration/V3__index_name.sql', 'passed', 'failed']]
assert json.summary.rehearsal.data.collect { [it.changeset, it.check, it.rows, it.keys] } == [
        ['db/migration/V2__owner_label_required.sql', 'NOT NULL on owner.label', 3, ['7', '42', '99']]]
// the migrations themselves passed from empty
assert json.summary.changesets.every { it.h2.status == 'passed' && it.postgresql.status == 'passed' }
def sarif = new File(basedir, 'target/migration-safety/smoke.sarif').getText('UTF-8')
['smoke.rehearsal.failed', 'smoke.rehearsal.data', 'smoke.rehearsal.drift'].each { assert sarif.contains(it) }
def summary = new File(basedir, 'target/migration-safety/smoke-summary.md').getText('UTF-8')
assert summary.contains("| db/migration/V2__owner_label_required.sql | NOT NULL on owner.label | 3 | id: 7, 42, 99 |")
def html = new File(basedir, 'target/migration-safety/index.html').getText('UTF-8')
assert html.contains('NOT NULL on owner.label')

assert !log.contains('Flyway-Prod-Secret-5521')
new File(basedir, 'target/migration-safety').eachFileRecurse(groovy.io.FileType.FILES) {
    assert !it.text.contains('Flyway-Prod-Secret-5521') : "password in ${it}"
}
assert io.github.migrationsafety.testsupport.ItFixture.flywayPostgresState(url, 'flyway_rehearsal_prod', 'Flyway-Prod-Secret-5521') == new File(basedir, 'target/production-before.txt').text
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
