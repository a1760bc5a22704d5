import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[ERROR] db/changelog/db.changelog-master.yaml::1::bob: fails on H2: Syntax error in SQL statement "[*]CREAT TABLE foo (id INT)"; expected "COMMIT, CREATE, CALL, CHECKPOINT, COMMENT"; SQL statement: CREAT TABLE foo (id INT) [42001-232] [smoke.changeset-failed] Fix: fix the changeset; the SQL it runs is in the report and in the generated SQL file')
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-broken-sql-fails: Migration smoke test failed: 1 errors? in db\/changelog\/\S+ - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'

assert json.summary.changesets[0].h2.status == 'failed'
// the page shows the failing changeset with its line, the error, the SQL (open) and the fix
def page = new File(basedir, 'target/migration-safety/index.html').getText('UTF-8')
assert page.contains('<tr class="failed">')
assert page.contains('<code>db/changelog/db.changelog-master.yaml:' + json.summary.changesets[0].line + '</code>')
assert page.contains('<details open="open"><summary>SQL that failed</summary><pre>CREAT TABLE foo (id INT);</pre></details>')
assert page.contains('<div class="fix"><strong>Fix: </strong>fix the changeset; the SQL it runs is in the report and in the generated SQL file</div>')
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
