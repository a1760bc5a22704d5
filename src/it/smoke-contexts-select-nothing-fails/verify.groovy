import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains("[ERROR] db/changelog/db.changelog-master.yaml: contexts 'prod' and labels '' select none of the 2 changesets, so nothing was tested [smoke.nothing-selected] Fix: fix 'contexts'/'labels'; the changelog uses contexts dev and labels (none)")
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-contexts-select-nothing-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
