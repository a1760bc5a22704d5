import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
def m = 'db/changelog/db.changelog-master.yaml'

// warnings by default: the build passes and says what the unique constraint locks, and what to write instead
assert log.contains('[INFO] BUILD SUCCESS')
def unique = log.readLines().find { it.startsWith("[WARNING] ${m}::unique-name-version::bob: adds a unique constraint on model_metadata(name, version) and builds its index under AccessExclusiveLock (AccessExclusiveLock, blocks reads and writes, held ") }
assert unique != null : 'the unique constraint finding'
assert unique.contains(" ms here): reads and writes of model_metadata stop for the whole build [${m}:16] [smoke.impact.unique-constraint-lock] Fix: build the index first, concurrently, then attach it: <changeSet id=\"unique-name-version-index\" author=\"bob\" runInTransaction=\"false\"><sql>CREATE UNIQUE INDEX CONCURRENTLY uq_model_name_version ON model_metadata (name, version)</sql></changeSet> <changeSet id=\"unique-name-version\" author=\"bob\"><sql>ALTER TABLE model_metadata ADD CONSTRAINT uq_model_name_version UNIQUE USING INDEX uq_model_name_version</sql></changeSet>")
assert log.contains("[WARNING] ${m}::unique-name-version::bob: takes AccessExclusiveLock on model_metadata with no lock_timeout")
// the concurrent build holds no write-blocking lock: nothing to warn about (the unique index build reads every row)
assert !log.contains("${m}::stage-index-concurrently::bob: builds index")

def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
def impact = json.summary.impact.find { it.changeset == "${m}::unique-name-version::bob" }
assert impact.table == 'model_metadata'
assert impact.lock == 'AccessExclusiveLock'
assert impact.blocks == 'reads and writes'
assert impact.rewrite == false

def summary = new File(basedir, 'target/migration-safety/smoke-summary.md').getText('UTF-8')
assert summary.contains('#### Production impact on PostgreSQL')
assert summary.contains('| changeset | table | strongest lock | blocks | rewrite | full scan | lock held (measured) | estimated at production size |')
assert summary.contains("| ${m}::unique-name-version::bob | model_metadata | AccessExclusiveLock | reads and writes | no | ")
def junit = new File(basedir, 'target/migration-safety/TEST-migration-safety-smoke.xml').getText('UTF-8')
assert junit.contains("classname=\"migration-safety.smoke.impact.postgresql\" name=\"${m}::unique-name-version::bob model_metadata\"")
assert junit.contains('<system-out>AccessExclusiveLock (blocks reads and writes), rewrite no, full scan yes</system-out>')
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
