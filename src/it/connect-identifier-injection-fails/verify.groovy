def log = new File(basedir, 'build.log').text
assert log.contains("[ERROR] name; drop table x: Parameter 'requireTables': no table named 'name; drop table x' in schema PUBLIC. Existing: X. Use one of these names.")
assert log =~ /\[ERROR\] Failed to execute goal .* 1 required table\(s\) missing - see .*connect-report\.json/
// the table is still there
def url = "jdbc:h2:file:${new File(basedir, 'target/db/app').absolutePath};MODE=PostgreSQL"
def props = new Properties(); props.user = 'sa'; props.password = ''
new org.h2.Driver().connect(url, props).withCloseable { c ->
    assert c.createStatement().executeQuery('SELECT COUNT(*) FROM x').with { next(); getInt(1) } == 0
}
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
