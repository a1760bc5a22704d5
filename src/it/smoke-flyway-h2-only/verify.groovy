import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[INFO\] H2: 2 migrations applied by Flyway in \d+ ms \(stopped at a failure\)\n/
assert log =~ /\[INFO\] PostgreSQL: 3 migrations applied by Flyway in \d+ ms\n/
// H2 runs alongside PostgreSQL; its lines still come first, as if they had run one after the other
assert log.indexOf('[INFO] H2: ') < log.indexOf('[INFO] PostgreSQL: ')
assert log =~ /\[WARNING\] db\/migration\/V2__brin_index_on_id\.sql: fails on H2 but passes on PostgreSQL: Syntax error in SQL statement .* \(line 2\) \[db\/migration\/V2__brin_index_on_id\.sql:2\] \[smoke\.h2-only-failure\] Fix: PostgreSQL is the real target; H2 stops Flyway at this migration, so the migrations after it were checked on PostgreSQL only/
assert log.contains('[INFO] BUILD SUCCESS')
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
assert json.summary.databases[0] == 'H2 2.3.232'
assert json.summary.databases[1].startsWith('PostgreSQL 17.')
assert json.summary.changesets*.h2*.status == ['passed', 'failed', 'skipped']
assert json.summary.changesets*.postgresql*.status == ['passed', 'passed', 'passed']
assert json.findings*.rule.sort() == ['smoke.h2-only-failure', 'smoke.impact.index-not-concurrent', 'smoke.impact.no-lock-timeout',
        'smoke.impact.no-lock-timeout', 'smoke.impact.unique-constraint-lock']
assert json.findings.every { it.severity == 'warning' }
// the impact rules judge each migration; without a boundary, every table an earlier migration created counts
assert json.summary.impactJudgedBy == 'none'
assert log.contains("[WARNING] 4 production-impact warnings on 2 migrations (smoke.impact.index-not-concurrent 1, smoke.impact.no-lock-timeout 2, smoke.impact.unique-constraint-lock 1), judged with every table an earlier migration created counted as in production - see ${new File(basedir, 'target/migration-safety/smoke-report.json')}. Give 'url' or a release boundary ('releasedChecksums') to judge only what production will run.")
def brin = json.findings.find { it.rule == 'smoke.impact.index-not-concurrent' }
assert brin.subject == 'db/migration/V2__brin_index_on_id.sql'
assert brin.file == 'db/migration/V2__brin_index_on_id.sql'
assert brin.line == 1
assert brin.hint == "a migration of its own (Flyway runs it outside a transaction; needs flyway.postgresql.transactional.lock=false): CREATE INDEX CONCURRENTLY idx_model_metadata_id_brin ON model_metadata USING brin (id);"
assert json.checks.find { it.group == 'expectations.postgresql' }.outcome == 'passed'
assert json.checks.find { it.group == 'h2' && it.name == 'db/migration/V2__brin_index_on_id.sql' }.outcome == 'skipped'
// the production-impact trace, per migration: the unique key locks the table against reads and writes
def unique = json.summary.impact.find { it.changeset == 'db/migration/V3__unique_name_version.sql' && it.table == 'model_metadata' }
assert unique.lock == 'AccessExclusiveLock'
assert unique.blocks == 'reads and writes'
assert !json.summary.impact.any { it.table == 'flyway_schema_history' }
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
true
