import groovy.json.JsonSlurper

// smoke with postgres=<JDBC URL> logs in with the password given as -Dmigration-safety.password
def log = new File(basedir, 'build.log').getText('UTF-8')
assert log =~ /\[INFO\] H2: 2 changesets applied in \d+ ms\n/
assert log =~ /\[INFO\] PostgreSQL: 2 changesets applied in \d+ ms\n/
assert log.contains('[INFO] BUILD SUCCESS')
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
assert json.summary.databases[0] == 'H2 2.3.232'
assert json.summary.databases[1].startsWith('PostgreSQL 17.')
assert json.summary.changesets*.postgresql*.status == ['passed', 'passed']

// the password never shows (SecretLeakIT scans all IT output for it too)
assert !log.contains('Smoke-Url-Secret-3318')
new File(basedir, 'target/migration-safety').eachFileRecurse(groovy.io.FileType.FILES) {
    assert !it.text.contains('Smoke-Url-Secret-3318') : "password in ${it}"
}

// the throw-away database the smoke created is gone again, and the role's own database is as it was
def url = new File(basedir, 'target/postgres-url.txt').text
def props = new Properties(); props.user = 'smoke_app'; props.password = 'Smoke-Url-Secret-3318'
new org.postgresql.Driver().connect(url, props).withCloseable { connection ->
    def rs = connection.createStatement().executeQuery("SELECT count(*) FROM pg_database d JOIN pg_roles r"
            + " ON r.oid = d.datdba WHERE r.rolname = 'smoke_app' AND d.datname LIKE 'migration_safety_smoke_%'")
    rs.next()
    assert rs.getInt(1) == 0 : 'smoke database left behind'
    def tables = connection.createStatement().executeQuery(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
    tables.next()
    assert tables.getInt(1) == 0 : "the smoke wrote into the server's own database"
}
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
