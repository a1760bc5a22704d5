def log = new File(basedir, 'build.log').text
def base = basedir.absolutePath
def expected = ":dedupe (dedupe) on project dedupe-dry-run-fails: " + "2 duplicate group(s) in PUBLIC.MODEL_METADATA(NAME, VERSION), 3 row(s) to delete (report ${base}/target/migration-safety/dedupe-report.csv). To delete them after a backup, run with -Dmigration-safety.apply=true - see ${base}/target/migration-safety/dedupe-report.json -> [Help 1]"
assert log.contains(expected) : 'exact failure message'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert log.contains("[INFO]  - group 1 (churn, 1.0): 3 rows, keeps id 1\n[INFO]  - group 2 (fraud, 2.0): 2 rows, keeps id 4\n")
assert new File(basedir, 'target/migration-safety/dedupe-report.csv').text == [
    '"group","NAME","VERSION","ID","action","CREATED_AT","PAYLOAD"',
    '"1","churn","1.0","1","KEEP","2025-01-01T00:00Z","a"',
    '"1","churn","1.0","2","DELETE","2025-02-01T00:00Z",""',
    '"1","churn","1.0","3","DELETE",,',
    '"2","fraud","2.0","4","KEEP",,"x"',
    '"2","fraud","2.0","5","DELETE",,"y"', ''].join('\n')
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/migration-safety/dedupe-report.json'))
assert json.status == 'failed'
assert json.summary.groups == 2
assert json.summary.rowsToDelete == 3
def junit = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/migration-safety/TEST-migration-safety-dedupe.xml'))
assert junit.@failures == '1'
assert !new File(basedir, 'target/migration-safety/backups').exists() : 'a dry-run writes no backup'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
