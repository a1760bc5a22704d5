import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
def v2 = 'db/migration/V2__index_stage.sql'
def v3 = 'db/migration/V3__unique_name.sql'
def reason = 'model_stage has 200 rows; the build takes milliseconds'

// failOn=warning, and still a pass: every finding is suppressed, none prints as a warning or an error
assert log.contains('[INFO] BUILD SUCCESS')
assert log.contains('[INFO] 4 findings suppressed, each with its reason in the report: smoke.impact.index-not-concurrent 1, smoke.impact.no-lock-timeout 2, smoke.impact.unique-constraint-lock 1')
assert !log.contains('[WARNING] db/')
assert !log.contains('[ERROR] db/')
assert !log.contains('production-impact warnings')

def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
assert json.summary.migrationSource == 'flyway'
// production ran V1 (releasedChecksums): V2 and V3 are judged, on the table V1 created
assert json.summary.impactJudgedBy == 'releasedChecksums'
assert json.findings*.subject.every { it in [v2, v3] }
def index = json.findings.find { it.rule == 'smoke.impact.index-not-concurrent' }
assert index.subject == v2
assert index.file == v2
assert index.line == 1
assert index.message.startsWith('builds index idx_stage on existing table model_stage without CONCURRENTLY (ShareLock, blocks writes, held ')
assert index.suppressed == [reason: reason, where: "${v2}:1", kind: 'inSource']
assert json.findings.find { it.rule == 'smoke.impact.no-lock-timeout' && it.subject == v2 }.suppressed.where == "${v2}:1"
def unique = json.findings.find { it.rule == 'smoke.impact.unique-constraint-lock' }
assert unique.subject == v3
assert unique.suppressed == [reason: 'model_stage is written once a day, at night', where: 'POM <suppressions> entry 1', kind: 'external']
assert json.findings.every { it.suppressed != null }

def sarif = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke.sarif'))
def result = sarif.runs[0].results.find { it.ruleId == 'smoke.impact.index-not-concurrent' }
assert result.suppressions == [[kind: 'inSource', status: 'accepted', justification: reason, location: [message: [text: "${v2}:1"]]]]

def junit = new File(basedir, 'target/migration-safety/TEST-migration-safety-smoke.xml').getText('UTF-8')
assert junit.contains("<testcase classname=\"migration-safety.smoke.smoke.impact.index-not-concurrent\" name=\"${v2}\" time=\"0\"><skipped message=\"suppressed (reason: ${reason}; ${v2}:1)\">")
assert junit.contains('failures="0"')

assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
