import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[INFO\] Flyway migrations classpath:db\/migration: 4 migrations, fingerprint [0-9a-f]{64} \(\d+ ms\)/
assert log =~ /\[INFO\] H2: 4 migrations applied by Flyway in \d+ ms\n/
assert log.contains("[INFO] Rollback not tested: Flyway's community edition has no undo, so there is no rollback to test; roll back by restoring a backup (migration-safety:backup, then restore) or with a new versioned migration")
assert log.contains('[INFO] BUILD SUCCESS')
assert !log.contains('Migrating schema') : "Flyway's own lines go to the debug log"
assert !log.contains('org.flywaydb') : 'no java.util.logging lines'
def reports = new File(basedir, 'target/migration-safety')
def json = new JsonSlurper().parse(new File(reports, 'smoke-report.json'))
assert json.status == 'passed'
assert json.summary.project == 'it:smoke-flyway-good'
assert json.summary.migrationSource == 'flyway'
assert json.summary.changeLogFile == 'classpath:db/migration'
assert json.summary.rollback.startsWith("not tested: Flyway's community edition has no undo")
assert json.summary.fingerprint ==~ /[0-9a-f]{64}/
assert json.summary.databases == ['H2 2.3.232']
// Flyway's order: versioned by version (the Java migration among them), then the repeatable
assert json.summary.changesets*.changeset == ['db/migration/V1__create_model_metadata.sql', 'db/migration/V2__unique_name_version.sql',
        'db.migration.V3__Create_audit_table', 'db/migration/R__model_names.sql']
assert json.summary.changesets*.h2*.status == ['passed', 'passed', 'passed', 'passed']
assert json.summary.changesets*.migrationType == ['SQL', 'SQL', 'JDBC', 'SQL']
assert json.summary.changesets[0].sql.contains("created_by VARCHAR(50) DEFAULT 'app'") : 'placeholder from flywayConfiguration'
assert json.summary.changesets[3].sql.contains('-- the audit table is model_audit') : "placeholder from the project's flyway.* properties"
assert json.checks.find { it.group == 'expectations.h2' && it.name == 'unique:model_metadata(name, version)' }.outcome == 'passed'
assert json.checks.find { it.group == 'rollback' }.outcome == 'skipped'
def junit = new groovy.xml.XmlSlurper().parse(new File(reports, 'TEST-migration-safety-smoke.xml'))
assert junit.@failures == '0'
assert junit.testcase.find { it.@name == 'db/migration/V2__unique_name_version.sql' }.@classname == 'migration-safety.smoke.h2'
def sql = new File(reports, 'migration.sql').getText('UTF-8')
assert sql.contains('-- Migration db/migration/V2__unique_name_version.sql (version 2: unique name version)\nALTER TABLE model_metadata ADD CONSTRAINT uq_model_metadata_name_version UNIQUE (name, version);')
assert sql.contains('-- Java migration db.migration.V3__Create_audit_table: its SQL is known only when it runs')
def md = new File(reports, 'smoke-summary.md').getText('UTF-8')
assert md.startsWith('### migration-safety:smoke — ✅ passed')
assert md.contains("| rollback | not tested: Flyway's community edition has no undo")
def html = new File(reports, 'index.html').getText('UTF-8')
assert html.contains('db/migration/V1__create_model_metadata.sql')
true
