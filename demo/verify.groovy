// Run after the demo build (./mvnw -B -Pdemo verify, and in every ./mvnw -B verify): checks the story it tells.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def reports = new File(basedir, 'target/migration-safety')
def report = { goal -> new JsonSlurper().parse(new File(reports, goal + '-report.json')) }

// connect
assert log =~ /\[INFO\] Connected to H2 .* as SA; schema PUBLIC has 1 tables/
assert report('connect').status == 'passed'

// backup: a consistent export of the 7 rows before anything changes
assert log =~ /\[INFO\] Exported 7 row\(s\) of PUBLIC\.MODEL_METADATA to .*backups/
assert report('backup').status == 'passed'

// dedupe dry run: finds the duplicate groups the pending unique constraint would fail on, and the near-duplicates
assert log.contains('[INFO] PUBLIC.MODEL_METADATA(NAME, VERSION): 2 duplicate group(s), 5 rows in them, 3 would be deleted.')
assert log =~ /\[WARNING\] PUBLIC\.MODEL_METADATA\(NAME, VERSION\): changeset 2-unique-model-name-version::platform-team::db\/changelog\/db\.changelog-master\.yaml \(addUniqueConstraint\) would fail: 2 duplicate group\(s\), 5 rows/
assert log.contains("would pass, but: 2 key values differ only by case or surrounding whitespace, e.g. ('Fraud', '1') and ('fraud', '1 ')")
assert new File(reports, 'dedupe-model_metadata-name-version.csv').readLines().size() == 6

// dedupe apply: 3 rows deleted, the oldest of each group kept, the deleted rows backed up
assert log =~ /\[INFO\] dedupe: deleted 3 rows of 2 duplicate groups from PUBLIC\.MODEL_METADATA; backup: .*backups/
def dedupe = report('dedupe')
assert dedupe.status == 'passed'
assert dedupe.summary.rowsDeleted == 3

// smoke: offline SQL, H2 apply, rollback round trip; the lint points to dedupe for the new unique key
assert log.contains('[INFO] H2: 2 changesets applied in ')
assert log.contains('[INFO] H2: rollback of all 2 changesets and update again give the same schema')
assert log.contains('[WARNING] db/changelog/db.changelog-master.yaml::2-unique-model-name-version::platform-team: adds a unique key model_metadata(name, version) to an existing table without checking its data first')
assert new File(reports, 'migration.sql').text.contains('uq_model_metadata_name_version')
assert report('smoke').status == 'passed'
// and on PostgreSQL: what the constraint locks, for how long at production size, and the safe way to write it
assert log.contains('[WARNING] db/changelog/db.changelog-master.yaml::2-unique-model-name-version::platform-team: adds a unique constraint on model_metadata(name, version) and builds its index under AccessExclusiveLock')
// each finding's line names its rule, to look up in docs/goals/smoke.md
assert log =~ /\[WARNING\] db\/changelog\/db\.changelog-master\.yaml::2-unique-model-name-version::platform-team: adds a unique constraint on .*\[smoke\.impact\.unique-constraint-lock\] Fix: /
assert log =~ /\[WARNING\] db\/changelog\/db\.changelog-master\.yaml::2-unique-model-name-version::platform-team: adds a unique key .*\[smoke\.lint\.unique-without-data-check\] Fix: /
assert log.contains('CREATE UNIQUE INDEX CONCURRENTLY uq_model_metadata_name_version ON model_metadata (name, version)')
def held = log =~ /\[INFO\] Impact of db\/changelog\/db\.changelog-master\.yaml::2-unique-model-name-version::platform-team on model_metadata: AccessExclusiveLock held (\d+) ms at (\d+) rows, (\d+) ms at (\d+) rows; estimated (\d+) ms at 5000000 rows; longest probe read \d+ ms, write \d+ ms\n/
assert held.find()
def (smallMillis, smallRows, largeMillis, largeRows, estimated) = (1..5).collect { held.group(it) as long }
// the samples: 50,000 and 200,000 rows, grown fourfold (at most twice) while the larger held the lock under 150 ms,
// which depends on the machine's speed
def grown = (0..2).find { smallRows == 50000L * 4**it && largeRows == 200000L * 4**it }
assert grown != null : "samples of ${smallRows} and ${largeRows} rows"
assert grown == 0 || smallMillis < 150
assert largeMillis >= 150 || grown == 2
assert estimated >= largeMillis
def impact = report('smoke').summary.impact.find { it.changeset.endsWith('2-unique-model-name-version::platform-team') }
assert impact.lock == 'AccessExclusiveLock'
assert impact.productionEstimate.productionRows == 5000000
assert impact.productionEstimate.measured == [[rows: smallRows, heldMillis: smallMillis], [rows: largeRows, heldMillis: largeMillis]]
assert impact.productionEstimate.estimatedMillis == estimated

// sidecars with the key the demo sets
assert log =~ /\[INFO\] Checked 3 artifact\(s\) under .*models: 0 problem\(s\), 3 signature\(s\) verified/
assert !log.contains('demo-signing-key-0123456789abcdef')

// the gate opens and the release is deployed, after the checks
assert log.contains('[INFO] Deploy gate open: the smoke report passed for this changelog')
assert log.indexOf('Deploy gate open') < log.indexOf('Uploading to demo-releases')
assert new File(basedir, 'target/demo-releases/com/example/models/model-service-demo/1.0.0/model-service-demo-1.0.0.pom').isFile()

// the closing table
assert log.contains('[INFO] migration-safety summary (')
['connect', 'backup', 'dedupe', 'smoke', 'sidecars', 'gate'].each { goal ->
    assert log =~ /\[INFO\] ${goal}\s+passed\s+\d+E \d+W\s+.* -> ${goal}-report\.json/
}
// the HTML page every goal rewrote, its path printed last by summary
assert log =~ /\[INFO\] HTML report: \S+target\/migration-safety\/index\.html\n\[INFO\] -+\n\[INFO\] BUILD SUCCESS/
def page = new File(reports, 'index.html').getText('UTF-8')
assert page.contains('<title>migration-safety: model-service-demo</title>')
['connect', 'backup', 'dedupe', 'smoke', 'sidecars', 'gate'].each { goal ->
    assert page.contains("<h2 id=\"m0-${goal}-heading\">${goal}: <span class=\"badge ok\">")
}
assert page.contains('<figure class="timeline">')
assert !page.contains('demo-signing-key-0123456789abcdef')
assert log.contains('[INFO] BUILD SUCCESS')
