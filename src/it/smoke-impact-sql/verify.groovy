import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
def lines = log.readLines()
def m = 'db/changelog/db.changelog-master.yaml'

// warnings by default: the build passes, and each <sql> hazard draws the rule of its Liquibase change type
assert log.contains('[INFO] BUILD SUCCESS')
assert lines.any { it.startsWith("[WARNING] ${m}::index-name::bob: builds index ix on existing table model_metadata without CONCURRENTLY (ShareLock, blocks writes, held ") && it.endsWith(" ms here): writes to model_metadata wait for the whole build [${m}:16] [smoke.impact.index-not-concurrent] Fix: <changeSet id=\"index-name\" author=\"bob\" runInTransaction=\"false\"><sql>CREATE INDEX CONCURRENTLY ix ON model_metadata (name)</sql></changeSet>") }
assert lines.any { it.startsWith("[WARNING] ${m}::unique-name-version::bob: adds a unique constraint on model_metadata(name, version) and builds its index under AccessExclusiveLock (AccessExclusiveLock, blocks reads and writes, held ") && it.contains("[smoke.impact.unique-constraint-lock] Fix: build the index first, concurrently, then attach it: <changeSet id=\"unique-name-version-index\" author=\"bob\" runInTransaction=\"false\"><sql>CREATE UNIQUE INDEX CONCURRENTLY uq_name_version ON model_metadata (name, version)</sql></changeSet>") }
assert lines.any { it.startsWith("[WARNING] ${m}::v-bigint::bob: changes model_metadata.v from integer to bigint, which rewrites the whole table (AccessExclusiveLock, blocks reads and writes, held ") && it.contains("[smoke.impact.type-change-rewrite]") }
assert lines.any { it.startsWith("[WARNING] ${m}::name-not-null::bob: sets model_metadata.name NOT NULL by reading every row (AccessExclusiveLock") && it.endsWith("[smoke.impact.not-null-scan] Fix: <sql>ALTER TABLE model_metadata ADD CONSTRAINT name_not_null CHECK (name IS NOT NULL) NOT VALID</sql>, then in a later changeset <sql>ALTER TABLE model_metadata VALIDATE CONSTRAINT name_not_null</sql>; then <sql>ALTER TABLE model_metadata ALTER COLUMN name SET NOT NULL</sql> no longer scans (PostgreSQL 12+) and the check can be dropped") }
assert lines.any { it.startsWith("[WARNING] ${m}::parent-fk::bob: adds foreign key fk_parent on model_metadata and validates it in the same transaction (ShareRowExclusiveLock") && it.endsWith("[smoke.impact.constraint-validated] Fix: <sql>ALTER TABLE model_metadata ADD CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent(id) NOT VALID</sql>, then in a later changeset <sql>ALTER TABLE model_metadata VALIDATE CONSTRAINT fk_parent</sql> (it takes only ShareUpdateExclusiveLock)") }
assert log.contains("[WARNING] ${m}::parent-fk::bob: adds foreign key fk_parent on model_metadata(parent_id) with no index on those columns: every delete from parent (and every change of its key) reads the whole of model_metadata [${m}:36] [smoke.impact.foreign-key-without-index]")
assert log.contains("[WARNING] ${m}::rename-version::bob: renames column model_metadata.version to model_version: the application version still running during a rolling deploy uses the old name [${m}:41] [smoke.impact.breaking-rename-or-drop]")
// varchar to text rewrites nothing, and the changeset set its lock_timeout: nothing to say
assert !lines.any { it.contains("${m}::name-text::bob:") && it.contains('[smoke.impact.') }
// a table created in the changeset has no clients yet
assert !lines.any { it.contains("${m}::tables::alice:") && it.contains('[smoke.impact.') }

def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
def rules = { id -> json.findings.findAll { it.subject == "${m}::${id}::bob" && it.rule.startsWith('smoke.impact.') }*.rule.sort() }
assert rules('index-name') == ['smoke.impact.index-not-concurrent', 'smoke.impact.no-lock-timeout']
assert rules('unique-name-version') == ['smoke.impact.no-lock-timeout', 'smoke.impact.unique-constraint-lock']
assert rules('v-bigint') == ['smoke.impact.no-lock-timeout', 'smoke.impact.type-change-rewrite']
assert rules('name-not-null') == ['smoke.impact.no-lock-timeout', 'smoke.impact.not-null-scan']
assert rules('parent-fk') == ['smoke.impact.constraint-validated', 'smoke.impact.foreign-key-without-index', 'smoke.impact.no-lock-timeout']
assert rules('rename-version') == ['smoke.impact.breaking-rename-or-drop', 'smoke.impact.no-lock-timeout']
assert rules('name-text') == []
def bigint = json.summary.impact.find { it.changeset == "${m}::v-bigint::bob" }
assert bigint.lock == 'AccessExclusiveLock'
assert bigint.rewrite == true
def text = json.summary.impact.find { it.changeset == "${m}::name-text::bob" }
assert text.rewrite == false
def notNull = json.summary.impact.find { it.changeset == "${m}::name-not-null::bob" }
assert notNull.scan == true && notNull.rewrite == false
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
