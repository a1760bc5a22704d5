def log = new File(basedir, 'build.log').text
def backups = new File(basedir, 'target/migration-safety/backups').listFiles()
assert backups.length == 1
assert log.contains("[INFO] Exported 6 row(s) of PUBLIC.MODEL_METADATA to ${backups[0]}")
def manifest = new groovy.json.JsonSlurper().parse(new File(backups[0], 'manifest.json'))
assert manifest.kind == 'export'
assert manifest.status == 'complete'
assert manifest.rowCount == 6
assert manifest.idColumn == 'ID'
assert new File(backups[0], 'rows.csv').readLines().size() == 7
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/migration-safety/backup-report.json'))
assert json.summary.method == 'jdbc'
