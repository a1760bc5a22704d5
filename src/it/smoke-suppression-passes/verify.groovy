import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
def m = 'db/changelog/db.changelog-master.xml'
def reason = 'model_stage has 200 rows; the build takes milliseconds'

// failOn=warning, and still a pass: every finding is suppressed, none prints as a warning or an error
assert log.contains('[INFO] BUILD SUCCESS')
assert log.contains('[INFO] 3 findings suppressed, each with its reason in the report: smoke.impact.index-not-concurrent 1, smoke.impact.no-lock-timeout 1, smoke.lint.no-rollback 1')
assert !log.contains("${m}::add-stage-index::bob:")
assert !log.contains("${m}::seed-stages::bob:")
assert !log.contains('[WARNING] db/')
assert !log.contains('production-impact warnings')

def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
// postgresVersion 15: the binaries resolved beside the plugin's 17
assert json.summary.databases.any { it.startsWith('PostgreSQL 15.') } : json.summary.databases
assert json.summary.impactJudgedBy == "tagDatabase ${m}::release-1::alice"
def index = json.findings.find { it.rule == 'smoke.impact.index-not-concurrent' }
assert index.subject == "${m}::add-stage-index::bob"
assert index.suppressed == [reason: reason, where: "${m}:16", kind: 'inSource']
def lint = json.findings.find { it.rule == 'smoke.lint.no-rollback' }
assert lint.suppressed == [reason: 'reference rows; a rollback leaves them, the table drop removes them', where: 'POM <suppressions> entry 1', kind: 'external']
assert json.findings.every { it.suppressed != null }

def sarif = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke.sarif'))
def result = sarif.runs[0].results.find { it.ruleId == 'smoke.impact.index-not-concurrent' }
assert result.suppressions == [[kind: 'inSource', status: 'accepted', justification: reason, location: [message: [text: "${m}:16"]]]]
assert sarif.runs[0].results.find { it.ruleId == 'smoke.lint.no-rollback' }.suppressions[0].kind == 'external'

def junit = new File(basedir, 'target/migration-safety/TEST-migration-safety-smoke.xml').getText('UTF-8')
assert junit.contains("<testcase classname=\"migration-safety.smoke.smoke.impact.index-not-concurrent\" name=\"${m}::add-stage-index::bob\" time=\"0\"><skipped message=\"suppressed (reason: ${reason}; ${m}:16)\">")
assert junit.contains('failures="0"')

def markdown = new File(basedir, 'target/migration-safety/smoke-summary.md').getText('UTF-8')
assert markdown.contains("| error, suppressed | ${m}::add-stage-index::bob | builds index idx_stage on existing table model_stage without CONCURRENTLY")
assert markdown.contains("- suppressed (reason: ${reason}; ${m}:16)")

def html = new File(basedir, 'target/migration-safety/index.html').getText('UTF-8')
assert html.contains("suppressed (reason: ${reason}; ${m}:16)")

assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
