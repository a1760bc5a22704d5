import groovy.json.JsonSlurper

// smoke with url=<a PostgreSQL 15 production>: the rehearsal copies its schema and history, runs the two pending
// changesets on it, finds no drift and no row that breaks the unique key; production is as it was
def log = new File(basedir, 'build.log').getText('UTF-8')
def m = 'db/changelog/db.changelog-master.yaml'
def url = new File(basedir, 'target/production-url.txt').text
assert log.contains('[INFO] BUILD SUCCESS')
assert log =~ /\[INFO\] Rehearsal: pg_dump 15 \([^)]*pg_dump\) copied schema public of \Q${url}\E \(PostgreSQL 15\.\d+, read only\) and 1 history row into the smoke's PostgreSQL \(\d+ ms \+ \d+ ms\)\n/
assert log =~ /\[INFO\] Rehearsal: 2 pending changesets on production's schema: 2 passed, 0 failed \(\d+ ms\)\n/
assert log =~ /\[INFO\] Rehearsal: drift: 0 differences between production's schema and what its 1 applied changeset makes \(\d+ ms\)\n/
assert log =~ /\[INFO\] Rehearsal: data: 1 check of production's rows against the pending changesets, 0 would fail \(\d+ ms\)\n/
assert log =~ /\[INFO\] Rehearsal on production's schema passed in \d+ ms\n/
assert !log.contains('smoke.rehearsal.')

def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
def rehearsal = json.summary.rehearsal
assert rehearsal.status == 'passed'
assert rehearsal.production == url
assert rehearsal.schema == 'public'
assert rehearsal.historyRows == 1
assert rehearsal.driftChecked == 'yes'
assert rehearsal.drift == []
assert rehearsal.pending == [
        [changeset: "${m}::unique-name-version::bob".toString(), empty: 'passed', rehearsal: 'passed'],
        [changeset: "${m}::index-name::bob".toString(), empty: 'passed', rehearsal: 'passed']]
assert rehearsal.data == [[changeset: "${m}::unique-name-version::bob".toString(),
        check: 'unique key uq_model_name_version on model_metadata(name, version)', rows: 0,
        keyColumns: '(name, version)', keys: []]]
['pgDump', 'restore', 'update', 'drift', 'data', 'total'].each { assert rehearsal.millis[it] instanceof Number }

def summary = new File(basedir, 'target/migration-safety/smoke-summary.md').getText('UTF-8')
assert summary =~ /#### Rehearsal on production's schema \(\Q${url}\E, PostgreSQL 15\.\d+, schema public\): passed/
assert summary.contains("| ${m}::unique-name-version::bob | passed | passed |  |")
def html = new File(basedir, 'target/migration-safety/index.html').getText('UTF-8')
assert html.contains("Rehearsal on production&#39;s schema: passed") || html.contains("Rehearsal on production's schema: passed")

// the password never shows (SecretLeakIT scans all IT output for it too)
assert !log.contains('Rehearsal-Prod-Secret-3391')
new File(basedir, 'target/migration-safety').eachFileRecurse(groovy.io.FileType.FILES) {
    assert !it.text.contains('Rehearsal-Prod-Secret-3391') : "password in ${it}"
}
// production is as it was: schema, history and rows
assert io.github.migrationsafety.testsupport.ItFixture.postgresState(url, 'rehearsal_prod', 'Rehearsal-Prod-Secret-3391') == new File(basedir, 'target/production-before.txt').text
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
