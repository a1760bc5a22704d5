import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

// each database sees the changelog as Liquibase alone would: PostgreSQL keeps its modifySql after H2 ran
assert log.contains('[INFO] BUILD SUCCESS')
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
assert json.summary.databases[1].startsWith('PostgreSQL 17.')
assert json.summary.changesets[1].changeset == 'db/changelog/db.changelog-master.xml::client-attributes-index-supported-dbs::bob'
assert json.summary.changesets[1].postgresql.status == 'passed'
assert json.summary.changesets[1].sql.contains('(value::varchar(250))')

// the embedded server's own output is in its log file, never on the console
def serverLog = new File(basedir, 'target/migration-safety/work/embedded-postgres.log')
assert serverLog.isFile()
assert serverLog.getText('UTF-8').contains('database system is ready to accept connections')
assert log.contains('[INFO] Started an embedded PostgreSQL; its server log is ')
def leaked = log.readLines().findAll { it ==~ /.*(databasechangeloglock|initdb|postmaster|database system|LOG: |ERROR: relation).*/ }
assert leaked == [] : "server output on the console: ${leaked}"
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
