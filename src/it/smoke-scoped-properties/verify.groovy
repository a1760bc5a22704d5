import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('[INFO] BUILD SUCCESS')

// Liquibase's own update on H2, with contexts postgresql and labels v2: what ran, and the values it wrote
def credentials = new Properties()
credentials.user = 'sa'
credentials.password = 'liquibase-own'
def ownRan = []
def status = null
new org.h2.Driver().connect("jdbc:h2:file:${new File(basedir, 'target/liquibase-own/db')};MODE=PostgreSQL", credentials).withCloseable { own ->
    def ran = own.createStatement().executeQuery('SELECT ID, AUTHOR FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED')
    while (ran.next()) {
        ownRan << ran.getString(1) + '::' + ran.getString(2)
    }
    def row = own.createStatement().executeQuery('SELECT STATUS FROM MODEL_METADATA WHERE ID = 1 AND RELEASED_ON = CURRENT_DATE')
    status = row.next() ? row.getString(1) : null
}
assert ownRan == ['create-model-metadata::alice', 'default-model::alice']
assert status == 'active'

// the smoke with the same contexts and labels: the same changesets run on H2 and on PostgreSQL, none fails
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
assert json.summary.contexts == 'postgresql'
assert json.summary.labels == 'v2'
def key = { String changeset -> changeset.split('::')[1..2].join('::') }
assert json.summary.changesets.findAll { it.h2?.status == 'passed' }.collect { key(it.changeset) } == ownRan
assert json.summary.changesets.findAll { it.postgresql?.status == 'passed' }.collect { key(it.changeset) } == ownRan
assert json.summary.changesets.collect { [it.h2.status, it.postgresql.status] }.flatten().unique() == ['passed', 'skipped']

// the SQL: each property took the value of the contexts, labels and database in use, as in Liquibase's own updateSQL
def statements = { String text -> text.readLines().findAll { it.startsWith('CREATE TABLE') || it.startsWith('INSERT INTO') } }
def smokeSql = statements(new File(basedir, 'target/migration-safety/migration.sql').getText('UTF-8'))
def ownSql = statements(new File(basedir, 'target/liquibase-own/migrate.sql').getText('UTF-8'))
assert smokeSql.size() == 2
assert smokeSql == ownSql
assert smokeSql[0].contains('verified BOOLEAN')
assert smokeSql[1].contains("CURRENT_DATE, 'active', TRUE)")

assert !log.contains('function curdate() does not exist')
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
