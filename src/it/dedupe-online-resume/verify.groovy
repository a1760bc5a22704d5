import groovy.json.JsonSlurper
import io.github.migrationsafety.testsupport.OnlineIt

def log = new File(basedir, 'build.log').getText('UTF-8')
def backups = new File(basedir, 'target/migration-safety/backups').listFiles()
assert backups.length == 1
def backup = backups[0]
// first run: stopped with what was done and how to go on
assert log =~ /\[ERROR\] .*Online dedupe of public\.model_metadata stopped: ERROR: simulated failure of the delete of row 7 \(SQLState P0001\)\. The 4 rows of the batches committed so far are deleted and backed up in \Q${backup}\E\. Run apply again to finish the job \(it resumes from the backup\), or put those rows back with migration-safety:restore -Dmigration-safety\.backup=\Q${backup}\E\./
// second run: found, said so, finished
assert log.contains("[INFO] dedupe: resuming the unfinished online dedupe of public.model_metadata in ${backup}: 4 rows"
        + " deleted in 2 committed batches, round 1 deleting")
assert log.contains("[INFO] dedupe: deleted 6 rows from public.model_metadata in 3 batches of up to 2")
def manifest = new JsonSlurper().parse(new File(backup, 'manifest.json'))
assert manifest.status == 'complete'
assert manifest.rowCount == 6
assert !new File(backup, 'batch-rows.csv').exists()
def report = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/dedupe-report.json'))
assert report.summary.rowsDeleted == 6
assert report.summary.online.batches == 3
assert report.summary.online.resumedFrom == backup.toString()
assert log.contains("[INFO] Restored 6 row(s) into public.model_metadata, skipped 0 already present from ${backup}")
assert OnlineIt.rows(basedir) == new File(basedir, 'target/rows-before.txt').text : 'restore brought back the original rows'
assert !log.contains('Online-It-Secret-5521')
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
