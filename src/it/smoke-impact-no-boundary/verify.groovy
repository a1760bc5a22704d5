import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
def m = 'db/changelog/db.changelog-master.yaml'

assert log.contains('[INFO] BUILD SUCCESS')
// one summary line instead of a warning per changeset
def lines = log.readLines().findAll { it.contains('production-impact warning') }
assert lines.size() == 1 : lines
assert lines[0] ==~ /\[WARNING\] 4 production-impact warnings on 2 changesets \(smoke\.impact\.index-not-concurrent 1, smoke\.impact\.no-lock-timeout 2, smoke\.impact\.unique-constraint-lock 1\), judged with every table an earlier changeset created counted as in production - see \S+smoke-report\.json\. Give 'url' \(or 'productionRows'\) or a release boundary \('releasedChecksums', or a tagDatabase changeset\) to judge only what production will run\./
assert !log.contains("[WARNING] ${m}::")

// the reports keep every finding
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.summary.impactJudgedBy == 'none'
assert json.findings.findAll { it.rule.startsWith('smoke.impact.') }.size() == 4
assert json.findings.find { it.rule == 'smoke.impact.unique-constraint-lock' }.subject == "${m}::unique-name-version::bob"
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
