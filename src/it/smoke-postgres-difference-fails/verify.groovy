import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[ERROR] db/changelog/db.changelog-master.yaml::h2-only-type::bob: passes on H2 but fails on PostgreSQL: ERROR: type "datetime" does not exist Position: 47 [smoke.changeset-failed] Fix: fix the changeset; the SQL it runs is in the report and in the generated SQL file')
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-postgres-difference-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'

assert json.summary.databases[0] == 'H2 2.3.232'
assert json.summary.databases[1].startsWith('PostgreSQL 17.')
assert json.summary.changesets[2].h2.status == 'passed'
assert json.summary.changesets[2].postgresql.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
