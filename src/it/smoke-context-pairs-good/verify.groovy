import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

// two changesets share default-model::alice and differ by context; the configured contexts select one of them,
// as Liquibase's update with these contexts does, so neither is a duplicate
assert log.contains('[INFO] Changelog db/changelog/db.changelog-master.xml: 4 changesets in 1 files, fingerprint ')
assert log =~ /\[INFO\] H2: 2 changesets applied in \d+ ms\n/
assert log =~ /\[INFO\] H2: rollback of all 2 changesets and update again give the same schema \(\d+ ms\)/
assert !log.contains('smoke.lint.duplicate-id')
// demo-rows (context test, not selected) has no rollback for its SQL: not judged either
assert !log.contains('smoke.lint.no-rollback')
assert !log.contains('[WARNING]')
assert log.contains('[INFO] BUILD SUCCESS')
def reports = new File(basedir, 'target/migration-safety')
def json = new JsonSlurper().parse(new File(reports, 'smoke-report.json'))
assert json.status == 'passed'
assert json.summary.contexts == 'prod, postgresql'
assert json.findings == []
def sql = new File(reports, 'migration.sql').getText('UTF-8')
assert sql.contains("INSERT INTO model_metadata (id, name, version) VALUES (1, 'default', 'postgresql');")
assert !sql.contains("'mysql'")
assert !sql.contains("'demo'")
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
