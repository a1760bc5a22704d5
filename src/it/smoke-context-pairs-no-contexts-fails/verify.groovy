import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

// the changelog of smoke-context-pairs-good without contexts: Liquibase selects both changesets of the pair and its
// validation stops with "changesets had duplicate identifiers", so the smoke says so and points to 'contexts'
assert log.contains("[ERROR] db/changelog/db.changelog-master.xml::default-model::alice: the changeset identifier (path, id, author) is used more than once; Liquibase records only one of them as run; the two differ by context ('mysql' and 'postgresql'), and without contexts Liquibase selects both and stops before running anything (duplicate identifiers) [db/changelog/db.changelog-master.xml:18] [smoke.lint.duplicate-id] Fix: set 'contexts' to the contexts production runs Liquibase with, or give each changeset a unique id")
// without contexts the test-only changeset runs too, and it has no rollback
assert log.contains("[ERROR] db/changelog/db.changelog-master.xml::demo-rows::alice: change 'sql' cannot be rolled back automatically and the changeset has no rollback [db/changelog/db.changelog-master.xml:22] [smoke.lint.no-rollback] Fix: add a <rollback> block (YAML: rollback:, SQL: --rollback) that undoes it")
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-context-pairs-no-contexts-fails: Migration smoke test failed: 2 errors in db\/changelog\/db\.changelog-master\.xml - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
