import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[INFO] Changelog db/changelog/db.changelog-master.yaml: 3 changesets in 1 files, fingerprint ')
assert log =~ /\[INFO\] H2: 2 changesets applied in \d+ ms\n/
assert log =~ /\[INFO\] H2: rollback of all 2 changesets and update again give the same schema \(\d+ ms\)/
assert log.contains('[INFO] BUILD SUCCESS')
assert !log.contains('UPDATE SUMMARY') : 'Liquibase console output stays out of the build log'
assert !log.contains('liquibase.') : 'no java.util.logging lines'
def reports = new File(basedir, 'target/migration-safety')
def json = new JsonSlurper().parse(new File(reports, 'smoke-report.json'))
assert json.status == 'passed'
assert json.summary.project == 'it:smoke-yaml-good'
assert json.summary.dialect == 'postgresql'
assert json.summary.databases == ['H2 2.3.232']
assert json.summary.fingerprint ==~ /[0-9a-f]{64}/
assert json.summary.changesets*.h2*.status == ['passed', 'passed', 'skipped']
assert json.summary.changesets[1].sql == 'ALTER TABLE model_metadata ADD CONSTRAINT uq_model_name_version UNIQUE (name, version);'
def junit = new groovy.xml.XmlSlurper().parse(new File(reports, 'TEST-migration-safety-smoke.xml'))
assert junit.testcase.size() == 6
assert junit.@failures == '0'
assert junit.testcase.find { it.@name == 'db/changelog/db.changelog-master.yaml::create-model-metadata::alice' }.@classname == 'migration-safety.smoke.h2'
def sql = new File(reports, 'migration.sql').text
assert sql.contains('CREATE TABLE model_metadata (id BIGINT NOT NULL, name VARCHAR(100) NOT NULL, version VARCHAR(20), value VARCHAR(20), CONSTRAINT model_metadata_pkey PRIMARY KEY (id));')
def md = new File(reports, 'smoke-summary.md').getText('UTF-8')
assert md.startsWith('### migration-safety:smoke — ✅ passed')
assert md.contains('| changesets | 3 entries, see smoke-report.json |')
assert md.contains('| changelogFiles | [db/changelog/db.changelog-master.yaml] |')
