import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
def v2 = 'db/migration/V2__unique_name_version.sql'

// the unique key's lock, measured on synthetic rows at two sizes by Flyway's own migrate and extrapolated
assert log =~ /\[INFO\] Impact of db\/migration\/V2__unique_name_version\.sql on model_metadata: AccessExclusiveLock held \d+ ms at \d+ rows, \d+ ms at \d+ rows; estimated \d+ ms at 2000000 rows; longest probe read \d+ ms, write \d+ ms/
assert log =~ /\[ERROR\] db\/migration\/V2__unique_name_version\.sql: holds AccessExclusiveLock on model_metadata, which blocks reads and writes, for an estimated [0-9.]+ s at 2,000,000 rows \(measured \d+ ms at [0-9,]+ rows and \d+ ms at [0-9,]+ rows\), above maxBlockingSeconds=0\.001 \[db\/migration\/V2__unique_name_version\.sql:1\] \[smoke\.impact\.blocking\]/
assert log.contains('[INFO] BUILD FAILURE')

def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'failed'
assert json.summary.migrationSource == 'flyway'
def blocking = json.findings.findAll { it.rule == 'smoke.impact.blocking' }
assert blocking.size() == 1
assert blocking[0].severity == 'error'
assert blocking[0].subject == v2
assert blocking[0].file == v2
assert blocking[0].line == 1
def unique = json.summary.impact.find { it.changeset == v2 && it.table == 'model_metadata' }
assert unique.lock == 'AccessExclusiveLock'
def estimate = unique.productionEstimate
assert estimate.productionRows == 2000000
assert estimate.measured.size() == 2
assert estimate.measured[0].rows < estimate.measured[1].rows
assert estimate.estimatedMillis >= estimate.measured[1].heldMillis
assert estimate.longestReadStallMillis >= 0 && estimate.longestWriteStallMillis >= 0
// V1 creates the table: its lock is on no table that existed before it, so there is nothing to estimate
assert !json.summary.impact.any { it.changeset == 'db/migration/V1__create_model_metadata.sql' }
def check = json.checks.find { it.group == 'impact.postgresql' && it.name == "${v2} model_metadata" }
assert check.detail =~ /, estimated \d+ ms at 2000000 rows \(measured /
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
true
