import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

// the seed rows follow V1, which creates the table; V2's key then fails on them as it would on production's rows
assert log =~ /\[ERROR\] db\/migration\/V2__unique_name_version\.sql: fails on H2: Unique index or primary key violation: .* \(line 2\) \[db\/migration\/V2__unique_name_version\.sql:2\] \[smoke\.changeset-failed\]/
assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-flyway-seed-duplicates-fails: Migration smoke test failed: 1 error in classpath:db\/migration - see \S+smoke-report\.json/
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert json.summary.changesets*.h2*.status == ['passed', 'failed']
assert !json.findings.any { it.rule == 'smoke.seed-not-loaded' }
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
