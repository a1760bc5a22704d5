import groovy.json.JsonSlurper
import io.github.migrationsafety.testsupport.OnlineIt

def log = new File(basedir, 'build.log').getText('UTF-8')
def backups = new File(basedir, 'target/migration-safety/backups').listFiles()
assert backups.length == 1
def backup = backups[0]
assert log.contains('[INFO] dedupe: ranking the duplicates of public.model_metadata(name, version); no lock is taken')
assert log.contains("[INFO] dedupe: deleted 6 rows from public.model_metadata in 3 batches of up to 2 (0 of them in the"
        + " final pass: duplicates inserted while the run went on), skipped 0 whose row or kept twin had changed; backup: ${backup}")
assert log.contains('[INFO] No duplicates in public.model_metadata(name, version).') : 'the second dedupe finds nothing'
assert log.contains("[INFO] Restored 6 row(s) into public.model_metadata, skipped 0 already present from ${backup}")
assert log.contains("[INFO] Restored 0 row(s) into public.model_metadata, skipped 6 already present from ${backup}")
def manifest = new JsonSlurper().parse(new File(backup, 'manifest.json'))
assert manifest.status == 'complete'
assert manifest.rowCount == 6
assert manifest.online.batchSize == 2
assert manifest.online.batches == 3
assert manifest.online.phase == 'done'
assert manifest.sha256 == java.security.MessageDigest.getInstance('SHA-256').digest(new File(backup, 'rows.csv').bytes).encodeHex().toString()
// the JSON report is the dry-run's (the second build); it has no online object
def report = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/dedupe-report.json'))
assert report.summary.mode == 'dry-run'
assert report.summary.online == null
assert OnlineIt.rows(basedir) == new File(basedir, 'target/rows-before.txt').text : 'restore brought back the original rows'
assert !log.contains('Online-It-Secret-5521')
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
