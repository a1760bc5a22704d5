import groovy.json.JsonSlurper

// smoke with url=<the production database>: sizes and pending changesets come from there, read only
def log = new File(basedir, 'build.log').getText('UTF-8')
def m = 'db/changelog/db.changelog-master.yaml'
def url = new File(basedir, 'target/production-url.txt').text
assert log.contains('[INFO] BUILD SUCCESS')
assert log =~ /\[INFO\] Production database \Q${url}\E \(PostgreSQL 17\.\d+, read only, schema public, lock_timeout 0\): public\.databasechangelog lists 2 of the changelog's changesets as ran; 2 pending: \Q${m}::unique-name-version::bob, ${m}::audit::bob\E\n/
assert log.contains('[INFO] Production size of model_metadata: 40000 rows (pg_class.reltuples)\n')
assert log =~ /\[INFO\] Impact of \Q${m}::unique-name-version::bob\E on model_metadata: AccessExclusiveLock held \d+ ms at \d+ rows, \d+ ms at \d+ rows; estimated \d+ ms at 40000 rows; longest probe read \d+ ms, write \d+ ms\n/
// the pending unique constraint is judged; the index that already ran in production is not, nor the new table
assert log.contains("[WARNING] ${m}::unique-name-version::bob: adds a unique constraint on model_metadata(name, version) and builds its index under AccessExclusiveLock")
assert !log.contains("${m}::index-version::alice: builds index")
assert !log.contains("${m}::audit::bob: builds index")

def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
def production = json.summary.production
assert production.url == url
assert production.readOnly == true
assert production.changelogTable == 'public.databasechangelog'
assert production.changesetsRan == 2
assert production.pending == ["${m}::unique-name-version::bob", "${m}::audit::bob"]
assert production.sizes == [[table: 'model_metadata', rows: 40000, source: 'pg_class.reltuples']]
assert json.summary.impact*.changeset.unique() == ["${m}::unique-name-version::bob"]
assert json.summary.impact[0].productionEstimate.productionRows == 40000

def summary = new File(basedir, 'target/migration-safety/smoke-summary.md').getText('UTF-8')
assert summary =~ /#### Production database \Q${url}\E \(PostgreSQL 17\.\d+, read only\): 2 changesets ran, 2 pending/
assert summary.contains('| model_metadata | 40000 | pg_class.reltuples |')
assert summary.contains("#### Changesets pending in production\n\n| changeset |\n|---|\n| ${m}::unique-name-version::bob |\n| ${m}::audit::bob |\n")
assert summary.contains("| ${m}::unique-name-version::bob | model_metadata | AccessExclusiveLock | reads and writes | no | ")

// the password never shows (SecretLeakIT scans all IT output for it too)
assert !log.contains('Smoke-Prod-Secret-6620')
new File(basedir, 'target/migration-safety').eachFileRecurse(groovy.io.FileType.FILES) {
    assert !it.text.contains('Smoke-Prod-Secret-6620') : "password in ${it}"
}

// production is as it was: two changesets ran, no new table, no schema left behind
def props = new Properties(); props.user = 'smoke_prod'; props.password = 'Smoke-Prod-Secret-6620'
new org.postgresql.Driver().connect(url, props).withCloseable { connection ->
    def statement = connection.createStatement()
    def rs = statement.executeQuery('SELECT count(*) FROM databasechangelog')
    rs.next()
    assert rs.getInt(1) == 2
    rs = statement.executeQuery("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'")
    rs.next()
    assert rs.getString(1) == 'databasechangelog,databasechangeloglock,model_metadata'
    rs = statement.executeQuery("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'migration_safety_%'")
    rs.next()
    assert rs.getInt(1) == 0
    rs = statement.executeQuery("SELECT count(*) FROM pg_indexes WHERE tablename = 'model_metadata'")
    rs.next()
    assert rs.getInt(1) == 2 : 'the primary key and idx_version only'
}
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
